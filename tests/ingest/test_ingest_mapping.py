"""Column mapping: --map, automatic aliases, and clear errors for bad mappings."""

from __future__ import annotations

import datetime as dt

import pytest
from ingest_helpers import posts

from brandhalo.errors import InputError
from brandhalo.ingest import ingest_files
from brandhalo.ingest.validate import parse_mapping


def test_map_renames_columns(tmp_ws, rows_file):
    rows = [{"mid": "9", "body_text": "你好", "when": "2025-05-21 10:00", "fans": "7"}]
    path = rows_file("p.csv", rows)
    ingest_files(
        tmp_ws, "posts", [path], mapping="text=body_text,created_at=when,author_followers=fans"
    )
    row = posts(tmp_ws)[0]
    assert (row["post_id"], row["text"], row["author_followers"]) == ("9", "你好", 7)


def test_aliases_are_recognized(tmp_ws, rows_file):
    rows = [
        {
            "tweet_id": "5",
            "Content": "hi",
            "tweet_created": "2015-02-24 11:35:52 -0800",
            "retweet_count": "2",
            "screen_name": "bob",
        }
    ]
    ingest_files(tmp_ws, "posts", [rows_file("p.csv", rows)])
    row = posts(tmp_ws)[0]
    assert (row["post_id"], row["text"], row["reposts"], row["author_name"]) == (
        "5",
        "hi",
        2,
        "bob",
    )
    assert row["created_at"] == dt.datetime(2015, 2, 24, 19, 35, 52)


def test_bad_mappings(tmp_ws, rows_file):
    path = rows_file("p.csv", [{"text": "a", "created_at": "2025-05-21"}])
    with pytest.raises(InputError, match="no column 'nope'"):
        ingest_files(tmp_ws, "posts", [path], mapping={"text": "nope"})
    with pytest.raises(InputError, match="not a posts column"):
        ingest_files(tmp_ws, "posts", [path], mapping={"body": "text"})
    with pytest.raises(InputError, match="dst=src"):
        parse_mapping("text")
    assert parse_mapping("text=content, created_at=time") == {
        "text": "content",
        "created_at": "time",
    }


def test_every_schema_column_and_alias_is_documented():
    from pathlib import Path

    from brandhalo.ingest import KINDS

    doc = (Path(__file__).parents[2] / "docs" / "input-formats.md").read_text(encoding="utf-8")
    for spec in KINDS.values():
        assert f"### {spec.name}" in doc
        for col in spec.columns:
            assert f"`{col.name}`" in doc, col.name
            for alias in col.aliases:
                assert f"`{alias}`" in doc, alias
