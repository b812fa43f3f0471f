"""Session 23 listening exports that load: a Brandwatch export with LF report lines above a
CRLF table, a small Brandwatch export (a few mentions under the report lines), the zone of
its ``Timezone:`` line, ``--map`` examples that never suggest a link field, and ids a
spreadsheet rounded whose link column holds them whole."""

from __future__ import annotations

import datetime as dt

import pytest
from ingest_helpers import write_rows

from brandhalo.errors import InputError
from brandhalo.ingest import KINDS, ingest_files
from brandhalo.ingest.readers import _preamble, read_header
from brandhalo.ingest.timestamps import zone_name
from brandhalo.ingest.validate import LINK_FIELDS, map_example

HEAD = (
    "Query Id,Query Name,Date,Title,Url,Domain,Sentiment,Page Type,Language,Country,Author,"
    "Full Text,Twitter Followers,Resource Id,Thread Entry Type"
)


def _mention(i: int) -> str:
    return (
        f"1998765432,Halden vs rivals (EN),2025-09-01 02:{10 + i}:59.0,,"
        f"https://x.com/u{i}/status/90000{i},twitter.com,positive,twitter,en,Germany,user{i},"
        f'"Nuvo Max sounds great, mention {i}",1575{i},90000{i},post'
    )


def _brandwatch(path, mentions: int, *, table_eol: str = "\n", zone: str | None = "UTC",
                blank: bool = True):  # fmt: skip
    """A Brandwatch mentions export: report lines (LF) above the table (`table_eol`)."""
    report = ["Report:,Mentions", "Brand:,Halden Agency", "From:,2025-09-01", "To:,2025-11-28"]
    report += ["Label:,"] + ([f"Timezone:,{zone}"] if zone is not None else [])
    report += [""] if blank else []
    table = [HEAD, *(_mention(i) for i in range(mentions))]
    text = "".join(line + "\n" for line in report) + "".join(r + table_eol for r in table)
    path.write_bytes(text.encode("utf-8"))
    return path


def _times(ws) -> list[dt.datetime]:
    return [
        r[0] for r in ws.store.con.execute("SELECT created_at FROM posts ORDER BY 1").fetchall()
    ]


def _done(ws) -> list[tuple]:
    sql = "SELECT status, rows_read FROM ingest_log WHERE status = 'done' ORDER BY ingest_id"
    return ws.store.con.execute(sql).fetchall()


def test_lf_report_lines_above_a_crlf_table_load_every_mention(tmp_ws, tmp_path):
    """The walk-through's file: DuckDB's reader returned 0 rows without an error, the file
    was logged as done (0 rows) and a re-run skipped it."""
    path = _brandwatch(tmp_path / "bw_mixed.csv", 6, table_eol="\r\n")
    f = ingest_files(tmp_ws, "posts", [path], timezone="UTC").files[0]
    assert f.preset == "brandwatch"
    assert (f.rows_read, f.inserted, f.quarantined) == (6, 6, 0)
    texts = [r[0] for r in tmp_ws.store.con.execute("SELECT text FROM posts ORDER BY 1").fetchall()]
    assert texts[0] == "Nuvo Max sounds great, mention 0"  # no CR left on the last field
    again = ingest_files(tmp_ws, "posts", [path], timezone="UTC").files[0]
    assert again.status == "skipped" and _done(tmp_ws) == [("done", 6)]


def test_a_file_no_row_is_read_from_is_an_error_and_not_logged_done(tmp_ws, tmp_path, monkeypatch):
    """When neither the file nor its LF copy gives a row while records lie below the header,
    the ingest fails naming the file (exit 1 in the CLI), logs nothing as done, and a later
    run reads it again."""
    import brandhalo.ingest.writer as writer

    path = _brandwatch(tmp_path / "bw.csv", 5)
    real = writer.iter_batches

    def nothing(*args, **kw):  # DuckDB's scan runs and gives no row
        for _ in real(*args, **kw):
            pass
        yield from ()

    monkeypatch.setattr(writer, "iter_batches", nothing)
    with pytest.raises(InputError) as err:
        ingest_files(tmp_ws, "posts", [path])
    message = str(err.value)
    assert message.startswith(f"{path}: no row could be read"), message
    assert "line 9" in message and "nothing was stored" in message
    assert _done(tmp_ws) == []
    monkeypatch.setattr(writer, "iter_batches", real)
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert f.status == "done" and f.inserted == 5


