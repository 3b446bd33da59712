"""What a quarterly brief freezes about returns: which bureaus confirmed the quarter (and whether a change
re-opened it) and, per bureau, its units' returns for the quarter's periods by status."""
from __future__ import annotations

from sqlalchemy import Engine, and_, select
from sqlalchemy.orm import Session

from metrics.access import Principal
from metrics.returns.models import ReturnFiling, ReturnVersion
from metrics.returns.signoff import signoff_status
from metrics.returns.store import latest_versions
from metrics.units import bureau_of
from metrics.windows import Window


def brief_returns(engine: Engine, principal: Principal, quarter: Window) -> dict:
    label = quarter.label()
    status = signoff_status(engine, principal, label)
    signed = [{"bureau": r.bureau_code, "state": r.state, "by": r.signed_by, "at": r.signed_at}
              for r in status.itertuples() if r.state != "open"]
    latest = latest_versions()
    q = (select(ReturnFiling.unit_code, ReturnVersion.status)
         .join(latest, latest.c.filing_id == ReturnFiling.id)
         .join(ReturnVersion, and_(ReturnVersion.filing_id == ReturnFiling.id,
                                   ReturnVersion.version == latest.c.version))
         .where(ReturnFiling.period_start.between(quarter.start, quarter.end)))
    counts: dict[str, dict[str, int]] = {}
    with Session(engine) as s:
        for unit, state in s.execute(q):
            by_state = counts.setdefault(bureau_of(unit), {})
            by_state[state] = by_state.get(state, 0) + 1
    return {"quarter": label, "signoff": signed, "returns": {b: counts[b] for b in sorted(counts)}}
