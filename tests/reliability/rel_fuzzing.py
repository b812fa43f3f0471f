"""Hostile-input generators and one-input targets, shared by the CI fuzz tests and
benchmarks/fuzz.py (long runs, atheris).

Each target takes one input and either returns or raises a :class:`BrandhaloError`; anything
else is a bug. Strategies lean towards what breaks parsers: quotes, separators, NUL bytes,
mixed encodings, surrogates, huge numbers, odd time formats, deep nesting.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

FORMATS = ("csv", "tsv", "jsonl", "parquet")
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "utf-16", "latin-1", "big5", "shift_jis")
POST_COLUMNS = ("id", "text", "created_at", "source", "author_name", "likes", "url", "lang")
NASTY = [
    "",
    " ",
    '"',
    '""',
    ",",
    "\t",
    "\n",
    "\r\n",
    "\x00",
    "\\",
    "NULL",
    "null",
    "NaN",
    "-0",
    "1e309",
    "9" * 40,
    "-9223372036854775809",
    "\ud83d\ude00",
    "小米SU7 刹车",
    "<script>alert(1)</script>",
    "'; DROP TABLE posts; --",
    "\u202e\u200b\ufeff",
    "%s%n",
    "{{7*7}}",
]
TIMES = [
    "2025-03-01",
    "2025-03-01T10:00:00",
    "2025-03-01 10:00:00+08:00",
    "2025-03-01T10:00:00Z",
    "2025/3/1 10:00",
    "2025年3月1日 10:00",
    "1740794400",
    "1740794400123",
    "0",
    "-1",
    "99999999999999999999",
    "2025-02-30",
    "2025-13-01",
    "24:00",
    "0000-00-00 00:00:00",
    "10000-01-01",
    "昨天 10:00",
    "3分钟前",
    "Sat, 01 Mar 2025 10:00:00 GMT",
    "2025-03-01T10:00:00+25:00",
]

cell = st.one_of(
    st.sampled_from(NASTY),
    st.sampled_from(TIMES),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True).map(str),
)
row = st.fixed_dictionaries({}, optional={c: cell for c in POST_COLUMNS})
rows = st.lists(row, max_size=12)
header = st.lists(
    st.one_of(st.sampled_from(POST_COLUMNS), st.text(max_size=12)), min_size=0, max_size=9
)


def _delimited(hdr: list[str], data: list[dict[str, str]], sep: str) -> str:
    def q(v: str) -> str:
        return '"' + v.replace('"', '""') + '"' if any(c in v for c in f'"{sep}\n\r') else v

    lines = [sep.join(q(h) for h in hdr)]
    lines += [sep.join(q(r.get(h, "")) for h in hdr) for r in data]
    return "\n".join(lines)


@st.composite
def reader_inputs(draw: Any) -> tuple[str, bytes]:
    """(format, file bytes): structured but hostile files, or plain random bytes."""
    fmt = draw(st.sampled_from(FORMATS))
    if draw(st.integers(0, 9)) == 0:
        return fmt, draw(st.binary(max_size=400))
    hdr = draw(header) if draw(st.booleans()) else ["id", "text", "created_at"]
    data = draw(rows)
    if fmt in ("csv", "tsv"):
        text = _delimited(hdr, data, "," if fmt == "csv" else "\t")
        if draw(st.integers(0, 5)) == 0:  # cut anywhere: a half-written file
            text = text[: draw(st.integers(0, len(text)))]
        enc = draw(st.sampled_from(ENCODINGS))
        raw = text.encode(enc, errors="surrogatepass" if enc.startswith("utf") else "replace")
    elif fmt == "jsonl":
        objs = [
            draw(st.one_of(st.just(r), st.sampled_from([[], 1, "x", None, {"a": {"b": [1]}}])))
            for r in data
        ]
        raw = "\n".join(json.dumps(o, ensure_ascii=draw(st.booleans())) for o in objs).encode(
            "utf-8", "surrogatepass"
        )
        if draw(st.integers(0, 5)) == 0:
            raw = raw[: draw(st.integers(0, len(raw)))] + b'{"broken'
    else:
        raw = _parquet(hdr, data, draw(st.booleans()))
        if draw(st.integers(0, 6)) == 0:
            raw = raw[: draw(st.integers(0, len(raw)))]
    if draw(st.integers(0, 8)) == 0:
        raw = gzip.compress(raw)
        fmt = fmt + ".gz"
    return fmt, raw


def _utf8(v: str | None) -> str | None:
    """Parquet strings are UTF-8: lone surrogates become U+FFFD."""
    return None if v is None else v.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def _parquet(hdr: list[str], data: list[dict[str, str]], typed: bool) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    names = list(dict.fromkeys(_utf8(h) or "x" for h in hdr if h)) or ["x"]
    cols: dict[str, Any] = {}
    for h in names:
        vals = [_utf8(r.get(h)) for r in data]
        if typed and h == "likes":
            cols[h] = pa.array([len(v or "") for v in vals], pa.int64())
        elif typed and h == "created_at":
            cols[h] = pa.array([1_700_000_000 + len(v or "") for v in vals], pa.timestamp("s"))
        else:
            cols[h] = pa.array(vals, pa.string())
    buf = io.BytesIO()
    pq.write_table(pa.table(cols), buf)
    return buf.getvalue()


def ingest_one(ws: Any, folder: Path, n: int, fmt: str, raw: bytes) -> None:
    """Write `raw` as file number `n` with the format's extension and ingest it as posts."""
    from brandhalo.ingest import ingest_files

    path = folder / f"in{n}.{fmt}"
    path.write_bytes(raw)
    try:
        ingest_files(ws, "posts", [path])
    finally:
        path.unlink()


