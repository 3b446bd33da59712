"""Reporting coverage: bureau × source × month, reported / reported_zero / late / not_reported / not_due.

Two kinds of source:
- Periodic submissions (a `submissions:` block in the ETL config; rule in submission_rule, what arrived in
  source_submission): a month with a file is reported (reported_zero when the file has no event rows, late
  when it was first received after the deadline day of the following month); a month without one is
  not_reported once its deadline has passed, else not_due.
- Continuous systems (every other source that has run): the whole system reports for every bureau at once,
  so a bureau-month is reported when the source's last successful run finished after the month ended
  (reported_zero when the bureau has no fact of that source in the month), not_due while the month is still
  open at the last success, and not_reported when the source never succeeded since the month began.

- Returns (metrics/returns/coverage_cells.py): one row per unit and period each declared return type expects,
  with the return's own state (`return_state`) and what its cell shows (`cell`); `state` maps it onto the
  words above, so shares and the three statements (not reported, reported zero, no activity) hold for them too.
  Their `source` is the return type id; deadlines are judged at `as_of`, else at the window's end.

"Due" is judged at `as_of` (default: the source's last successful run, so no clock is needed). The coverage
share of a bureau is its reported months (late and zero included) over its due months; a bureau below the
threshold is flagged: ranks withhold it (metrics.compare) and briefings name it. The default 0.9 withholds a
rank for a month or a quarter with any month missing, and for a year with two; over the whole campaign one
late-lost spreadsheet among forty months does not cost a bureau its rank.
"""
from __future__ import annotations

import datetime as dt
from functools import cache

import pandas as pd
from sqlalchemy import Connection, Engine, and_, bindparam, func, select

from metrics.models import DailyFact, EtlRun, SourceSubmission, SubmissionRule
from metrics.units import bureaus
from metrics.windows import TZ, Window, add_months, month_end

STATES = ("reported", "reported_zero", "late", "not_reported", "not_due")
REPORTED = ("reported", "reported_zero", "late")
DEFAULT_THRESHOLD = 0.9
MATRIX_COLUMNS = ["source", "unit_code", "month", "state", "rows", "received_at", "due_on"]
RETURN_COLUMNS = ["return_state", "cell", "period", "metrics"]  # None on the rows of other sources


def _months(window: Window) -> list[dt.date]:
    months, month = [], window.start.replace(day=1)
    while month <= window.end:
        months.append(month)
        month = add_months(month, 1)
    return months


def due_on(month: dt.date, deadline_day: int) -> dt.date:
    return add_months(month, 1).replace(day=deadline_day)


def _local_day(moment: dt.datetime | None) -> dt.date | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(TZ).date()


def _last_success(conn) -> dict[str, dt.date]:
    rows = conn.execute(select(EtlRun.source, func.max(EtlRun.finished_at))
                        .where(EtlRun.status == "success").group_by(EtlRun.source)).all()
    return {s: _local_day(at) for s, at in rows if at is not None}


def submission_sources(engine: Engine) -> dict[str, int]:
    """Sources that submit monthly files, with their deadline day."""
    with engine.connect() as conn:
        return {s: d for s, d in conn.execute(select(SubmissionRule.source, SubmissionRule.deadline_day))}


