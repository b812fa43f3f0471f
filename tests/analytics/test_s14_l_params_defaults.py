"""The metric parameters' defaults agree in the code (``config.Params``), the ``brandhalo
init`` template and docs/configuration.md; where a default departs from DESIGN section 6
(``separation_flag`` 2.0, DESIGN 1.5) the configuration page says why."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path

from brandhalo.config import Params

DOC = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


def _doc_rows() -> dict[str, tuple[str, str]]:
    """`params.X` rows of the configuration table: name -> (default, meaning)."""
    text = DOC.read_text(encoding="utf-8")
    found = re.finditer(r"^\| `params\.(\w+)` \| [^|]* \| ([^|]*) \| (.*) \|$", text, re.M)
    return {m[1]: (m[2].strip(), m[3]) for m in found}


def test_code_template_and_docs_agree() -> None:
    template = resources.files("brandhalo").joinpath("workspace_template.toml")
    written = tomllib.loads(template.read_text(encoding="utf-8"))["params"]
    rows, code = _doc_rows(), Params()
    assert rows and set(rows) <= set(Params.model_fields)
    for name, (default, _) in rows.items():
        assert float(default) == float(getattr(code, name)), name
        if name in written:
            assert float(written[name]) == float(getattr(code, name)), name


def test_the_separation_flag_says_why_it_is_not_designs_value() -> None:
    meaning = _doc_rows()["separation_flag"][1]
    assert "1.5" in meaning and "docs/metrics.md" in meaning
