"""`brandhalo query` and `brandhalo export posts` on a small workspace."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from brandhalo.cli import main
from brandhalo.text.enrich import run
from brandhalo.workspace import Workspace
from conftest import add_posts


@pytest.fixture
def filled(text_ws: Workspace) -> Workspace:
    add_posts(
        text_ws,
        [
            {"post_id": "a", "text": "雷军很好，但是SU7刹车差", "source": "weibo"},
            {"post_id": "b", "text": "Huawei Mate 70 brakes? no, camera is great", "source": "x"},
            {"post_id": "c", "text": "提车等了半年", "source": "weibo"},
        ],
    )
    run(text_ws, workers=1)
    text_ws.close()
    return text_ws


def test_query_counts_and_examples(filled: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    main(["query", "刹车 OR brake*", "--project", str(filled.root), "--json", "--limit", "1"])
    out = json.loads(capsys.readouterr().out)
    assert (out["matched"], out["scanned"]) == (2, 3)
    assert out["by_source"] == {"weibo": 1, "x": 1}
    assert out["by_lang"] == {"zh": 1, "en": 1}
    assert [e["post_id"] for e in out["examples"]] == ["a"]


def test_query_language_filter_uses_stored_languages(
    filled: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["query", "lang:zh AND NOT 提车", "-p", str(filled.root), "--json"])
    assert [e["post_id"] for e in json.loads(capsys.readouterr().out)["examples"]] == ["a"]


def test_query_author_filter_matches_id_or_name(
    text_ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    """`author:` (the docs' `author:*旗舰店`) previews against author id and name; it raised an
    ArrowTypeError here (the two Arrow columns were read as one)."""
    add_posts(
        text_ws,
        [
            {"post_id": "a", "text": "新车到店", "author_id": "u1", "author_name": "小米汽车旗舰店"},
            {"post_id": "b", "text": "新车到店", "author_id": "u2", "author_name": "路人甲"},
            {"post_id": "c", "text": "新车到店", "author_id": "shop9", "author_name": None},
        ],
    )
    text_ws.close()
    for query, want in (("author:*旗舰店", ["a"]), ("author:shop*", ["c"]), ("author:u2", ["b"])):
        main(["query", query, "-p", str(text_ws.root), "--json"])
        out = json.loads(capsys.readouterr().out)
        assert sorted(e["post_id"] for e in out["examples"]) == want, query
    main(["query", "新车", "-p", str(text_ws.root), "--json"])
    out = json.loads(capsys.readouterr().out)  # not analyzed: no language; source given
    assert out["by_lang"] == {"(none)": 3} and "None" not in out["by_source"]


def test_query_error_is_a_clean_message(
    filled: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["query", "(刹车 OR", "-p", str(filled.root)])
    assert info.value.code == 1
    err = capsys.readouterr().err
    assert "expected a term" in err and "^" in err


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_export_posts(filled: Workspace, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = filled.root / f"out.{fmt}"
    main(["export", "posts", "--format", fmt, "--out", str(out), "-p", str(filled.root), "--json"])
    assert json.loads(capsys.readouterr().out)["rows"] == 3
    if fmt == "parquet":
        rows = {r["post_id"]: r for r in pq.read_table(out).to_pylist()}
        assert rows["a"]["personas"] == ["Lei Jun"] and rows["a"]["products"] == ["SU7"]
        per_target = {t["target"]: t["label"] for t in rows["a"]["targets"]}
        assert per_target == {"Lei Jun": 1, "SU7": -1}
        assert rows["c"]["themes"] == ["delivery"] and rows["c"]["touchpoints"] == ["service"]
        assert rows["b"]["competitors"] == ["Huawei"] and rows["b"]["lang"] == "en"
    elif fmt == "jsonl":
        lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
        assert [x["post_id"] for x in lines] == ["a", "b", "c"]
        assert lines[0]["segment"] == "mass" and lines[0]["label"] in (-1, 0, 1)
    else:
        text = out.read_text(encoding="utf-8")
        assert text.splitlines()[0].startswith("post_id,")
        assert "Lei Jun" in text and "delivery" in text


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_export_posts_places_comments_in_threads(
    text_ws: Workspace, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Comments and replies from crawler comment tables keep post_type, reply_to and
    thread_id in the export, after the enrichment columns."""
    add_posts(
        text_ws,
        [
            {"post_id": "n1", "text": "SU7 到了"},
            {"post_id": "c1", "text": "刹车差", "post_type": "comment", "reply_to": "n1",
             "thread_id": "n1"},
            {"post_id": "r1", "text": "同感", "post_type": "reply", "reply_to": "c1",
             "thread_id": "n1"},
        ],
    )  # fmt: skip
    run(text_ws, workers=1)
    text_ws.close()
    out = text_ws.root / f"thread.{fmt}"
    main(["export", "posts", "--format", fmt, "--out", str(out), "-p", str(text_ws.root)])
    capsys.readouterr()
    if fmt == "parquet":
        rows = pq.read_table(out).to_pylist()
    elif fmt == "jsonl":
        rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    else:
        import csv

        with out.open(encoding="utf-8", newline="") as f:
            rows = [{k: v or None for k, v in r.items()} for r in csv.DictReader(f)]
    assert list(rows[0])[-5:-1] == ["targets", "post_type", "reply_to", "thread_id"]
    assert list(rows[0])[-1] == "theme_labels"  # new columns are appended (docs/export.md)
    got = {r["post_id"]: (r["post_type"], r["reply_to"], r["thread_id"]) for r in rows}
    assert got == {
        "n1": ("post", None, None),
        "c1": ("comment", "n1", "n1"),
        "r1": ("reply", "c1", "n1"),
    }


def test_export_rejects_unknown_format(filled: Workspace) -> None:
    with pytest.raises(SystemExit):
        main(["export", "posts", "--format", "xml", "-p", str(filled.root)])


def test_query_before_enrichment_detects_languages(
    text_ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    add_posts(
        text_ws, [{"post_id": "z", "text": "刹车太软"}, {"post_id": "e", "text": "soft brakes"}]
    )
    text_ws.close()
    main(["query", "lang:en", "-p", str(text_ws.root), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert [e["post_id"] for e in out["examples"]] == ["e"] and out["scanned"] == 2
