"""alerts sits beside the ETL: it reads through metrics.api (and the source schedules from etl), never the
dashboard or the store's tables."""
from __future__ import annotations

import pytest

from tests.test_import_direction import ROOT, _imports, _modules, _top


@pytest.mark.parametrize("path", _modules("alerts"), ids=lambda p: str(p.relative_to(ROOT)))
def test_alerts_read_through_the_query_api(path):
    imports = _imports(path)
    bad = {n for n in imports if _top(n) in ("dashboard", "app", "sqlalchemy.orm")}
    # metrics.cli_usage holds no store access: how a command reports bad input.
    bad |= {n for n in imports if _top(n) == "metrics" and not n.startswith(("metrics.api", "metrics.config",
                                                                              "metrics.i18n", "metrics.cli_usage"))}
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"