QUERY_WORDS = [
    "AND", "OR", "NOT", "NEAR/2", "NEAR/0", "NEAR/999999", "(", ")", '"', "author:",
    "source:", "lang:", "小米", "SU7", "刹车", "*", "?", "-", "+", ":", "\\", "'",
    "'; DROP TABLE posts; --", "read_csv('/etc/passwd')", "posts", "\x00", " ",
]  # fmt: skip
queries = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(QUERY_WORDS), max_size=25).map(" ".join),
    st.lists(st.sampled_from(QUERY_WORDS), max_size=25).map("".join),
    st.integers(1, 400).map(lambda n: "(" * n + "a" + ")" * n),
    st.integers(1, 400).map(lambda n: " OR ".join(["x"] * n)),
)
TEXTS = ["小米SU7 刹车 问题", "su7 brake AND safety", "", "NOT a thing", '"quoted" 交付', "x"]


def query_one(q: str) -> None:
    """Compile `q` and run it over a few texts (with authors, sources, langs)."""
    from brandhalo.text.query import compile_query

    cq = compile_query(q)
    hits = cq.matches(TEXTS, authors=["a"] * 6, sources=["weibo"] * 6, langs=["zh"] * 6)
    assert len(hits) == len(TEXTS)


json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**64), 2**64),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.dates().map(str),
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
SECTIONS = [
    "workspace", "brands", "personas", "products", "price_bands", "themes", "segments",
    "params", "sentiment", "alerts", "server",
]  # fmt: skip
config_dicts = st.dictionaries(
    st.one_of(st.sampled_from(SECTIONS), st.text(max_size=10)), json_value, max_size=6
)


@st.composite
def toml_texts(draw: Any, template: str) -> str:
    """TOML texts: the template cut or spliced with junk, or random text."""
    kind = draw(st.integers(0, 2))
    if kind == 0:
        return str(draw(st.text(max_size=200)))
    lines = template.splitlines()
    i = draw(st.integers(0, len(lines)))
    junk = draw(st.sampled_from(NASTY + ["[", "[[x]]", "a = ", "= 1", 'x = """', "[brands"]))
    if kind == 1:
        lines.insert(i, junk)
    else:
        lines = lines[:i]
    return "\n".join(lines)


def config_one(data: dict[str, Any]) -> None:
    from brandhalo.config import parse_config

    parse_config(data)
