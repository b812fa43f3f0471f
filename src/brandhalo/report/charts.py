"""Section builders: metric rows re-shaped into charts and tables (no computation)."""

from __future__ import annotations

from brandhalo.report.model import ScoreItem
from brandhalo.report.sections import Builder, Ctx

SECTION_BUILDERS: list[tuple[str, Builder]] = []


def scorecard(ctx: Ctx) -> list[ScoreItem]:
    return []
