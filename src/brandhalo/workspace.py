"""A workspace: a folder with `brandhalo.toml` and its store."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from brandhalo.config import CONFIG_FILE, Config, load_config
from brandhalo.errors import ConfigError
from brandhalo.store import STORE_FILE, Store


@dataclass
class Workspace:
    """The unit every command works on: `root/brandhalo.toml` + `root/brandhalo.duckdb`."""

    root: Path
    config: Config
    store: Store = field(repr=False)

    @classmethod
    def open(cls, root: Path | str = ".", *, read_only: bool = False) -> Workspace:
        root = Path(root).resolve()
        return cls(root, load_config(root), Store(root / STORE_FILE, read_only=read_only))

    @property
    def timezone(self) -> str:
        return self.config.workspace.timezone

    def path(self, *parts: str) -> Path:
        """A path inside the workspace folder (reports, models, caches)."""
        return self.root.joinpath(*parts)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def template_text() -> str:
    """The commented `brandhalo.toml` written by `brandhalo init`."""
    return resources.files("brandhalo").joinpath("workspace_template.toml").read_text("utf-8")


def init_workspace(
    root: Path | str, *, force: bool = False, config_text: str | None = None
) -> Workspace:
    """Create a workspace folder with a commented config and an empty, migrated store."""
    root = Path(root).resolve()
    root.mkdir(parents=True, exist_ok=True)
    cfg = root / CONFIG_FILE
    if cfg.exists() and not force:
        raise ConfigError(
            f"{cfg} already exists; edit it, or pass --force to overwrite it with the template",
            path=str(cfg),
        )
    cfg.write_text(config_text if config_text is not None else template_text(), encoding="utf-8")
    ws = Workspace.open(root)
    ws.store.con  # noqa: B018  (opens and migrates)
    return ws
