"""Every input kind, in every format (csv, tsv, jsonl, parquet, gzip'd), lands typed in its table."""

from __future__ import annotations

import datetime as dt

import pytest
from ingest_helpers import posts

from brandhalo.errors import InputError
from brandhalo.ingest import KINDS, ingest_files, ingest_records

POSTS = [
    {
        "id": "a1",
        "text": "小米SU7 交付很快",
        "created_at": "2025-05-21T10:00:00+08:00",
        "author_id": "u1",
        "likes": "3",
        "reposts": "1",
        "comments": "0",
        "source": "weibo",
    },
    {
        "id": "a2",
        "text": "price is too high",
        "created_at": "2025-05-21T11:30:00+08:00",
        "author_id": "u2",
        "likes": "",
        "reposts": "0",
        "comments": "2",
        "source": "x",
    },
]


@pytest.mark.parametrize(
    ("name", "kw"),
    [
        ("p.csv", {}),
        ("p.tsv", {}),
        ("p.jsonl", {}),
        ("p.parquet", {}),
        ("p.csv.gz", {"gz": True}),
        ("p.jsonl.gz", {"gz": True, "fmt": "jsonl"}),
        ("p.tsv.gz", {"gz": True, "fmt": "tsv"}),
    ],
)
def test_posts_every_format(tmp_ws, rows_file, name, kw):
    report = ingest_files(tmp_ws, "posts", [rows_file(name, POSTS, **kw)])
    assert report.totals["inserted"] == 2 and report.totals["quarantined"] == 0
    got = {p["post_id"]: p for p in posts(tmp_ws)}
    assert got["a1"]["text"] == "小米SU7 交付很快"
    assert got["a1"]["created_at"] == dt.datetime(2025, 5, 21, 2, 0)
    assert got["a1"]["tz_offset_min"] == 480
    assert (got["a1"]["likes"], got["a1"]["reposts"], got["a2"]["likes"]) == (3, 1, 0)
    assert got["a2"]["comments"] == 2 and got["a2"]["source"] == "x"
    assert got["a1"]["origin_id"] == "a1" and not got["a1"]["is_repost"]


def test_format_override_and_unknown_extension(tmp_ws, rows_file):
    path = rows_file("export.dat", POSTS, fmt="csv")
    with pytest.raises(InputError, match="--format"):
        ingest_files(tmp_ws, "posts", [path])
    assert ingest_files(tmp_ws, "posts", [path], fmt="csv").totals["inserted"] == 2


