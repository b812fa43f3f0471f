"""CLI commands (see brandhalo.cli)."""

from __future__ import annotations
