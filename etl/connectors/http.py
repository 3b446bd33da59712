"""A JSON document of records, fetched over HTTP(S) or read from a file path (the same export)."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import requests

from etl.config import SourceSpec
from etl.connectors.base import Connector, Scope, SourceDataError, SourceUnavailableError, frame_of, with_row_ref


class HttpConnector(Connector):
    pushdown = False

    def __init__(self, spec: SourceSpec):
        super().__init__(spec)
        self._records: list[dict] | None = None

    def _fetch(self) -> object:
        url = self.spec.url
        if url.startswith(("http://", "https://")):
            try:
                response = requests.get(url, timeout=self.spec.timeout_seconds)
            except requests.RequestException as exc:
                raise SourceUnavailableError(f"source '{self.spec.name}': {url} unreachable: "
                                             f"{type(exc).__name__}") from None
            if response.status_code >= 400:
                raise SourceUnavailableError(f"source '{self.spec.name}': {url} answered HTTP {response.status_code}")
            body = response.text
        else:
            path = Path(url.removeprefix("file://"))
            try:
                body = path.read_text(encoding="utf-8-sig")
            except OSError as exc:
                raise SourceUnavailableError(f"source '{self.spec.name}': cannot read {path}: {exc.strerror}") from None
        try:
            return json.loads(body)
        except json.JSONDecodeError as exc:
            raise SourceDataError(f"source '{self.spec.name}': {url} is not JSON "
                                  f"({exc.msg} at line {exc.lineno})") from None

    def _all_records(self) -> list[dict]:
        if self._records is None:  # one fetch per run: changed() and extract() share it
            document = self._fetch()
            for part in (self.spec.records or "").split("."):
                if not part:
                    continue
                if not isinstance(document, dict) or part not in document:
                    raise SourceDataError(f"source '{self.spec.name}': the JSON has no '{self.spec.records}'")
                document = document[part]
            if not isinstance(document, list) or not all(isinstance(r, dict) for r in document):
                raise SourceDataError(f"source '{self.spec.name}': '{self.spec.records}' is not a list of objects")
            self._records = document
        return self._records

    def _frames(self, records: list[dict]) -> Iterator[pd.DataFrame]:
        columns = list(dict.fromkeys(k for r in records for k in r))
        for start in range(0, len(records), self.spec.chunk_rows):
            part = records[start:start + self.spec.chunk_rows]
            frame = frame_of([tuple(r.get(c) for c in columns) for r in part], columns)
            yield with_row_ref(frame, self.spec, [f"item {start + i + 1}" for i in range(len(part))])

    def changed(self, since: str) -> Iterator[pd.DataFrame]:
        column = self.spec.watermark.column
        yield from self._frames([r for r in self._all_records()
                                 if r.get(column) is not None and str(r.get(column)) >= since])

    def extract(self, scope: Scope) -> Iterator[pd.DataFrame]:
        yield from self._frames(self._all_records())
