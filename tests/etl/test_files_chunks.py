"""A drop folder of many small files is read in chunks of up to `chunk_rows` rows joined across files
(etl/connectors/files.py: _joined): whatever the files' sizes and columns, the chunks hold every row once, in
file order, each chunk within the limit and of one set of columns."""
from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.config import parse_sources
from etl.connectors.base import ROW_REF, Scope
from etl.connectors.files import FilesConnector

SOURCE = """
sources:
  sheets:
    kind: files
    folder: "{folder}"
    pattern: "*.csv"
    chunk_rows: {chunk_rows}
    unit: {{column: 单位}}
    fields:
      活动日期: {{type: date}}
      参与人数: {{type: integer}}
    metrics:
      education_participants: {{sum: 参与人数, date: 活动日期}}
"""
SIZES = st.lists(st.integers(0, 9), min_size=1, max_size=25)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sizes=SIZES, extra_every=st.sampled_from([0, 1, 2, 3]), chunk_rows=st.integers(1, 12))
def test_small_files_are_read_in_joined_chunks_with_every_row_once(tmp_path_factory, sizes, extra_every, chunk_rows):
    """`extra_every`: every n-th file has one more column (0: none has)."""
    files = [(rows, bool(extra_every) and i % extra_every == 0) for i, rows in enumerate(sizes)]
    folder = tmp_path_factory.mktemp("drop")
    expected = []
    for i, (rows, extra) in enumerate(files):
        header = "单位,活动日期,参与人数" + (",备注" if extra else "")
        lines = [f"广东,2024-03-{r + 1:02d},{i * 100 + r}" + (",手填" if extra else "") for r in range(rows)]
        (folder / f"f{i:03d}.csv").write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
        expected += [(f"f{i:03d}.csv", str(i * 100 + r)) for r in range(rows)]
    spec = parse_sources(SOURCE.format(folder=folder, chunk_rows=chunk_rows), {})["sheets"]

    chunks = list(FilesConnector(spec).extract(Scope()))

    assert all(len(chunk) <= chunk_rows for chunk in chunks)
    assert all(chunk[col].notna().all() for chunk in chunks for col in chunk.columns)  # no column filled in
    got = pd.concat(chunks, ignore_index=True) if chunks else pd.DataFrame(columns=[ROW_REF, "参与人数", "_file"])
    assert list(zip(got["_file"], got["参与人数"])) == expected
    assert got[ROW_REF].is_unique
    if len({extra for rows, extra in files if rows}) == 1:  # one shape: chunks are filled as they go
        assert len(chunks) <= 2 * len(expected) // chunk_rows + 1
