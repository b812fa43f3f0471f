"""`brandhalo serve` / `demo --serve` and the port: a taken one fails before any token or link;
--port 0 serves on a free one and prints it; a workspace without a token says how to make one."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from brandhalo.errors import BrandhaloError
from brandhalo.web.serve import serve_workspace
from brandhalo.web.tokens import list_tokens
from brandhalo.workspace import Workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")  # upstream


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command line (its error edge turns a BrandhaloError into a message, exit 1)."""
    return subprocess.run(
        [sys.executable, "-m", "brandhalo", *args], capture_output=True, text=True, timeout=300
    )


@contextmanager
def taken_port() -> Iterator[int]:
    """A loopback port another server listens on while the block runs."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield int(other.getsockname()[1])


def test_taken_port_fails_before_a_token_or_link(tmp_ws, capsys):
    root = tmp_ws.root
    tmp_ws.close()
    with taken_port() as port, pytest.raises(BrandhaloError) as caught:
        serve_workspace(root, port=port, announce_token=True)
    assert f"port {port} on 127.0.0.1 is in use" in str(caught.value)
    assert "--port" in str(caught.value)
    assert "brandhalo dashboard" not in capsys.readouterr().out  # no link to the other server
    with Workspace.open(root) as ws:
        assert list_tokens(ws) == []  # no read token was made for a server that never ran


def test_serve_cli_taken_port_is_a_clean_error(tmp_ws):
    root = str(tmp_ws.root)
    tmp_ws.close()
    with taken_port() as port:
        result = _cli("serve", "-p", root, "--port", str(port))
    assert result.returncode == 1, result.stderr
    assert f"port {port} on 127.0.0.1 is in use (another brandhalo serve?)" in result.stderr
    assert "Traceback" not in result.stderr and "Errno" not in result.stderr
    assert result.stdout == ""  # no dashboard link


def test_demo_serve_checks_its_port_before_building(tmp_path):
    target = tmp_path / "demo"
    with taken_port() as port:
        result = _cli("demo", "--dir", str(target), "--serve", "--port", str(port))
    assert result.returncode == 1, result.stderr
    assert f"port {port} on 127.0.0.1 is in use" in result.stderr
    assert not target.exists()  # nothing built: the same command with --port N works


def test_demo_port_without_serve_is_refused(tmp_path):
    result = _cli("demo", "--dir", str(tmp_path / "d"), "--port", "8123")
    assert result.returncode == 2 and "--serve" in result.stderr, result.stderr
    assert not (tmp_path / "d").exists()


@pytest.mark.parametrize(
    ("host", "port", "said"),
    [
        ("127.0.0.1", 70000, "port 70000 is not a port number"),
        ("nosuch.invalid", 0, "host 'nosuch.invalid' is not a known address"),
    ],
)
def test_bad_address_is_a_clean_error(tmp_ws, host, port, said):
    root = str(tmp_ws.root)
    tmp_ws.close()
    result = _cli("serve", "-p", root, "--host", host, "--port", str(port))
    assert result.returncode == 1 and said in result.stderr, result.stderr


def test_port_zero_serves_on_the_port_it_prints(tmp_ws):
    root = str(tmp_ws.root)
    tmp_ws.close()
    proc = subprocess.Popen(
        [sys.executable, "-m", "brandhalo", "serve", "-p", root, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        assert line.startswith("brandhalo dashboard: http://127.0.0.1:"), line
        port = int(line.rsplit(":", 1)[1].strip().rstrip("/"))
        assert port != 0
        # bound and listening before the link is printed: the first request waits, not fails
        assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=120).json() == {"status": "ok"}
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=60)
    assert "no access token yet" in err and "brandhalo token create --role read" in err
