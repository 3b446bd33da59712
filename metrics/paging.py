"""One page of a large record table, sorted and filtered in SQL: what a data grid asks for.

The grid in the browser never holds more than a page; the principal's scope is applied in the same
statement as the paging, so no offset, sort or filter can reach rows outside it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine, func, select

MAX_PAGE = 500
TEXT_OPS = ("contains", "notContains", "equals", "notEqual", "startsWith", "endsWith")


class InvalidPageError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class PageRequest:
    offset: int = 0
    limit: int = 100
    sort: tuple[tuple[str, str], ...] = ()  # (column, "asc" | "desc"), first key first
    filters: tuple[tuple[str, str, str], ...] = ()  # (column, op in TEXT_OPS, text)

    def __post_init__(self):
        if not (isinstance(self.offset, int) and isinstance(self.limit, int)) or self.offset < 0 \
                or not 0 < self.limit <= MAX_PAGE:
            raise InvalidPageError(f"offset must be >= 0 and limit 1..{MAX_PAGE}")
        for _, direction in self.sort:
            if direction not in ("asc", "desc"):
                raise InvalidPageError(f"sort direction must be asc or desc, not {direction!r}")
        for _, op, _ in self.filters:
            if op not in TEXT_OPS:
                raise InvalidPageError(f"unknown filter {op!r}; use one of {', '.join(TEXT_OPS)}")


@dataclass(frozen=True, slots=True)
class Page:
    rows: pd.DataFrame = field(compare=False)
    total: int  # rows matching the filters within the principal's scope


def _condition(column, op: str, text: str):
    if op == "contains":
        return column.icontains(text, autoescape=True)
    if op == "notContains":
        return ~column.icontains(text, autoescape=True)
    if op == "startsWith":
        return column.istartswith(text, autoescape=True)
    if op == "endsWith":
        return column.iendswith(text, autoescape=True)
    if op == "equals":
        return func.lower(column) == text.lower()
    return func.lower(column) != text.lower()


def fetch_page(engine: Engine, base, columns: dict, req: PageRequest, *, tie_break, text: frozenset) -> Page:
    """`base`: a select of `columns` already limited to the principal's rows; `columns`: the sortable columns
    by name, `text` the ones that take text filters. Unknown names are refused, never passed to SQL."""
    unknown = ({c for c, _ in req.sort} - set(columns)) | ({c for c, _, _ in req.filters} - set(text))
    if unknown:
        raise InvalidPageError(f"unknown column(s) {', '.join(sorted(unknown))}")
    for name, op, text in req.filters:
        base = base.where(_condition(columns[name], op, str(text)))
    order = [columns[c].desc() if d == "desc" else columns[c].asc() for c, d in req.sort] + [tie_break]
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(base.order_by(None).subquery())).scalar_one()
        rows = conn.execute(base.order_by(*order).offset(req.offset).limit(req.limit)).mappings().all()
    return Page(pd.DataFrame([dict(r) for r in rows], columns=list(columns)), int(total))
