"""The sub_bureau scope: one prefecture-level sub-bureau; its own detail only, never its bureau's or others'."""
from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from metrics.access import AccessDenied, Principal
from metrics.models import EtlRun, QuarantinedRow
from metrics.quarantine import quarantine_rows
from metrics.users import UserError, add_user, authenticate

SUB = Principal("gz_clerk", "sub_bureau", "440100")


def test_a_sub_bureau_user_is_bound_to_one_sub_bureau(store_engine):
    with pytest.raises(UserError):
        add_user(store_engine, "x", "sub_bureau", "long-enough-password")  # no unit
    with pytest.raises(UserError):
        add_user(store_engine, "y", "sub_bureau", "long-enough-password", unit_code="440000")  # a bureau
    add_user(store_engine, "gz_clerk", "sub_bureau", "long-enough-password", unit_code="440100")
    assert authenticate(store_engine, "gz_clerk", "long-enough-password") == SUB


def test_detail_reads_narrow_to_the_sub_bureau(store_engine):
    with Session(store_engine) as s, s.begin():
        run = EtlRun(source="s", status="success")
        s.add(run)
        s.flush()
        s.add_all([QuarantinedRow(source="s", unit_code=code, row_ref=code, raw="{}", reason="bad", run_id=run.id)
                   for code in ("440100", "440200", "440000", "110000")])
    assert SUB.can_see_detail("440100") and not SUB.can_see_detail("440000") and not SUB.can_see_detail("440200")
    assert list(quarantine_rows(store_engine, SUB)["unit_code"]) == ["440100"]  # unscoped: its own only
    with pytest.raises(AccessDenied):
        quarantine_rows(store_engine, SUB, unit="440000")
