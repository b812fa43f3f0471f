"""``serve --host 0.0.0.0`` prints a link one can open: this machine's own address (or its
host name), never ``http://0.0.0.0:PORT/``, and says the server listens on every address; a
given address is printed as it is."""

from __future__ import annotations

import socket

import pytest

from brandhalo.web.serve import link_lines


def _url_host(line: str) -> str:
    return line.split("http://", 1)[1].rsplit(":", 1)[0].strip("[]")


@pytest.mark.parametrize("wildcard", ["0.0.0.0", "::"])
def test_a_wildcard_bind_prints_an_address_of_this_machine(wildcard: str) -> None:
    lines = link_lines(wildcard, 8123, "bh_secret")
    shown = _url_host(lines[0])
    assert lines[0].endswith(":8123/") and shown not in ("0.0.0.0", "::", "")
    assert lines[1].startswith("open: http://") and lines[1].endswith(":8123/?token=bh_secret")
    assert f"listening on {wildcard}, every address of this machine" in lines[-1]
    assert ("http://[::1]:8123/" if wildcard == "::" else "http://127.0.0.1:8123/") in lines[-1]
    if wildcard == "0.0.0.0":  # an address of this machine: it can be bound (nothing is sent)
        family = socket.AF_INET6 if ":" in shown else socket.AF_INET
        host = shown if ":" in shown else socket.gethostbyname(shown)
        with socket.socket(family, socket.SOCK_DGRAM) as sock:
            sock.bind((host, 0))


@pytest.mark.parametrize("host", ["127.0.0.1", "192.168.3.4", "localhost", "::1"])
def test_a_given_address_is_printed_as_it_is(host: str) -> None:
    shown = f"[{host}]" if ":" in host else host
    assert link_lines(host, 8000) == [f"brandhalo dashboard: http://{shown}:8000/"]