@pytest.mark.parametrize("mentions", [1, 2, 4])
@pytest.mark.parametrize("blank", [True, False])
def test_a_small_brandwatch_export_finds_its_header(tmp_ws, tmp_path, mentions, blank):
    """4 or fewer mentions under 6 report lines: the report lines were the most common width,
    so 'Report:,Mentions' was taken for the header ("column 'text' is missing")."""
    path = _brandwatch(tmp_path / "bw_small.csv", mentions, blank=blank)
    names, skip = read_header(path, ",")
    assert names[0] == "Query Id" and skip == (7 if blank else 6)
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert f.preset == "brandwatch" and (f.inserted, f.quarantined) == (mentions, 0)


def test_preamble_rules():
    """The header is the first wide line the lines below match; below a recognised report
    preamble, also a header without records; a plain CSV has none."""
    keys = ["Report:", "Brand:", "From:", "To:", "Label:", "Timezone:", "", "Query Id"]
    assert _preamble([2, 2, 2, 2, 2, 2, 0, 19], keys) == 7  # no mention at all
    assert _preamble([2, 2, 2, 2, 2, 2, 0, 19, 19], [*keys, "1"]) == 7
    assert _preamble([2, 2, 2, 2, 0, 5, 5, 5]) == 5  # unknown preamble, two records
    assert _preamble([1, 1, 3, 3], ["a", "b", "c", "d"]) == 2  # one record, as before
    assert _preamble([1, 1, 3, 4, 4], ["a", "b", "c", "d", "e"]) == 3  # 3 is not matched
    assert _preamble([5, 5, 5, 5, 7, 5]) == 0  # a plain CSV with a malformed line
    assert _preamble([3, 4, 4, 4], ["id,text", "1", "2", "3"]) == 1  # as before


def test_the_report_timezone_line_is_the_zone_of_times_without_one(tmp_ws, tmp_path):
    """Timezone:,UTC was ignored: times were read in the workspace zone (Asia/Shanghai) and
    the summary said nothing."""
    assert str(tmp_ws.timezone) == "Asia/Shanghai"
    path = _brandwatch(tmp_path / "bw.csv", 5, zone="UTC")
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert _times(tmp_ws)[:2] == [
        dt.datetime(2025, 9, 1, 2, 10, 59),
        dt.datetime(2025, 9, 1, 2, 11, 59),
    ]
    note = next(n for n in f.notes if n.startswith("times written without a zone"))
    assert "like '2025-09-01 02:10:59.0'" in note and "were read in UTC" in note, note
    assert "Timezone: UTC" in note and "--timezone" in note


def test_timezone_option_wins_over_the_report_line_and_says_so(tmp_ws, tmp_path):
    path = _brandwatch(tmp_path / "bw.csv", 5, zone="UTC")
    f = ingest_files(tmp_ws, "posts", [path], timezone="Asia/Shanghai").files[0]
    assert _times(tmp_ws)[0] == dt.datetime(2025, 8, 31, 18, 10, 59)
    note = next(n for n in f.notes if n.startswith("times written without a zone"))
    assert "read in Asia/Shanghai, as --timezone says" in note, note
    assert "the file's report lines name UTC" in note


