"""A workspace: a folder with `brandhalo.toml` and its store."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from brandhalo.config import CONFIG_FILE, Config, load_config, place_of
from brandhalo.errors import ConfigError
from brandhalo.store import STORE_FILE, Store


class StaleConfigError(ConfigError):
    """`brandhalo.toml` changed since this process read it (:meth:`Workspace.check_config`)."""


@dataclass
class Workspace:
    """The unit every command works on: `root/brandhalo.toml` + `root/brandhalo.duckdb`."""

    root: Path
    config: Config
    store: Store = field(repr=False)

    @classmethod
    def open(
        cls, root: Path | str = ".", *, read_only: bool = False, only_reads: bool = False
    ) -> Workspace:
        """The workspace at `root` (its store opens on first use).

        `only_reads`: for a command that only reads (``metrics``, ``report``, ``export``):
        while another process writes the store, it reads the last published snapshot at once
        instead of waiting, and says so on stderr; it never holds the store for writing
        (:class:`~brandhalo.store.Store`, docs/concurrency.md).
        """
        root = Path(root).resolve()
        store = Store(root / STORE_FILE, read_only=read_only, only_reads=only_reads)
        return cls(root, load_config(root), store)

    @property
    def timezone(self) -> str:
        return self.config.workspace.timezone

    def reload_config(self) -> bool:
        """Read `brandhalo.toml` again when it changed since :attr:`config` was read from it
        (a long-running process: a watcher before each round, a server); True when it did.

        Raises:
            ConfigError: the file changed but cannot be used now (half-saved, a typo); the
                config read before is kept, and :meth:`check_config` still refuses it.
        """
        if not self.config.file_changed():
            return False
        self.config = load_config(self.root)
        return True

    def check_config(self) -> None:
        """Refuse to go on with a config older than the file (before enrichment).

        A process that read `brandhalo.toml` before it was edited would re-enrich every post
        under the old config, undoing the ``analyze`` that ran with the new one (the stored
        fingerprint is the newer file's).

        Raises:
            StaleConfigError: the file changed since this process read it.
        """
        if self.config.file_changed():
            raise StaleConfigError(
                f"{self.root / CONFIG_FILE} changed since this process started: restart it "
                "(it still holds the old config, and analyzing with it would redo every post "
                "the old way)"
            )

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


#: Where ``init --force`` keeps the file it replaces.
BACKUP_FILE = CONFIG_FILE + ".bak"


def init_workspace(
    root: Path | str, *, force: bool = False, config_text: str | None = None
) -> Workspace:
    """Create a workspace folder with a commented config and an empty, migrated store.

    With `force` an existing config is replaced; the old one is kept as :data:`BACKUP_FILE`.

    Raises:
        ConfigError: the folder cannot be made or written, or holds a config (without
            `force`); the message says what to do.
    """
    root = Path(root).resolve()
    cfg = root / CONFIG_FILE
    if root.exists() and not root.is_dir():
        raise ConfigError(f"{root} is a file, not a folder; give a folder path to init")
    if cfg.exists() and not force:
        raise ConfigError(
            "already exists; edit it, or pass --force to replace it with the template (the "
            f"old file is kept as {BACKUP_FILE})",
            path=str(cfg),
        )
    try:
        root.mkdir(parents=True, exist_ok=True)
        if cfg.exists():
            cfg.replace(root / BACKUP_FILE)
        cfg.write_text(
            config_text if config_text is not None else template_text(), encoding="utf-8"
        )
    except OSError as exc:
        raise ConfigError(
            f"cannot create the workspace in {root} ({exc.strerror}); pick a folder you can "
            "write to"
        ) from None
    ws = Workspace.open(root)
    ws.store.con  # noqa: B018  (opens and migrates)
    return ws


def _longer_names(cfg: Config, brand: str, names: list[str]) -> list[str]:
    """Other brands' names and aliases holding one of `names` (a brand's) inside them, as
    "音悦Lite (brand '音悦Lite')": a post naming the longer one is that brand's, not `brand`'s."""
    out = []
    for other in cfg.brands:
        if other.name == brand:
            continue
        for longer in _distinct([other.name, *other.aliases]):
            if any(n and n != longer and n.casefold() in longer.casefold() for n in names):
                out.append(f"{longer} (brand {other.name!r})")
    return out


def coverage_warnings(ws: Workspace) -> list[str]:
    """After analysis: the configured brands, themes and segment rules that no analyzed post
    has, each with why that is suspicious and what to check (nothing when nothing is analyzed).

    A theme flagged ``controversy = true`` is left out: a crisis watch (food safety, a
    boycott) matches nothing until the crisis comes, and a daily job warned about it on every
    quiet day (walk-through s26 W5); its query is checked as any with ``brandhalo query``.
    """
    from brandhalo.store import presence

    con = ws.store.con
    if not ws.store.count("enriched"):
        return []
    cfg, out = ws.config, []
    named = [presence.brand_posts(con, b.name) for b in cfg.brands]
    if cfg.brands and not any(named):
        out.append(no_brand_named(ws.store.count("enriched")))
    for i, b in enumerate(cfg.brands):
        if not any(named):
            break  # said once above: the aliases are not what to look at first
        if not named[i]:
            own = _distinct([b.name, *b.aliases])
            inside = _longer_names(cfg, b.name, own)
            where = (
                f"none of {', '.join(own)} is matched in the posts outside "
                f"{', '.join(inside)}, where the longer name wins"
                if inside
                else f"none of {', '.join(own)} occurs in the posts"
            )
            out.append(
                f"{place_of(cfg, ('brands', i, 'aliases'))}brand {b.name!r} is named in no "
                f"analyzed post: {where}; add the names people write for it to its aliases"
            )
    themes = _posts_by(con, "theme", "theme <> '*'")
    out += [
        f"{place_of(cfg, ('themes', i, 'query'))}theme {t.name!r} matched no post that names "
        f"a brand; check its query with `brandhalo query '{t.query}'`"
        for i, t in enumerate(cfg.themes)
        if not themes.get(t.name) and not t.controversy  # a quiet crisis watch is expected
    ]
    segments = _posts_by(con, "segment", "theme = '*' AND touchpoint = '*'")
    out += [
        f"{place_of(cfg, ('segments', i))}segment rule {s.name!r} put no post in its segment; "
        "check its hints, query, price range and min_followers against your posts and "
        "[[products]]"
        for i, s in enumerate(cfg.segments)
        if not segments.get(s.name)
    ]
    return out


def no_brand_named(posts: int) -> str:
    """The warning when none of the `posts` analyzed posts names a configured brand or product:
    more often than missing aliases, the names sit in a column ingest did not read."""
    return (
        f"none of the {posts:,} analyzed posts names a configured brand or product: if a "
        "column of the posts file holds product or brand names (商品属性, SKU, 型号, 品牌 ...), "
        "read it with --map product=COLUMN (or brand=COLUMN): in a fresh workspace "
        "(`brandhalo init NEW_FOLDER`, the analyzed posts cannot be read again in place), "
        "ingest the file there with that --map and run `brandhalo analyze`; else add the "
        "names people write to the brands' and products' aliases in brandhalo.toml"
    )


def _distinct(names: list[str]) -> list[str]:
    """`names` without repeats, compared case-insensitively (the first spelling kept).

    >>> _distinct(["Microsoft", "microsoft", "@Microsoft"])
    ['Microsoft', '@Microsoft']
    """
    seen: set[str] = set()
    out = []
    for n in names:
        if n.casefold() not in seen:
            seen.add(n.casefold())
            out.append(n)
    return out


def _posts_by(con: Any, key: str, where: str) -> dict[str, float]:
    """Posts of ``agg_daily`` rows passing `where`, per value of column `key`."""
    from brandhalo.store import aggregates

    df = aggregates.period_sums(con, [key], "day", where)
    return {str(k): float(v or 0) for k, v in zip(df[key], df["posts"], strict=True)}
