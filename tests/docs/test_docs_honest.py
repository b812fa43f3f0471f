"""Docs stay honest by test: every CLI command, option and config setting is documented."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
import typer
from pydantic import BaseModel

from brandhalo.cli import app
from brandhalo.cli._common import command_tree
from brandhalo.config import Config

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _settings(model: type[BaseModel], prefix: str = "") -> list[str]:
    keys = []
    for name, field in model.model_fields.items():
        keys.append(prefix + name)
        ann = field.annotation
        inner = getattr(ann, "__args__", (ann,))
        for t in inner:
            if isinstance(t, type) and issubclass(t, BaseModel):
                keys.extend(_settings(t, prefix + name + "."))
    return keys


COMMANDS = command_tree(typer.main.get_command(app))


@pytest.mark.parametrize(("name", "cmd"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_and_option_is_in_the_cli_docs(name: str, cmd: click.Command) -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert f"brandhalo {name}" in text, f"docs/cli.md does not mention `brandhalo {name}`"
    section = text.split(f"brandhalo {name}", 1)[1]
    for param in cmd.params:
        for opt in param.opts:
            if opt.startswith("--") and opt != "--help":
                assert opt in section, f"docs/cli.md: `brandhalo {name}` does not document {opt}"


@pytest.mark.parametrize("key", _settings(Config))
def test_every_setting_is_in_the_config_docs(key: str) -> None:
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    assert f"`{key}`" in text, f"docs/configuration.md does not document `{key}`"


def test_help_texts_keep_their_brackets() -> None:
    """Rich reads `[origin]` in a help text as markup and drops it ("(default:  default,
    organic)"): a config section named in help is written `\\[origin]`."""
    import re

    markup = re.compile(r"(?<!\\)\[[a-z_.]+\]")
    for name, cmd in COMMANDS:
        for param in cmd.params:
            text = getattr(param, "help", None) or ""
            assert not markup.search(text), f"brandhalo {name} {param.opts}: escape {text!r}"
        assert not markup.search(cmd.help or ""), f"brandhalo {name}: escape {cmd.help!r}"
