"""Reading server-rendered pages in tests."""

from __future__ import annotations

import re
from html import unescape


def selected(form: str, name: str) -> str:
    """The value of the selected option of select `name` in the HTML `form`."""
    select = re.search(rf'<select name="{name}".*?</select>', form, re.S)
    assert select is not None
    chosen = re.search(r'<option value="([^"]*)" selected>', select.group(0))
    assert chosen is not None
    return unescape(chosen.group(1))
