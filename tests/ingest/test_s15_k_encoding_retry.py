"""A file that is not UTF-8 is guessed by what its bytes read as in GBK: English tweets with a
few accented letters and signs are cp1252 even where those bytes pair up (``å£949``), Chinese
exports (simplified, traditional, a few brand names in English text) stay GB18030. When the
guess was wrong, ingesting the file again with --encoding replaces the rows it stored, instead
of skipping them as already stored (same ids) or storing them twice (ids made from the text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from brandhalo.errors import InputError
from brandhalo.ingest import ingest_files
from brandhalo.ingest.readers import detect_encoding
from brandhalo.text.enrich import run
from brandhalo.workspace import Workspace

#: English tweets as a CrowdFlower cp1252 export holds them: a pound sign after an accented
#: letter (two high bytes in a row, which GBK reads as one rare Han character) more often than a
#: lone accented letter.
TWEETS = [
    "Apple MacBook (å£949.86) http://t.co/f5IHhOnzHM @apple",
    "RT @ace_kit_uk: Apple MacBook (å£949.86) #tech",
    "RT @deals: iPad mini å£199 today only",
    "#Verrückt #Gerücht: #iPhone6s zum @Apple Watch",
    "I love my iPhone but the battery is bad",
]
TRADITIONAL = [
    "這款手機的螢幕非常漂亮",
    "電池續航也很好，但是價格太貴了",
    "售後服務態度差，等了三個禮拜",
]


def _csv(path: Path, texts: list[str], encoding: str, *, ids: bool = True) -> Path:
    head = "id,text,created_at\n" if ids else "text,created_at\n"
    lines = [
        (f"{i},{t},2025-05-21 1{i}:00" if ids else f"{t},2025-05-21 1{i}:00")
        for i, t in enumerate(texts)
    ]
    path.write_bytes((head + "\n".join(lines) + "\n").encode(encoding))
    return path


def _texts(ws: Workspace) -> list[str]:
    return sorted(r[0] for r in ws.store.con.execute("SELECT text FROM posts").fetchall())


def test_latin_tweets_with_paired_high_bytes_are_cp1252(tmp_ws: Workspace, tmp_path: Path) -> None:
    path = _csv(tmp_path / "tweets.csv", TWEETS, "cp1252")
    assert detect_encoding(path) == "cp1252"
    report = ingest_files(tmp_ws, "posts", [path])
    assert report.files[0].notes[0].startswith("read as cp1252")
    assert _texts(tmp_ws) == sorted(TWEETS)


@pytest.mark.parametrize(
    "texts",
    [
        ["价格便宜，做工很好", "雷军：小米汽车 SU7 交付破 25.8 万台", "售后服务太差了"],
        TRADITIONAL,
        ["Loving my new Huawei 华为 Mate", "Just bought the phone", "camera is great", "ok"],
    ],
    ids=["simplified", "traditional", "english-with-brand-names"],
)
def test_chinese_gbk_stays_gb18030(tmp_path: Path, texts: list[str]) -> None:
    assert detect_encoding(_csv(tmp_path / "zh.csv", texts, "gbk")) == "gb18030"


@pytest.mark.parametrize("ids", [True, False], ids=["id-column", "ids-from-text"])
def test_encoding_given_after_a_wrong_guess_replaces_the_rows(
    tmp_ws: Workspace, tmp_path: Path, ids: bool
) -> None:
    path = _csv(tmp_path / "tw.csv", TRADITIONAL, "big5", ids=ids)
    first = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert first.inserted == 3 and "a guess" in first.notes[0]
    assert _texts(tmp_ws) != sorted(TRADITIONAL)  # read in the guessed encoding: wrong text
    again = ingest_files(tmp_ws, "posts", [path], encoding="big5").files[0]
    assert (again.status, again.inserted, again.duplicates) == ("done", 3, 0)
    assert again.notes[0].startswith(f"the 3 rows ingest #{first.ingest_id} stored")
    assert "replaced by this read as big5" in again.notes[0]
    assert _texts(tmp_ws) == sorted(TRADITIONAL)
    same = ingest_files(tmp_ws, "posts", [path], encoding="big5").files[0]
    assert same.status == "skipped"


def test_a_failed_corrected_read_puts_the_rows_back(tmp_ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "tw.csv"
    path.write_bytes("編號,內容,時間\n1,這款手機的螢幕非常漂亮,2025-05-21 10:00\n".encode("big5"))
    # the header as the wrong guess read it, mapped so: a name the right decoding lacks
    guess = detect_encoding(path)
    assert guess != "big5"
    header = "編號,內容,時間".encode("big5").decode(guess).split(",")
    mapping = {"id": header[0], "text": header[1], "created_at": header[2]}
    assert ingest_files(tmp_ws, "posts", [path], mapping=mapping).files[0].inserted == 1
    before = _texts(tmp_ws)
    with pytest.raises(InputError):
        ingest_files(tmp_ws, "posts", [path], mapping=mapping, encoding="big5")
    assert _texts(tmp_ws) == before
    status = tmp_ws.store.con.execute("SELECT status FROM ingest_log").fetchall()
    assert status == [("done",)]


def test_analyzed_posts_are_not_replaced_and_the_error_says_what_to_do(
    tmp_ws: Workspace, tmp_path: Path
) -> None:
    path = _csv(tmp_path / "tw.csv", TRADITIONAL, "big5")
    ingest_files(tmp_ws, "posts", [path])
    run(tmp_ws, workers=1)
    stored = _texts(tmp_ws)
    with pytest.raises(InputError) as caught:
        ingest_files(tmp_ws, "posts", [path], encoding="big5")
    said = str(caught.value)
    assert "analyzed" in said and "brandhalo init" in said and "--encoding big5" in said
    assert _texts(tmp_ws) == stored


def test_the_same_decoding_is_not_replaced(tmp_ws: Workspace, tmp_path: Path) -> None:
    path = _csv(tmp_path / "zh.csv", ["价格便宜，做工很好"], "gbk")
    ingest_files(tmp_ws, "posts", [path])
    again = ingest_files(tmp_ws, "posts", [path], encoding="gbk").files[0]
    assert (again.inserted, again.duplicates) == (0, 1)
    assert not [n for n in again.notes if "replaced" in n]


def test_an_encoding_that_cannot_read_the_file_changes_nothing(
    tmp_ws: Workspace, tmp_path: Path
) -> None:
    path = _csv(tmp_path / "tw.csv", TRADITIONAL, "big5")
    ingest_files(tmp_ws, "posts", [path])
    stored = _texts(tmp_ws)
    with pytest.raises(InputError, match="--encoding"):
        ingest_files(tmp_ws, "posts", [path], encoding="ascii")
    assert _texts(tmp_ws) == stored


def test_encoding_given_with_a_parquet_file_is_said_to_be_ignored(
    tmp_ws: Workspace, tmp_path: Path
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "p.parquet"
    pq.write_table(
        pa.table({"id": ["a"], "text": ["价格便宜"], "created_at": ["2025-05-01"]}), path
    )
    done = ingest_files(tmp_ws, "posts", [path], encoding="gbk").files[0]
    assert done.inserted == 1 and _texts(tmp_ws) == ["价格便宜"]
    assert any(n.startswith("--encoding was ignored: a Parquet file") for n in done.notes)


def test_a_utf8_file_read_so_is_not_replaced(tmp_ws: Workspace, tmp_path: Path) -> None:
    path = _csv(tmp_path / "u.csv", ["价格便宜，做工很好"], "utf-8")
    ingest_files(tmp_ws, "posts", [path])
    again = ingest_files(tmp_ws, "posts", [path], encoding="latin-1").files[0]
    assert not [n for n in again.notes if "replaced" in n]
    assert "价格便宜，做工很好" in _texts(tmp_ws)  # the UTF-8 read stays