def coverage_matrix(engine: Engine, window: Window, *, as_of: dt.date | None = None,
                    sources: list[str] | None = None, return_units: list[str] | None = None) -> pd.DataFrame:
    """One row per bureau, source and month of the window, and per unit and period of each return type
    (MATRIX_COLUMNS + RETURN_COLUMNS); `return_units` narrows the return rows to those units (None: all)."""
    from metrics.returns.coverage_cells import return_cells
    from metrics.returns.rules import load_rules

    months = _months(window)
    codes = [b.code for b in bureaus()]
    with engine.connect() as conn:
        rules = {r.source: r for r in conn.execute(select(SubmissionRule)).all()}
        last_ok = _last_success(conn)
        sent = conn.execute(select(SourceSubmission).where(
            SourceSubmission.month.between(months[0], months[-1]))).all()
        owed = [r for r in load_rules(conn) if sources is None or r.return_type in sources]
        returned = return_cells(conn, window.start, window.end, judged=as_of or window.end, units=return_units,
                                rules=owed) if owed else []
        continuous = [s for s in sorted(last_ok) if s not in rules and (sources is None or s in sources)]
        facts = conn.execute(select(DailyFact.source, DailyFact.bureau_code, DailyFact.day).where(
            DailyFact.source.in_(continuous), DailyFact.day.between(months[0], month_end(months[-1])))
            .distinct()).all() if continuous else []
    wanted = set(sources) if sources is not None else None
    rules = {s: r for s, r in rules.items() if wanted is None or s in wanted}
    received = {(r.source, r.unit_code, r.month): r for r in sent}
    rows = []
    for source, rule in sorted(rules.items()):
        judged = as_of or last_ok.get(source) or window.end
        for month in months:
            if month < rule.first_month:
                continue
            due = due_on(month, rule.deadline_day)
            for code in codes:
                got = received.get((source, code, month))
                if got is None:
                    state = "not_reported" if judged > due else "not_due"
                    rows.append((source, code, month, state, None, None, due))
                    continue
                state = ("late" if _local_day(got.received_at) > due else
                         "reported_zero" if got.rows == 0 else "reported")
                rows.append((source, code, month, state, got.rows, got.received_at, due))
    active = {(s, b, d.replace(day=1)) for s, b, d in facts}
    for source in continuous:
        success = as_of or last_ok[source]
        for month in months:
            state_all = ("not_reported" if success < month else "not_due" if success < month_end(month) else None)
            for code in codes:
                state = state_all or ("reported" if (source, code, month) in active else "reported_zero")
                rows.append((source, code, month, state, None, None, month_end(month)))
    frame = pd.DataFrame(rows, columns=MATRIX_COLUMNS).assign(return_state=None, cell=None, period=None, metrics=None)
    frame["cell"] = frame["state"]
    if returned:
        frame = pd.concat([frame, pd.DataFrame(returned, columns=MATRIX_COLUMNS + RETURN_COLUMNS)],
                          ignore_index=True) if len(frame) else pd.DataFrame(returned, columns=list(frame.columns))
    return frame


