"""Review exports whose rows carry the product (JD, Tmall, app stores) and rarely name it.

A small brand model (Apple own, Samsung a rival, one product each) and review rows whose
``product`` column names the product by its name, an alias, in another case or full width,
or names nothing configured; one review names the rival in its text.
"""

from __future__ import annotations

import csv
from pathlib import Path

CONFIG = """\
version = 1
[workspace]
name = "Reviews"
timezone = "Asia/Shanghai"

[[brands]]
name = "Apple"
aliases = ["苹果", "Apple"]
own = true

[[brands]]
name = "Samsung"
aliases = ["三星", "Samsung"]

[[products]]
name = "iPhone 4S"
brand = "Apple"
category = "phone"
price = 4999
aliases = ["iPhone4S", "爱疯4S"]

[[products]]
name = "Galaxy S2"
brand = "Samsung"
category = "phone"
aliases = ["盖乐世S2"]
"""

#: (id, text, product column): none of the texts names the product.
REVIEWS = (
    ("r-name", "很好用，流畅", "iPhone 4S"),
    ("r-alias", "电池不耐用，太差了", "爱疯4S"),
    ("r-case", "物流很快，好评", "iphone4s"),
    ("r-wide", "屏幕清晰，非常满意", " ＩＰＨＯＮＥ  ４Ｓ "),
    ("r-unknown", "发热严重，失望", "Nokia N9"),
    ("r-rival", "比三星流畅多了，很满意", "iPhone 4S"),
    ("r-named", "iPhone4S信号太差了", "iPhone 4S"),
)
#: The reviews whose product column names iPhone 4S.
HINTED = ("r-name", "r-alias", "r-case", "r-wide", "r-rival", "r-named")


def write_reviews(path: Path, days: int = 6) -> Path:
    """The reviews, once per day over `days` days (ids ``<id>-<day>``), as a CSV export with
    a ``product`` column."""
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["id", "text", "created_at", "source", "product"])
        for d in range(days):
            for pid, text, product in REVIEWS:
                out.writerow([f"{pid}-{d}", text, f"2025-03-{d + 1:02d} 10:00:00", "jd", product])
    return path
