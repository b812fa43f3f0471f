"""Every input kind, in every format (csv, tsv, jsonl, parquet, gzip'd), lands typed in its table."""

from __future__ import annotations

import datetime as dt

import pytest
from ingest_helpers import posts, quarantine

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
        "refreshed": 0,
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


def test_mixed_line_ends_that_stop_the_csv_reader_load_from_an_lf_copy(tmp_ws, tmp_path):
    # `cat linux.csv windows.csv`: LF lines, then CRLF lines starting with their own header.
    head = "id,text,created_at"
    lf = [f"{i},post {i},2025-03-0{i} 10:00:00" for i in (1, 2, 3)]
    crlf = [f'{i},"post\r\n{i}",2025-03-0{i} 10:00:00' for i in (4, 5, 6)]
    cat = tmp_path / "all.csv"
    cat.write_bytes(("\n".join([head, *lf]) + "\n" + "\r\n".join([head, *crlf]) + "\r\n").encode())
    # CR-only line ends, the last line CRLF (a copy saved by an old Mac tool).
    cr = tmp_path / "cr.csv"
    cr.write_bytes(("\r".join([head, "7,a,2025-03-07", "8,b,2025-03-08"]) + "\r\n").encode())
    report = ingest_files(tmp_ws, "posts", [cat, cr])
    assert [f.status for f in report.files] == ["done", "done"]
    assert report.totals["inserted"] == 8
    got = tmp_ws.store.con.execute("SELECT post_id, text FROM posts ORDER BY post_id").fetchall()
    assert got[3] == ("4", "post\r\n4")  # a line break inside quotes is kept as it was
    # The repeated header is quarantined on its line of the user's file.
    assert [(q[0], q[1]) for q in quarantine(tmp_ws)] == [(5, "created_at")]


def test_lf_copy_keeps_quoted_breaks_and_a_crlf_split_across_chunks(tmp_path, monkeypatch):
    from brandhalo.ingest import readers

    monkeypatch.setattr(readers, "_CHUNK", 4)
    src = tmp_path / "x.csv"
    src.write_bytes(b'a,b\r\n"x\ry",1\r\n"q""\r\n",2\rz,3\r\n')
    out = readers.lf_line_ends(src, tmp_path)
    assert out.read_bytes() == b'a,b\n"x\ry",1\n"q""\r\n",2\nz,3\n'
    jl = tmp_path / "x.jsonl"
    jl.write_bytes(b'{"a": "\\""}\r\n{"b": 1}\r{"c": 2}\n')
    assert readers.lf_line_ends(jl, tmp_path, quoted=False).read_bytes() == (
        b'{"a": "\\""}\n{"b": 1}\n{"c": 2}\n'
    )


def test_excel_workbook_first_sheet_or_named_sheet(tmp_ws, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    sheet = wb.active
    head = ["note_id", "content", "create_time", "create_date_time", "liked_count", "shared_count"]
    sheet.append([*head, None])
    sheet.append(["4999001", "理想L9", 1740816000, "2025-03-01 16:00:00+08:00", 3.0, 0])
    sheet.append([4999002.0, "小米 SU7", 1740816060, dt.datetime(2025, 3, 1, 16, 1), 1])
    sheet.append([5.1e15, "rounded by Excel", 1740816120, "2025-03-01 16:02:00+08:00", 1, 0])
    sheet.append([])  # a blank row between records keeps the row numbers
    sheet.append([4999002, "a repeated id", 1740816180, "2025-03-01 16:03:00+08:00", 1, 0])
    sheet.append([])  # blank rows at the end are left out
    wb.create_sheet("more").append(["id", "text", "created_at"])
    wb["more"].append(["m1", "from the second sheet", "2025-03-02 10:00:00"])
    path = tmp_path / "weibo.xlsx"
    wb.save(path)

    report = ingest_files(tmp_ws, "posts", [path])
    f = report.files[0]
    # the repeated id comes with another text and time: two posts under one id, quarantined
    assert (f.preset, f.rows_read, f.inserted, f.duplicates, f.quarantined) == (
        "mediacrawler-weibo", 5, 2, 0, 3,
    )  # fmt: skip
    got = tmp_ws.store.con.execute(
        "SELECT post_id, likes, created_at FROM posts ORDER BY post_id"
    ).fetchall()
    assert [(g[0], g[1]) for g in got] == [("4999001", 3), ("4999002", 1)]
    assert got[1][2] == dt.datetime(2025, 3, 1, 8, 1)  # naive: the workspace zone (+08:00)
    q = tmp_ws.store.con.execute(
        'SELECT line, "column", reason FROM quarantine ORDER BY line'
    ).fetchall()
    # the file's column, then the field it feeds (session 17)
    assert [(line, col) for line, col, _ in q] == [
        (4, "note_id (id)"),
        (5, "content (text)"),
        (6, "id"),
    ]
    assert "scientific notation" in q[0][2]

    other = ingest_files(tmp_ws, "posts", [path], table="more")
    assert other.totals["inserted"] == 1
    with pytest.raises(InputError, match="no sheet 'nope'.*Sheet, more"):
        ingest_files(tmp_ws, "posts", [path], table="nope")
    bad = tmp_path / "fake.xlsx"
    bad.write_bytes(b"PK\x03\x04fake")
    with pytest.raises(InputError, match="fake.xlsx: cannot be read as an Excel workbook"):
        ingest_files(tmp_ws, "posts", [bad])