def coverage_flags(engine: Engine, window: Window, *, threshold: float = DEFAULT_THRESHOLD,
                   as_of: dt.date | None = None, matrix: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per bureau and submission source: months due, reported, share, coverage_ok and the months missing.

    Only periodic-submission sources can leave one bureau short; continuous systems report for all at once.
    """
    periodic = set(submission_sources(engine))
    if matrix is None:
        matrix = coverage_matrix(engine, window, as_of=as_of, sources=sorted(periodic))
    m = matrix[matrix["source"].isin(periodic) & (matrix["state"] != "not_due")]
    # One pass over plain values: a pandas group per bureau and source cost the Regions view ~200 ms.
    tally: dict[tuple[str, str], list] = {}
    for source, code, month, state in zip(m["source"], m["unit_code"], m["month"], m["state"]):
        t = tally.setdefault((source, code), [0, 0, 0, []])
        t[0] += 1
        t[1] += state in REPORTED
        t[2] += state == "late"
        if state == "not_reported":
            t[3].append(month.isoformat()[:7])
    out = []
    for (source, code), (due, reported, late, missing) in sorted(tally.items()):
        share = reported / due if due else 1.0
        out.append({"source": source, "unit_code": code, "months_due": due, "months_reported": reported,
                    "late": late, "share": round(share, 4), "coverage_ok": share >= threshold,
                    "missing_months": missing})
    return pd.DataFrame(out, columns=["source", "unit_code", "months_due", "months_reported", "late", "share",
                                      "coverage_ok", "missing_months"])


def below_coverage(engine: Engine, window: Window, *, threshold: float = DEFAULT_THRESHOLD,
                   as_of: dt.date | None = None) -> dict[str, set[str]]:
    """source -> bureaus whose coverage in the window is below the threshold."""
    flags = coverage_flags(engine, window, threshold=threshold, as_of=as_of)
    bad = flags[~flags["coverage_ok"].astype(bool)]
    return {s: set(g["unit_code"]) for s, g in bad.groupby("source")}


def coverage_share(matrix: pd.DataFrame, sources: set[str] | None = None) -> float | None:
    """Share of due bureau-months reported (late and zero included)."""
    m = matrix[matrix["state"] != "not_due"]
    if sources is not None:
        m = m[m["source"].isin(sources)]
    return round(float(m["state"].isin(REPORTED).mean()), 4) if len(m) else None


@cache
def _short_sources_query(by_source: bool):
    """short_sources' statement, built once (the compare view runs it on every call)."""
    last_ok = (select(func.max(EtlRun.finished_at))
               .where(EtlRun.status == "success", EtlRun.source == SubmissionRule.source).scalar_subquery())
    q = (select(SubmissionRule.source, SubmissionRule.deadline_day, SubmissionRule.first_month,
                last_ok.label("last_ok"), SourceSubmission.month)
         .outerjoin(SourceSubmission, and_(SourceSubmission.source == SubmissionRule.source,
                                           SourceSubmission.unit_code == bindparam("unit"),
                                           SourceSubmission.month.between(bindparam("first"), bindparam("last")))))
    if by_source:
        q = q.where(SubmissionRule.source.in_(bindparam("sources", expanding=True)))
    return q


def short_sources(conn: Connection, window: Window, unit: str, *, threshold: float, as_of: dt.date | None,
                   sources: set[str] | None) -> set[str]:
    """Periodic sources that left `unit` below the threshold, from one statement.

    Each rule row carries its source's last success (a correlated subquery) and, by an outer join, the
    months the unit submitted in the window; the month arithmetic is the same as coverage_matrix's.
    """
    months = _months(window)
    params = {"unit": unit, "first": months[0], "last": months[-1]}
    if sources is not None:
        params["sources"] = sorted(sources)
    rules: dict[str, tuple[int, dt.date, dt.date | None, set[dt.date]]] = {}
    for source, deadline_day, first_month, last_at, month in conn.execute(_short_sources_query(sources is not None),
                                                                           params):
        rule = rules.setdefault(source, (deadline_day, first_month, _local_day(last_at), set()))
        if month is not None:
            rule[3].add(month)
    short = set()
    for source, (deadline_day, first_month, last_day, sent) in rules.items():
        judged = as_of or last_day or window.end
        due = reported = 0
        for month in months:
            if month < first_month:
                continue
            if month in sent:
                due, reported = due + 1, reported + 1
            elif judged > due_on(month, deadline_day):  # not_reported; otherwise not yet due
                due += 1
        if due and reported / due < threshold:
            short.add(source)
    return short


def uncovered_metrics(engine: Engine, window: Window, unit: str, *, threshold: float = DEFAULT_THRESHOLD,
                      as_of: dt.date | None = None, metrics: tuple[str, ...] | None = None) -> set[str]:
    """The metrics whose source left `unit` below the coverage threshold in the window.

    Same answer as below_coverage() for the one unit, in a single statement; with `metrics`, only their
    sources are judged (and only those metrics returned).
    """
    from metrics.catalog import METRICS

    sources = None if metrics is None else {METRICS[m].source_system for m in metrics}
    with engine.connect() as conn:
        short = short_sources(conn, window, unit, threshold=threshold, as_of=as_of, sources=sources)
    return metrics_of(short, metrics)


def metrics_of(sources: set[str], metrics: tuple[str, ...] | None = None) -> set[str]:
    """The catalog metrics (of `metrics`, when given) fed by `sources`."""
    from metrics.catalog import CATALOG

    return {m.id for m in CATALOG if m.source_system in sources and (metrics is None or m.id in metrics)}
