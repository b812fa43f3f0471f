"""Property-based fuzzing (CI size) of every reader, the query language and the config loader.

Each input must either work or raise a BrandhaloError subclass (the documented errors); any
other exception, a hang (pytest-timeout) or a store left inconsistent is a failure. The long
runs with counts are in benchmarks/fuzz.py.
"""

from __future__ import annotations

import contextlib
import itertools
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rel_fuzzing import (
    config_dicts,
    config_one,
    ingest_one,
    queries,
    query_one,
    reader_inputs,
    toml_texts,
)

from brandhalo.errors import BrandhaloError, ConfigError, InputError, QueryError
from brandhalo.workspace import init_workspace, template_text

CI = settings(
    max_examples=120,
    deadline=None,  # hangs are caught by pytest-timeout; speed is measured in benchmarks
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


@pytest.mark.timeout(240)
def test_fuzz_readers_raise_only_documented_errors() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ws = init_workspace(Path(tmp) / "ws")
        counter = itertools.count()
        seen: dict[str, int] = {"ok": 0, "error": 0}

        @settings(CI, max_examples=80)
        @given(reader_inputs())
        def one(inp: tuple[str, bytes]) -> None:
            fmt, raw = inp
            try:
                ingest_one(ws, Path(tmp), next(counter), fmt, raw)
                seen["ok"] += 1
            except BrandhaloError:
                seen["error"] += 1

        try:
            one()
            # The store stayed consistent: one row per post id, every row with text and time.
            row = ws.store.con.execute(
                "SELECT count(*), count(DISTINCT post_id), count(text), count(created_at) "
                "FROM posts"
            ).fetchone()
            assert row is not None and row[0] == row[1] == row[2] == row[3]
        finally:
            ws.close()
        assert seen["ok"] > 0 and seen["error"] > 0  # both paths were exercised


@pytest.mark.timeout(120)
@CI
@given(queries)
def test_fuzz_query_language(q: str) -> None:
    try:
        query_one(q)
    except QueryError as exc:
        assert str(exc)  # a message that points somewhere


@pytest.mark.timeout(120)
@CI
@given(config_dicts)
def test_fuzz_parse_config(data: dict[str, Any]) -> None:
    try:
        config_one(data)
    except ConfigError as exc:
        assert str(exc)


@pytest.mark.timeout(120)
def test_fuzz_load_config_from_toml_text() -> None:
    from brandhalo.config import load_config

    template = template_text()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)

        @CI
        @given(toml_texts(template), st.booleans())
        def one(text: str, raw_bytes: bool) -> None:
            path = folder / "brandhalo.toml"
            if raw_bytes:
                path.write_bytes(text.encode("utf-16", errors="surrogatepass"))
            else:
                path.write_text(text, encoding="utf-8", errors="surrogatepass")
            with contextlib.suppress(ConfigError):
                load_config(folder)

        one()


def test_query_language_cannot_reach_sql(tmp_ws: Any) -> None:
    """SQL or DuckDB functions inside a query are matched as words, never executed."""
    from brandhalo.text.query import compile_query

    for q in (
        "'; DROP TABLE posts; --",
        "x') OR 1=1 --",
        "read_csv('/etc/passwd')",
        "\"; COPY posts TO '/tmp/x.csv'; --\"",
    ):
        try:
            cq = compile_query(q)
        except QueryError:
            continue
        hits = cq.matches(["nothing here", "read_csv /etc/passwd"])
        assert hits.dtype == bool
    assert tmp_ws.store.count("posts") == 0  # still there, still empty


@pytest.mark.parametrize(
    "raw",
    [b"", b"\x00" * 100, b"\xff\xfe" + "时间".encode("utf-16-le"), b"id,text\n" + b'"' * 5000],
)
def test_reader_edge_files(tmp_ws: Any, tmp_path: Path, raw: bytes) -> None:
    for fmt in ("csv", "jsonl", "parquet"):
        try:
            ingest_one(tmp_ws, tmp_path, 0, fmt, raw)
        except InputError as exc:
            assert "in0" in str(exc) or str(exc)
