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

from etl.config import MONTH_FIELD, SourceSpec
from etl.connectors.base import (Connector, MissingColumnError, Scope, SourceDataError, SourceUnavailableError,
                                 frame_of, with_row_ref)
from etl.connectors.sheet import Sheet, SheetReader, month_end
from metrics.windows import TZ

FILE_COLUMN = "_file"
MODIFIED_COLUMN = "_file_modified"  # use as the watermark column of a files source
MONTH_COLUMN = MONTH_FIELD  # the month a monthly return covers, as its last day


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
        for path, modified in self._files():
            if modified >= since:
                yield from self._read(path, modified)

    def extract(self, scope: Scope) -> Iterator[pd.DataFrame]:
        for path, modified in self._files():
            yield from self._read(path, modified)

    def _read(self, path: Path, modified: str) -> Iterator[pd.DataFrame]:
        try:
            if path.suffix.lower() == ".csv":
                sheet = self._read_csv(path)
            else:
                sheet = self._read_xlsx(path)
        except (OSError, zipfile.BadZipFile, KeyError, ValueError, UnicodeDecodeError) as exc:
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
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        try:
            wanted = expected_columns(self.spec)
            sheet = SheetReader(self.spec, wanted).read(
                enumerate(book.worksheets[0].iter_rows(values_only=True), start=1), header_first=False)
        finally:
            book.close()
        if sheet.header is None:
            raise SourceDataError(f"source '{self.spec.name}': no header row with {sorted(wanted)} in {path.name}")
        return sheet

    def _check_header(self, path: Path, header: list[str]) -> None:
        missing = [c for c in expected_columns(self.spec) if c not in header]
        if missing:
            raise MissingColumnError(f"source '{self.spec.name}': configuration error: {path.name} has no "
                                     f"column(s) {missing} named in the block (header: {header[:40]})")
