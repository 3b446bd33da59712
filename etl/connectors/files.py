"""A drop folder of .csv and .xlsx files. Each file is read whole (files are small); a file's modification
time is its rows' watermark, so only a changed folder triggers a run.

Spreadsheets: the header is the first row holding every expected column name, so title rows above it are
skipped; blank rows, totals rows (合计, checked against their rows) and footer rows (填表人…) are not records
(etl/connectors/sheet.py). `_month` is the month of a monthly return, from the file name or the title.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
from python_calamine import CalamineError, CalamineWorkbook

from etl.config import MONTH_FIELD, SourceSpec
from etl.connectors.base import (Connector, MissingColumnError, Scope, SourceDataError, SourceUnavailableError,
                                 frame_of, with_row_ref)
from etl.connectors.sheet import Sheet, SheetReader, month_end
from metrics.windows import TZ

FILE_COLUMN = "_file"
MODIFIED_COLUMN = "_file_modified"  # use as the watermark column of a files source
MONTH_COLUMN = MONTH_FIELD  # the month a monthly return covers, as its last day


def _cell(value):
    """A cell as openpyxl gives it, which the sheet reader was written against: calamine (python-calamine) reads
    a workbook ~25x faster, but gives an empty cell as '', a whole number as float and a date as a date."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53:
        return int(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


def expected_columns(spec: SourceSpec) -> list[str]:
    names = list(spec.header_row_contains) or [
        *spec.fields, spec.unit.column, spec.unit.fallback, spec.category.column, *spec.natural_key]
    return [n for n in dict.fromkeys(names) if n and n not in (FILE_COLUMN, MODIFIED_COLUMN, MONTH_COLUMN)]


class FilesConnector(Connector):
    pushdown = False

    def __init__(self, spec: SourceSpec):
        super().__init__(spec)
        self.folder = Path(spec.folder)
        self.findings: dict[tuple[str, str], dict] = {}  # (file, detail) -> finding, of the files read

    def _files(self) -> list[tuple[Path, str]]:
        if not self.folder.is_dir():
            raise SourceUnavailableError(f"source '{self.spec.name}': folder {self.folder} does not exist")
        found = []
        for path in sorted(self.folder.glob(self.spec.pattern)):
            if path.suffix.lower() not in (".csv", ".xlsx") or path.name.startswith("~$"):
                continue  # Excel lock files and stray documents are not data
            modified = dt.datetime.fromtimestamp(path.stat().st_mtime, TZ).strftime("%Y-%m-%d %H:%M:%S")
            found.append((path, modified))
        return found

    def changed(self, since: str) -> Iterator[pd.DataFrame]:
        yield from self._joined(frame for path, modified in self._files() if modified >= since
                                for frame in self._read(path, modified))

    def extract(self, scope: Scope) -> Iterator[pd.DataFrame]:
        yield from self._joined(frame for path, modified in self._files() for frame in self._read(path, modified))

    def _joined(self, frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        """Consecutive files' rows in chunks of up to spec.chunk_rows: validating and settling a chunk costs
        ~10 ms whatever its size, and a folder of monthly returns holds a thousand files of a few rows."""
        held: list[pd.DataFrame] = []
        rows = 0
        for frame in frames:
            if held and (rows + len(frame) > self.spec.chunk_rows or list(frame.columns) != list(held[0].columns)):
                yield pd.concat(held, ignore_index=True) if len(held) > 1 else held[0]
                held, rows = [], 0
            held.append(frame)
            rows += len(frame)
        if held:
            yield pd.concat(held, ignore_index=True) if len(held) > 1 else held[0]

    def _read(self, path: Path, modified: str) -> Iterator[pd.DataFrame]:
        try:
            if path.suffix.lower() == ".csv":
                sheet = self._read_csv(path)
            else:
                sheet = self._read_xlsx(path)
        except (OSError, zipfile.BadZipFile, KeyError, ValueError, UnicodeDecodeError, CalamineError) as exc:
            raise SourceDataError(f"source '{self.spec.name}': cannot read {path.name}: {exc}") from None
        for detail in sheet.findings:
            self.findings[(path.name, detail)] = {"file_ref": path.name, "kind": "totals_mismatch", "detail": detail}
        rows, numbers = sheet.rows, sheet.numbers
        extra = {FILE_COLUMN: path.name, MODIFIED_COLUMN: modified}
        if MONTH_FIELD in self.spec.fields:
            extra[MONTH_COLUMN] = self._month_of(path.name, sheet.title)
        for start in range(0, max(len(rows), 1), self.spec.chunk_rows):
            part = rows[start:start + self.spec.chunk_rows]
            if not part:
                return
            frame = frame_of(part, sheet.header).assign(**extra)
            refs = [f"{path.name}:{n}" for n in numbers[start:start + self.spec.chunk_rows]]
            yield with_row_ref(frame, self.spec, refs)

    def _month_of(self, name: str, title: str) -> str | None:
        """The title's month when a period pattern is given and found, else the file name's month group."""
        if self.spec.period is not None:
            found = re.search(self.spec.period.title_pattern, title)
            if found and 1 <= int(found.group("month")) <= 12:
                return month_end(int(found.group("year")), int(found.group("month")))
        if self.spec.submissions is not None:
            found = re.fullmatch(self.spec.submissions.file_pattern, name)
            month = found and re.fullmatch(r"(\d{4})-?(\d{1,2})", found.group("month"))
            if month and 1 <= int(month.group(2)) <= 12:
                return month_end(int(month.group(1)), int(month.group(2)))
        return None

    def _read_csv(self, path: Path) -> Sheet:
        with open(path, encoding=self.spec.encoding, newline="") as fh:
            sheet = SheetReader(self.spec, expected_columns(self.spec)).read(
                enumerate(csv.reader(fh), start=1), header_first=True)
        sheet.header = [h.strip() for h in sheet.header or []]
        self._check_header(path, sheet.header)
        return sheet

    def _read_xlsx(self, path: Path) -> Sheet:
        grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
        wanted = expected_columns(self.spec)
        sheet = SheetReader(self.spec, wanted).read(enumerate(([_cell(v) for v in row] for row in grid), start=1),
                                                    header_first=False)
        if sheet.header is None:
            raise SourceDataError(f"source '{self.spec.name}': no header row with {sorted(wanted)} in {path.name}")
        return sheet

    def _check_header(self, path: Path, header: list[str]) -> None:
        missing = [c for c in expected_columns(self.spec) if c not in header]
        if missing:
            raise MissingColumnError(f"source '{self.spec.name}': configuration error: {path.name} has no "
                                     f"column(s) {missing} named in the block (header: {header[:40]})")