def test_the_workspace_zone_is_named_for_a_plain_file(tmp_ws, tmp_path):
    rows = [
        {"id": "a", "text": "hi", "created_at": "2025-05-21 10:00"},
        {"id": "b", "text": "ho", "created_at": "2025-05-21T10:00:00Z"},
    ]
    f = ingest_files(tmp_ws, "posts", [write_rows(tmp_path / "p.csv", rows)]).files[0]
    note = next(n for n in f.notes if n.startswith("times written without a zone"))
    assert "like '2025-05-21 10:00'" in note and "read in Asia/Shanghai, the workspace zone" in note
    zoned = write_rows(tmp_path / "z.csv", [rows[1] | {"id": "c"}])
    f = ingest_files(tmp_ws, "posts", [zoned]).files[0]
    assert not [n for n in f.notes if "without a zone" in n], f.notes


def test_a_report_zone_brandhalo_cannot_read_is_a_warning(tmp_ws, tmp_path):
    path = _brandwatch(tmp_path / "bw.csv", 5, zone="(GMT-05:00) Eastern Time")
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert _times(tmp_ws)[0] == dt.datetime(2025, 8, 31, 18, 10, 59)  # the workspace zone
    warning = next(w for w in f.warnings if "(Timezone:)" in w)
    assert "'(GMT-05:00) Eastern Time'" in warning and "--timezone" in warning


def test_zone_names():
    assert zone_name("UTC") == "UTC" and zone_name("Europe/London") == "Europe/London"
    assert zone_name("GMT+01:00") == "Etc/GMT-1" and zone_name("UTC-5") == "Etc/GMT+5"
    assert zone_name("+05:30") is None and zone_name("London") is None


def test_map_example_never_suggests_a_link_field_by_likeness():
    """parent_asin (an Amazon product family) was suggested as parent_id: every review
    would become a repost."""
    posts = KINDS["posts"]
    for header in ("parent_asin", "reply_to_user", "thread_ids", "ids", "post_ids"):
        example = map_example(posts, [header], {"text": "t"})
        field = example.removeprefix("e.g. --map ").split("=", 1)[0]
        assert field not in LINK_FIELDS, (header, example)
    assert map_example(posts, ["parent_asin"], {}).startswith("e.g. --map FIELD=parent_asin")


def test_an_unread_parent_asin_column_is_not_suggested_as_parent_id(tmp_ws, tmp_path):
    rows = [{"text": "great", "created_at": "2025-05-21 10:00", "parent_asin": "B0C1"}]
    f = ingest_files(tmp_ws, "posts", [write_rows(tmp_path / "r.csv", rows)]).files[0]
    note = next(n for n in f.notes if "'parent_asin'" in n)
    assert "parent_id=" not in note and "--map FIELD=parent_asin" in note, note


def test_ids_a_spreadsheet_rounded_point_to_the_link_column_holding_them(tmp_ws, tmp_path):
    rows = [
        {"note_id": "5.00E+15", "content": f"空调很好 {i}", "create_date_time": "2025/01/01 11:04",
         "note_url": f"https://m.weibo.cn/detail/500000000001123{i}"}
        for i in range(3)
    ]  # fmt: skip
    path = write_rows(tmp_path / "w.csv", rows)
    mapping = {"id": "note_id", "text": "content", "created_at": "create_date_time"}
    f = ingest_files(tmp_ws, "posts", [path], mapping=mapping).files[0]
    assert f.quarantined == 3
    warning = next(w for w in f.warnings if "scientific notation" in w)
    assert "Column 'note_url' holds each id whole" in warning and "--map id=note_url" in warning
    fixed = ingest_files(tmp_ws, "posts", [path], mapping=mapping | {"id": "note_url"})
    assert fixed.files[0].inserted == 3


def test_rounded_ids_without_a_link_column_get_no_map_advice(tmp_ws, tmp_path):
    rows = [{"id": "5.00E+15", "text": "ok", "created_at": "2025/01/01 11:04",
             "url": "https://example.com/about"}]  # fmt: skip
    f = ingest_files(tmp_ws, "posts", [write_rows(tmp_path / "w.csv", rows)]).files[0]
    assert f.quarantined == 1
    assert not [w for w in f.warnings if "scientific notation" in w], f.warnings
