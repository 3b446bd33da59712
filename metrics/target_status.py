"""Where each target stands on a day: actual so far, expected by now (seasonal), and a status by the
declared rules of target_rules.yaml."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import yaml
from sqlalchemy import Engine

from metrics.access import Principal
from metrics.models import NATION
from metrics.query import MetricsQuery
from metrics.requests import BreakdownRequest, TotalsRequest
from metrics.seasonal import Profile, calendar_covered, unit_profile
from metrics.targets import TargetKey, current_targets, visible_units
from metrics.units import HQ_CODE, NATION_CODE
from metrics.windows import Window

RULES_PATH = Path(__file__).with_name("target_rules.yaml")
STATUSES = ("on_track", "at_risk", "behind", "too_early")
CONDITIONS = ("min_share_of_target", "min_ratio_to_expected", "min_days_left", "max_days_left")
STATUS_COLUMNS = ["metric", "unit_code", "period", "period_start", "period_end", "target", "actual",
                  "expected_share", "expected", "share_of_target", "ratio_to_expected", "days_left", "status",
                  "profile", "version"]


class RulesError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class StatusRules:
    too_early_days: int
    history_years: int
    min_events: int
    profile_from: dict[str, str]
    rules: tuple[tuple[str, dict[str, float]], ...]

    def judge(self, *, share: float, ratio: float | None, days_left: int, elapsed_days: int) -> str:
        if elapsed_days < self.too_early_days:
            return "too_early"
        facts = {"share_of_target": share, "ratio_to_expected": ratio, "days_left": days_left}
        for status, when in self.rules:
            if all(_holds(name, bound, facts) for name, bound in when.items()):
                return status
        return self.rules[-1][0]


def _holds(condition: str, bound: float, facts: dict) -> bool:
    kind, name = condition.split("_", 1)
    value = facts[name]
    if value is None:
        return False
    return value >= bound if kind == "min" else value <= bound


def parse_rules(data: dict, origin: str = "target rules") -> StatusRules:
    rules = []
    for i, rule in enumerate(data.get("rules") or []):
        status, when = rule.get("status"), rule.get("when") or {}
        if status not in STATUSES[:3]:
            raise RulesError(f"{origin}: rules[{i}].status '{status}' is not one of {', '.join(STATUSES[:3])}")
        unknown = set(when) - set(CONDITIONS)
        if unknown:
            raise RulesError(f"{origin}: rules[{i}].when has unknown condition(s) {', '.join(sorted(unknown))}")
        rules.append((status, {k: float(v) for k, v in when.items()}))
    if not rules or rules[-1][1]:
        raise RulesError(f"{origin}: the last rule must have no conditions (it is the fallback)")
    profile = data.get("profile") or {}
    return StatusRules(int(data.get("too_early_days", 0)), int(profile.get("history_years", 3)),
                       int(profile.get("min_events", 150)), dict(profile.get("from") or {}), tuple(rules))


@cache
def load_rules(path: Path = RULES_PATH) -> StatusRules:
    with open(path, encoding="utf-8") as fh:
        return parse_rules(yaml.safe_load(fh) or {}, str(path))


def _rollup_key(unit_code: str) -> str:
    return NATION if unit_code == NATION_CODE else unit_code


class ProfileCache:
    """Profiles fitted once per (metric, unit, year) within one evaluation."""

    def __init__(self, engine: Engine, rules: StatusRules):
        self.engine, self.rules, self._seen = engine, rules, {}

    def get(self, metric: str, unit_code: str, year: int) -> Profile:
        metric = self.rules.profile_from.get(metric, metric)
        key = (metric, unit_code, year)
        if key not in self._seen:
            self._seen[key] = unit_profile(self.engine, metric, _rollup_key(unit_code), year, nation_key=NATION,
                                           min_events=self.rules.min_events, max_years=self.rules.history_years)
        return self._seen[key]


def expected_share(engine: Engine, principal: Principal, key: TargetKey, on: dt.date, *,
                   rules: StatusRules | None = None) -> tuple[float, Profile]:
    """The share of `key`'s target expected by the end of `on`, and the profile it came from."""
    units = visible_units(principal)
    if units is not None and key.unit_code not in units:
        principal.require_detail(key.unit_code)
    profile = ProfileCache(engine, rules or load_rules()).get(key.metric, key.unit_code, key.start.year)
    return profile.share(key.start, key.end, on), profile


def _actuals(query: MetricsQuery, window: Window, metrics: tuple[str, ...]) -> dict[tuple[str, str], int]:
    """(unit, metric) -> total over the window for the nation, HQ and every bureau."""
    frame = query.breakdown(BreakdownRequest(window, metrics)).frame
    out = {(u, m): int(v) for u, m, v in zip(frame["unit_code"], frame["metric"], frame["value"])}
    nation = query.totals(TotalsRequest(window, metrics)).frame
    out.update({(NATION_CODE, m): int(v) for m, v in zip(nation["metric"], nation["value"])})
    (hq,) = query.totals_by_window((window,), metrics, unit=HQ_CODE)
    out.update({(HQ_CODE, m): int(v) for m, v in hq.items()})
    return out


def target_status(engine: Engine, principal: Principal, *, as_of: dt.date, metric: str | None = None,
                  unit: str | None = None, rules: StatusRules | None = None) -> pd.DataFrame:
    """One row per current target the principal may see whose period contains `as_of` (STATUS_COLUMNS);
    `metric` and `unit` narrow it down."""
    rules = rules or load_rules()
    targets = current_targets(engine, principal, on=as_of, metric=metric, unit=unit)
    if targets.empty:
        return pd.DataFrame(columns=STATUS_COLUMNS)
    query, profiles, rows = MetricsQuery(engine, principal), ProfileCache(engine, rules), []
    for (start, end), group in targets.groupby(["period_start", "period_end"], sort=True):
        actual = _actuals(query, Window(start, min(as_of, end)), tuple(sorted(set(group["metric"]))))
        for t in group.itertuples(index=False):
            profile = profiles.get(t.metric, t.unit_code, start.year)
            share = profile.share(start, end, as_of)
            done = actual.get((t.unit_code, t.metric), 0)
            expected = t.value * share
            ratio = done / expected if expected > 0 else None
            days_left = (end - as_of).days
            status = rules.judge(share=done / t.value, ratio=ratio, days_left=days_left,
                                 elapsed_days=(as_of - start).days + 1)
            rows.append({"metric": t.metric, "unit_code": t.unit_code, "period": t.period, "period_start": start,
                         "period_end": end, "target": int(t.value), "actual": done, "expected_share": share,
                         "expected": expected, "share_of_target": done / t.value, "ratio_to_expected": ratio,
                         "days_left": days_left, "status": status,
                         "profile": profile.source if calendar_covered(start, end) else f"{profile.source}*",
                         "version": int(t.version)})
    return pd.DataFrame(rows, columns=STATUS_COLUMNS)