def test_parquet_native_types(tmp_ws, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    t = pa.table(
        {
            "text": ["a", "b"],
            "created_at": pa.array(
                [dt.datetime(2025, 1, 1, 12), dt.datetime(2025, 1, 2, 12)],
                pa.timestamp("us", tz="UTC"),
            ),
            "likes": pa.array([5, 7], pa.int64()),
            "simulated": [True, False],
        }
    )
    pq.write_table(t, tmp_path / "native.parquet")
    ingest_files(tmp_ws, "posts", [tmp_path / "native.parquet"])
    rows = posts(tmp_ws, order="created_at")
    assert [r["created_at"] for r in rows] == [
        dt.datetime(2025, 1, 1, 12),
        dt.datetime(2025, 1, 2, 12),
    ]
    assert [r["likes"] for r in rows] == [5, 7]
    assert [r["simulated"] for r in rows] == [True, False]


def _table(ws, table, cols):
    return ws.store.con.execute(f"SELECT {cols} FROM {table} ORDER BY ALL").fetchall()


@pytest.mark.parametrize("suffix", ["csv", "jsonl", "parquet"])
def test_sales_market_financials(tmp_ws, rows_file, suffix):
    sales = [
        {
            "period": "2025-04",
            "brand": "Xiaomi",
            "product": "SU7",
            "units": "28,000",
            "price": "215900",
            "region": "CN",
        },
        {"period": "2025Q1", "brand": "Xiaomi", "product": "SU7", "units": "75869"},
        {
            "period": "2025-05-21",
            "brand": "Xiaomi",
            "product": "SU7",
            "units": "258000",
            "cumulative": "true",
        },
    ]
    ingest_files(tmp_ws, "sales", [rows_file(f"s.{suffix}", sales)])
    assert _table(tmp_ws, "sales", "period_start, period_end, grain, units, cumulative, price") == [
        (dt.date(2025, 1, 1), dt.date(2025, 3, 31), "quarter", 75869.0, False, None),
        (dt.date(2025, 4, 1), dt.date(2025, 4, 30), "month", 28000.0, False, 215900.0),
        (dt.date(2025, 5, 21), dt.date(2025, 5, 21), "day", 258000.0, True, None),
    ]
    market = [
        {"period": "2025/04", "category": "phone", "price_band": "3000-3999", "units": "100"},
        {"period": "2025年4月", "category": "phone", "price_band": "6000+", "units": "50"},
        {"period": "2025-04", "category": "phone", "price_band": "<1000", "units": "20"},
    ]
    ingest_files(tmp_ws, "market", [rows_file(f"m.{suffix}", market)])
    assert _table(tmp_ws, "market", "period_start, price_band, price_low, price_high, units") == [
        (dt.date(2025, 4, 1), "3000-3999", 3000.0, 3999.0, 100.0),
        (dt.date(2025, 4, 1), "6000+", 6000.0, None, 50.0),
        (dt.date(2025, 4, 1), "<1000", 0.0, 1000.0, 20.0),
    ]
    fin = [
        {
            "period": "Q1 2025",
            "brand": "Xiaomi",
            "line": "EV",
            "revenue": "18.6e9",
            "gross_margin": "23.2%",
        },
        {
            "period": "2024",
            "brand": "Xiaomi",
            "line": "EV",
            "revenue": "32.8e9",
            "gross_margin": "0.185",
        },
    ]
    ingest_files(tmp_ws, "financials", [rows_file(f"f.{suffix}", fin)])
    got = _table(tmp_ws, "financials", "period_start, period_end, grain, revenue, gross_margin")
    assert got == [
        (dt.date(2024, 1, 1), dt.date(2024, 12, 31), "year", 32.8e9, 0.185),
        (dt.date(2025, 1, 1), dt.date(2025, 3, 31), "quarter", 18.6e9, pytest.approx(0.232)),
    ]


@pytest.mark.parametrize("suffix", ["tsv", "jsonl", "parquet"])
def test_events_targets_labels(tmp_ws, rows_file, suffix):
    events = [
        {"date": "2025-03-29", "brand": "Xiaomi", "title": "SU7 crash", "kind": "incident"},
        {"date": "2025年5月22日", "brand": "Xiaomi", "title": "YU7 launch"},
    ]
    ingest_files(tmp_ws, "events", [rows_file(f"e.{suffix}", events)])
    assert _table(tmp_ws, "events", "date, title, kind") == [
        (dt.date(2025, 3, 29), "SU7 crash", "incident"),
        (dt.date(2025, 5, 22), "YU7 launch", None),
    ]
    targets = [{"brand": "Xiaomi", "product": "SU7", "year": "2025", "units": "350000"}]
    ingest_files(tmp_ws, "targets", [rows_file(f"t.{suffix}", targets)])
    assert _table(tmp_ws, "targets", "brand, product, year, units") == [
        ("Xiaomi", "SU7", 2025, 350000.0)
    ]
    labels = [
        {"text": "续航太差", "label": "negative", "aspect": "product"},
        {"post_id": "a1", "label": "positive"},
    ]
    ingest_files(tmp_ws, "labels", [rows_file(f"l.{suffix}", labels)])
    assert _table(tmp_ws, "labels", "coalesce(text, post_id), label, aspect") == [
        ("a1", "positive", None),
        ("续航太差", "negative", "product"),
    ]


def test_ingest_records_same_rules(tmp_ws):
    report = ingest_records(
        tmp_ws,
        "posts",
        [
            {"id": "r1", "text": "ok", "created_at": 1747792800, "likes": 4},
            {"id": "r2", "text": "", "created_at": "2025-05-21"},
        ],
        source_name="api",
    )
    assert report.totals == {
        "rows_read": 2,
        "inserted": 1,
        "duplicates": 0,
        "quarantined": 1,
        "files": 1,
        "skipped": 0,
        "failed": 0,
    }
    row = posts(tmp_ws)[0]
    assert row["created_at"] == dt.datetime(2025, 5, 21, 2, 0) and row["likes"] == 4
    q = tmp_ws.store.con.execute('SELECT file, line, "column", reason FROM quarantine').fetchall()
    assert q == [("api", 2, "text", "missing required value")]
    again = ingest_records(tmp_ws, "posts", [{"id": "r1", "text": "ok", "created_at": 1747792800}])
    assert again.totals["duplicates"] == 1 and again.totals["inserted"] == 0


def test_kinds_are_the_contract():
    assert list(KINDS) == ["posts", "sales", "market", "financials", "events", "targets", "labels"]


def test_gzip_detected_by_content_and_empty_files(tmp_ws, tmp_path, rows_file):
    path = rows_file("export.dat", POSTS, fmt="csv", gz=True)
    assert ingest_files(tmp_ws, "posts", [path], fmt="csv").totals["inserted"] == 2
    header_only = tmp_path / "h.csv"
    header_only.write_text("id,text,created_at\n", encoding="utf-8")
    assert ingest_files(tmp_ws, "posts", [header_only]).totals["rows_read"] == 0
    empty = tmp_path / "e.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        ingest_files(tmp_ws, "posts", [empty])
    with pytest.raises(InputError, match="no such file"):
        ingest_files(tmp_ws, "posts", [tmp_path / "missing.csv"])


@pytest.mark.parametrize(
    ("name", "body"),
    [("empty_list.json", "[]"), ("spaced.json", " [ ]\n"), ("e.jsonl", ""), ("b.jsonl", "\n\n")],
)
def test_empty_json_export_is_a_file_with_no_rows(tmp_ws, tmp_path, name, body):
    # MediaCrawler writes `[]` for a search without results: 0 rows, like a header-only CSV.
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    report = ingest_files(tmp_ws, "posts", [path])
    f = report.files[0]
    assert (f.status, f.rows_read, f.inserted, f.error) == ("done", 0, 0, None)
    assert ingest_files(tmp_ws, "posts", [path]).files[0].status == "skipped"


def test_keep_going_reports_a_bad_file_and_loads_the_rest(tmp_ws, tmp_path, rows_file):
    good = rows_file("p.csv", POSTS)
    bad = tmp_path / "no_text.csv"
    bad.write_text("words,when\nx,2025-05-21\n", encoding="utf-8")
    later = rows_file("q.jsonl", [dict(POSTS[0], id="b1")])
    with pytest.raises(InputError, match="no_text.csv"):
        ingest_files(tmp_ws, "posts", [bad, good])
    report = ingest_files(tmp_ws, "posts", [good, bad, later], keep_going=True)
    assert [f.status for f in report.files] == ["done", "failed", "done"]
    assert report.files[1].error is not None and "no_text.csv" in report.files[1].error
    assert report.totals["failed"] == 1 and report.totals["inserted"] == 3
    assert report.failed == [report.files[1]]


def test_windows_line_ends_and_quoted_bom_header(tmp_ws, tmp_path):
    crlf = tmp_path / "crlf.csv"
    crlf.write_bytes(b'id,text,created_at\r\n1,"a\r\nb",2025-05-21\r\n2,c,2025-05-22\r\n')
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b'\xef\xbb\xbf"id","text","created_at"\r\n"3","x ""q""",2025-05-21\r\n')
    assert ingest_files(tmp_ws, "posts", [crlf, bom]).totals["inserted"] == 3
    got = tmp_ws.store.con.execute("SELECT post_id, text FROM posts ORDER BY post_id").fetchall()
    assert got == [("1", "a\r\nb"), ("2", "c"), ("3", 'x "q"')]
