"""The search export is the posts export (session 17): the formats are checked once, in
``text.preview.export_posts``, so an unknown one is the same error, and no ``type: ignore``
hides a mismatch between the two."""

from __future__ import annotations

import inspect

import pytest

from brandhalo.errors import InputError
from brandhalo.text import preview
from brandhalo.web import search
from brandhalo.workspace import Workspace


def test_no_type_ignore_in_the_search_module() -> None:
    assert "type: ignore" not in inspect.getsource(search)


def test_an_unknown_format_is_the_posts_export_error(text_ws: Workspace) -> None:
    for export in (search.export_matching, preview.export_posts):
        with pytest.raises(InputError, match="format 'xls'; use one of: csv, jsonl, parquet, xlsx"):
            export(text_ws, text_ws.root / "x.xls", "xls")
