"""The built-in zh/en theme and segment set for phones, cars and chips (users can override).

Theme names here are the canonical ones the simulator plants and the tests recover.
"""

from __future__ import annotations

from typing import Any

DEFAULT_THEMES: list[dict[str, Any]] = [
    {
        "name": "safety",
        "touchpoint": "product",
        "controversy": True,
        "query": "(刹车 OR 断电 OR 碰撞 OR 车祸 OR 事故 OR 起火 OR crash OR brake OR accident) AND NOT 测试",
    },
]

DEFAULT_SEGMENTS: list[dict[str, Any]] = [
    {"name": "premium", "hints": ["premium", "高端"]},
    {"name": "enthusiast", "hints": ["enthusiast", "发烧友", "米粉"]},
    {"name": "mass", "hints": ["mass", "大众"]},
]
