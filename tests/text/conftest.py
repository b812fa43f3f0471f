"""Fixtures of the text tests: a small brand model and workspaces with hand-written posts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from brandhalo.config import Config, parse_config
from brandhalo.workspace import Workspace, init_workspace

BRAND_MODEL: dict[str, Any] = {
    "workspace": {"timezone": "Asia/Shanghai"},
    "brands": [
        {"name": "Xiaomi", "aliases": ["小米", "Xiaomi", "Mi", "@xiaomi", "#小米#"], "own": True},
        {"name": "Huawei", "aliases": ["华为", "Huawei"]},
    ],
    "personas": [
        {"name": "Lei Jun", "brand": "Xiaomi", "aliases": ["雷军", "雷总", "Lei Jun"]},
        {"name": "Yu Chengdong", "brand": "Huawei", "aliases": ["余承东", "Richard Yu"]},
    ],
    "products": [
        {
            "name": "SU7",
            "brand": "Xiaomi",
            "category": "car",
            "price": 215900,
            "aliases": ["SU7", "小米SU7"],
        },
        {
            "name": "SU7 Ultra",
            "brand": "Xiaomi",
            "category": "car",
            "price": 529900,
            "aliases": ["SU7 Ultra"],
        },
        {
            "name": "Xiaomi 15",
            "brand": "Xiaomi",
            "category": "phone",
            "price": 4499,
            "prices": [{"since": "2025-06-01", "price": 6999}],
            "aliases": ["小米15"],
        },
        {
            "name": "Mate 70",
            "brand": "Huawei",
            "category": "phone",
            "price": 6999,
            "aliases": ["Mate70", "Mate 70"],
        },
    ],
}


@pytest.fixture
def config() -> Config:
    return parse_config(BRAND_MODEL)


def add_posts(ws: Workspace, rows: list[dict[str, Any]]) -> None:
    """Insert posts directly (the ingest stage is another area's)."""
    base = dt.datetime(2025, 3, 1, 4, 0)
    for i, r in enumerate(rows):
        row = {"created_at": base + dt.timedelta(hours=i), "source": "weibo", **r}
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        ws.store.con.execute(f"INSERT INTO posts ({cols}) VALUES ({marks})", list(row.values()))


def toml_of(data: dict[str, Any]) -> str:
    """A small TOML writer for the fixture brand model (strings, numbers, lists, tables)."""
    import json

    def val(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, dict):
            return "{ " + ", ".join(f"{k} = {val(x)}" for k, x in v.items()) + " }"
        if isinstance(v, list):
            return "[" + ", ".join(val(x) for x in v) + "]"
        if isinstance(v, str) and len(v) == 10 and v[4] == "-" and v[7] == "-":
            return v
        return json.dumps(v, ensure_ascii=False)

    lines = []
    for key, value in data.items():
        if isinstance(value, dict):
            lines.append(f"[{key}]")
            lines += [f"{k} = {val(v)}" for k, v in value.items()]
        else:
            for item in value:
                lines.append(f"[[{key}]]")
                lines += [f"{k} = {val(v)}" for k, v in item.items()]
    return "\n".join(lines) + "\n"


@pytest.fixture
def text_ws(tmp_path: Path) -> Workspace:
    """A workspace with the fixture brand model, the `fake` sentiment engine, no posts."""
    model = {**BRAND_MODEL, "sentiment": {"engine": "fake"}}
    ws = init_workspace(tmp_path / "ws", config_text=toml_of(model))
    yield ws
    ws.close()


class CrashInWorkerEngine:
    """A sentiment engine that kills any process but the one that created it (tests the
    fall-back when enrichment workers die)."""

    name = "crash-in-worker"

    def __init__(self) -> None:
        import os

        self.parent = os.getpid()

    def score(self, texts: Any) -> Any:
        import os

        from brandhalo.text.sentiment import get_engine

        if os.getpid() != self.parent:
            os._exit(3)
        return get_engine("fake").score(texts)
