"""A drop folder of .csv and .xlsx files. Each file is read whole (files are small); a file's modification
time is its rows' watermark, so only a changed folder triggers a run.

Spreadsheets: the header is the first row holding every expected column name, so title rows above it are
skipped; blank rows and totals rows (合计) are not records.
"""
from __future__ import annotations

import csv
import datetime as dt
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from etl.config import SourceSpec
from etl.connectors.base import Connector, Scope, SourceDataError, SourceUnavailableError, frame_of, with_row_ref
from metrics.windows import TZ

FILE_COLUMN = "_file"
MODIFIED_COLUMN = "_file_modified"  # use as the watermark column of a files source


def expected_columns(spec: SourceSpec) -> list[str]:
    names = list(spec.header_row_contains) or [
        *spec.fields, spec.unit.column, spec.unit.fallback, spec.category.column, *spec.natural_key]
    return [n for n in dict.fromkeys(names) if n and not n.startswith("_file")]


class FilesConnector(Connector):
    pushdown = False

    def __init__(self, spec: SourceSpec):
        super().__init__(spec)
        self.folder = Path(spec.folder)

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
                rows, header, numbers = self._read_csv(path)
            else:
                rows, header, numbers = self._read_xlsx(path)
        except (OSError, zipfile.BadZipFile, KeyError, ValueError, UnicodeDecodeError) as exc:
            raise SourceDataError(f"source '{self.spec.name}': cannot read {path.name}: {exc}") from None
        for start in range(0, max(len(rows), 1), self.spec.chunk_rows):
            part = rows[start:start + self.spec.chunk_rows]
            if not part:
                return
            frame = frame_of(part, header).assign(**{FILE_COLUMN: path.name, MODIFIED_COLUMN: modified})
            refs = [f"{path.name}:{n}" for n in numbers[start:start + self.spec.chunk_rows]]
            yield with_row_ref(frame, self.spec, refs)

    def _read_csv(self, path: Path):
        with open(path, encoding=self.spec.encoding, newline="") as fh:
            reader = csv.reader(fh)
            header = [h.strip() for h in next(reader, [])]
            rows, numbers = [], []
            for line_no, row in enumerate(reader, start=2):
                if not any(c.strip() for c in row) or self._is_totals(row):
                    continue
                rows.append(tuple((row + [None] * len(header))[:len(header)]))
                numbers.append(line_no)
        self._check_header(path, header)
        return rows, header, numbers

    def _read_xlsx(self, path: Path):
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            wanted = set(expected_columns(self.spec))
            header: list[str] | None = None
            rows, numbers = [], []
            for row_no, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if header is None:
                    cells = [str(v).strip() if v is not None else "" for v in values]
                    if wanted <= set(cells):
                        header = cells
                    continue
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in values) or self._is_totals(values):
                    continue
                rows.append(tuple((list(values) + [None] * len(header))[:len(header)]))
                numbers.append(row_no)
        finally:
            book.close()
        if header is None:
            raise SourceDataError(f"source '{self.spec.name}': no header row with {sorted(wanted)} in {path.name}")
        return rows, header, numbers

    def _is_totals(self, values) -> bool:
        first = next((v for v in values if v is not None and str(v).strip()), None)
        return isinstance(first, str) and first.strip().replace(" ", "").startswith(self.spec.skip_rows_starting_with)

    def _check_header(self, path: Path, header: list[str]) -> None:
        missing = [c for c in expected_columns(self.spec) if c not in header]
        if missing:
            raise SourceDataError(f"source '{self.spec.name}': {path.name} has no column(s) {missing}")
