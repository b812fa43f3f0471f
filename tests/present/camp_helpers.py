"""One demo workspace with planted campaigns, analyzed, with a read token: the origin tests
of the report, the API and the dashboard build theirs with :func:`build_camp`."""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class CampDemo:
    root: Path
    read: str
    burst: dict[str, Any]
    brand: str


def build_camp(root: Path) -> CampDemo:
    """Simulate 4,000 posts with planted campaigns (seed 7) in `root`, analyze them and
    create a read token; the planted burst campaign and the own brand come with it."""
    from pandas.errors import Pandas4Warning

    from brandhalo.demo import build_demo_workspace
    from brandhalo.pipeline import analyze
    from brandhalo.web.tokens import create_token

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Pandas4Warning)
        ws, _ = build_demo_workspace(root, seed=7, posts=4000, campaigns=True)
        try:
            analyze(ws)
            read = create_token(ws, "read", name="tests")[1]
            brand = ws.config.own_brand.name
        finally:
            ws.close()
    planted = json.loads((root / "data" / "planted.json").read_text(encoding="utf-8"))
    burst = next(c for c in planted["campaigns"] if c["kind"] == "burst")
    return CampDemo(root=root, read=read, burst=burst, brand=brand)
