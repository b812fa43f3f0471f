"""Helpers of the reader tests: a served workspace and the step-by-step writer (rel_holder.py)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from rel_helpers import cli, cli_env, free_port, run_cli, wait_health

HOLDER = Path(__file__).with_name("rel_holder.py")
#: Read endpoints the dashboard polls; the search word matches only the writer's posts.
READS = (
    "/api/posts?q=holder&page_size=50",
    "/api/alerts",
    "/api/metrics/net_sentiment",
    "/api/whoami",
)
#: A request that hangs this long failed (it waited for the writer); not a speed requirement.
HANG_S = 120.0


class Served:
    """A `brandhalo serve` process on a workspace, with a read token."""

    def __init__(
        self,
        ws: Path,
        tmp: Path,
        procs: list[Any],
        *,
        role: str = "read",
        args: tuple[str, ...] = (),
    ):
        made = run_cli("token", "create", "--role", role, "--json", "-p", str(ws))
        assert made.returncode == 0, made.stderr
        self.token = json.loads(made.stdout)["token"]
        self.url = f"http://127.0.0.1:{free_port()}"
        self.log = tmp / f"serve-{self.url.rsplit(':', 1)[1]}.log"
        with self.log.open("w") as out:
            self.proc = subprocess.Popen(
                cli("serve", "-p", str(ws), "--port", self.url.rsplit(":", 1)[1], *args),
                stdout=out,
                stderr=subprocess.STDOUT,
                env=cli_env(),
            )
        procs.append(self.proc)
        wait_health(self.url, self.proc, log=self.log)
        self.client = httpx.Client(
            base_url=self.url, headers={"authorization": f"Bearer {self.token}"}, timeout=HANG_S
        )

    def answers(self, paths: tuple[str, ...] = READS) -> dict[str, Any]:
        """One answer per read endpoint (each must be a 200)."""
        got = {}
        for path in paths:
            r = self.client.get(path)
            assert r.status_code == 200, (path, r.status_code, r.text[:500])
            got[path] = r.json()
        return got


def start_holder(ws: Path, prefix: str, n: int) -> subprocess.Popen[str]:
    """The step-by-step writer; returns once it holds the store for writing."""
    proc = subprocess.Popen(
        [sys.executable, str(HOLDER), str(ws), prefix, str(n)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(),
    )
    expect(proc, "held")
    return proc


def expect(proc: subprocess.Popen[str], word: str) -> None:
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if line != word:
        err = proc.stderr.read() if proc.stderr and proc.poll() is not None else ""
        raise AssertionError(f"the writer said {line!r}, not {word!r}: {err[-2000:]}")


def go_on(proc: subprocess.Popen[str]) -> None:
    assert proc.stdin is not None
    proc.stdin.write("go\n")
    proc.stdin.flush()


def holds_write_lock(ws: Path, pid: int) -> bool:
    """True while process `pid` is recorded as holding the store for writing."""
    info = ws / "brandhalo.lock.d" / f"{pid}.json"
    try:
        return json.loads(info.read_text(encoding="utf-8"))["mode"] == "write"
    except (OSError, ValueError, KeyError):
        return False


def wait_for_change(
    served: Served, before: dict[str, Any], paths: tuple[str, ...] = READS
) -> dict[str, Any]:
    """Poll until the answers differ from `before` (the new snapshot is served)."""
    deadline = time.monotonic() + HANG_S  # a hang guard
    while time.monotonic() < deadline:
        if served.answers(paths) != before:
            # The swap to the new generation happened before that answer; a round started
            # after it is all of the new generation (the changed one may have been mixed).
            return served.answers(paths)
        time.sleep(0.2)
    raise AssertionError("the server never served the writer's published state")


def holder_posts(answers: dict[str, Any]) -> set[str]:
    page = answers[READS[0]]
    return {p["post_id"] for p in page["posts"]}


def only_posts_changed(after: dict[str, Any], before: dict[str, Any], pending: int) -> bool:
    """Whether a write of `pending` posts, published but not analyzed, changed only what it
    should: the post search, and the metric's note that says those posts are left out (the
    metrics themselves read analyzed posts only)."""
    metric = READS[2]

    def rest(answers: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in answers.items() if k != READS[0]}
        out[metric] = {k: v for k, v in out[metric].items() if k != "notes"}
        return out

    notes = " ".join(after[metric].get("notes") or [])
    return rest(after) == rest(before) and f"{pending} of " in notes and "not analyzed" in notes
