"""Alert delivery bookkeeping (``deliveries``, ``dead_letters``, ``alert_updates``).

Part of the data-access layer (issue 18). ``deliveries`` holds one row per (episode, sink),
written ``pending`` before the first try and finished after; ``dead_letters`` holds what could
not be delivered; ``alert_updates`` what each message told of its episode (the first one and
every follow-up). :mod:`brandhalo.alerts.delivery` decides when; the statements are here.
Writers expect to run inside ``store.transaction()``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class DeadLetter:
    """A delivery given up on: where it went, how often it was tried, the last outcome and the
    payload (to resend by hand)."""

    episode_id: str
    sink: str
    sink_kind: str
    url: str
    attempts: int
    last_status: int | None
    last_error: str | None
    payload: str


def handled(con: duckdb.DuckDBPyConnection, sink: str) -> set[str]:
    """Episode ids that have a delivery row for `sink` (whatever its status)."""
    rows = con.execute("SELECT episode_id FROM deliveries WHERE sink = ?", [sink]).fetchall()
    return {r[0] for r in rows}


def follow_up_rows(
    con: duckdb.DuckDBPyConnection, sink: str, since: dt.datetime
) -> list[tuple[str, str]]:
    """(episode, row sink value) of the rows that record what `sink` was told of an episode's
    state (``<sink>@<kind>/<severity>/<count>``, older rows without ``/<count>``:
    :func:`brandhalo.alerts.delivery.told_key`). A follow-up that died because the receiver
    could not be reached, first tried at or after `since`, is not among them: nothing of it
    arrived, so it is sent again (as :func:`unreached` does for an episode's first message)."""
    starts = _unreached_sql("l.last_error")
    rows = con.execute(
        "SELECT d.episode_id, d.sink FROM deliveries d WHERE starts_with(d.sink, ?) "
        "AND NOT (d.status = 'dead' AND d.first_try_at >= ? AND coalesce((SELECT "
        f"l.last_status IS NULL AND ({starts}) FROM dead_letters l "
        "WHERE l.episode_id = d.episode_id AND l.sink = ? ORDER BY l.dead_id DESC LIMIT 1), "
        "false))",
        [sink + "@", since, *UNREACHED_ERRORS, sink],
    ).fetchall()
    return [(str(e), str(k)) for e, k in rows]


def status_of(con: duckdb.DuckDBPyConnection, episode: str, sink: str) -> str | None:
    """The status of the delivery row of (`episode`, `sink`); None when there is none."""
    row = con.execute(
        "SELECT status FROM deliveries WHERE episode_id = ? AND sink = ?", [episode, sink]
    ).fetchone()
    return str(row[0]) if row else None


def count_for_sink(con: duckdb.DuckDBPyConnection, sink: str) -> int:
    """Delivery rows of `sink` (0: the sink has no history yet)."""
    row = con.execute("SELECT count(*) FROM deliveries WHERE sink = ?", [sink]).fetchone()
    return int(row[0]) if row and row[0] else 0


def forget_baselined(con: duckdb.DuckDBPyConnection, sink: str, start_mark: str) -> int:
    """Remove the rows that recorded episodes as seen without sending them to `sink` (a
    watcher's first round: status ``skipped`` on the sink's own row), with their state rows
    (``<sink>@…``), so the next delivery sends them; `start_mark` (where the sink's history
    starts) stays. Returns the episodes forgotten."""
    baselined = (
        "SELECT episode_id FROM deliveries WHERE sink = ? AND status = 'skipped' "
        "AND episode_id <> ?"
    )
    row = con.execute(f"SELECT count(*) FROM ({baselined})", [sink, start_mark]).fetchone()
    n = int(row[0]) if row and row[0] else 0
    if n:
        con.execute(
            f"DELETE FROM alert_updates WHERE episode_id IN ({baselined}) AND sink = ?",
            [sink, start_mark, sink],
        )
        con.execute(
            f"DELETE FROM deliveries WHERE episode_id IN ({baselined}) "
            "AND (sink = ? OR starts_with(sink, ?) OR starts_with(sink, ?))",
            [sink, start_mark, sink, sink + "@", sink + "#"],
        )
    return n


def count_undelivered(con: duckdb.DuckDBPyConnection, sink: str) -> int:
    """Stored episodes with no delivery row for `sink`."""
    rows = con.execute(
        "SELECT count(*) FROM episodes e WHERE NOT EXISTS (SELECT 1 FROM deliveries d "
        "WHERE d.episode_id = e.episode_id AND d.sink = ?)",
        [sink],
    ).fetchall()
    return int(rows[0][0]) if rows and rows[0][0] else 0


#: How the error of a try that never reached the receiver starts (no connection was made, so
#: nothing arrived): :func:`brandhalo.alerts.delivery._post` writes ``ExceptionName: ...``.
UNREACHED_ERRORS = ("ConnectError", "ConnectTimeout")


def _unreached_sql(column: str) -> str:
    """SQL: `column` (an error) is one of a try that never reached the receiver; one ``?``
    parameter per :data:`UNREACHED_ERRORS`, passed after the statement's other ones."""
    return " OR ".join(f"starts_with({column}, ?)" for _ in UNREACHED_ERRORS)


def unreached(con: duckdb.DuckDBPyConnection, sink: str, since: dt.datetime) -> set[str]:
    """Episodes whose delivery row of `sink` is ``dead``, first tried at or after `since`,
    because the receiver could not be reached: the newest dead letter of (episode, `sink`) is
    a connection error with no HTTP answer. Nothing of those arrived, so sending them again
    cannot deliver one twice. Follow-up rows (``<sink>@...``) are not among them."""
    starts = _unreached_sql("l.last_error")
    rows = con.execute(
        "SELECT d.episode_id FROM deliveries d WHERE d.sink = ? AND d.status = 'dead' "
        "AND d.first_try_at >= ? AND coalesce((SELECT l.last_status IS NULL "
        f"AND ({starts}) FROM dead_letters l WHERE l.episode_id = d.episode_id "
        "AND l.sink = d.sink ORDER BY l.dead_id DESC LIMIT 1), false)",
        [sink, since, *UNREACHED_ERRORS],
    ).fetchall()
    return {str(r[0]) for r in rows}


def attempts(con: duckdb.DuckDBPyConnection, episode: str, sink: str) -> int:
    """Tries made so far for the delivery row of (`episode`, `sink`) (0 when there is none)."""
    row = con.execute(
        "SELECT attempts FROM deliveries WHERE episode_id = ? AND sink = ?", [episode, sink]
    ).fetchone()
    return int(row[0]) if row else 0


def reopen(con: duckdb.DuckDBPyConnection, episode: str, sink: str) -> None:
    """Set a ``dead`` delivery row back to ``pending`` before it is sent again (so a process
    that dies during that send leaves it to :func:`mark_interrupted`, not to another try)."""
    con.execute(
        "UPDATE deliveries SET status = 'pending' WHERE episode_id = ? AND sink = ? "
        "AND status = 'dead'",
        [episode, sink],
    )


def clear_unreached(con: duckdb.DuckDBPyConnection, episode: str, sink: str) -> None:
    """Drop the connection-error dead letters of (`episode`, `sink`): it arrived since, so
    `brandhalo alerts --failed` no longer lists it."""
    starts = _unreached_sql("last_error")
    con.execute(
        "DELETE FROM dead_letters WHERE episode_id = ? AND sink = ? AND last_status IS NULL "
        f"AND ({starts})",
        [episode, sink, *UNREACHED_ERRORS],
    )


def record(
    con: duckdb.DuckDBPyConnection,
    episode: str,
    sink: str,
    status: str,
    attempts: int,
    first_try_at: dt.datetime,
) -> None:
    """Add the delivery row of (`episode`, `sink`) unless it exists (then nothing changes)."""
    con.execute(
        "INSERT INTO deliveries (episode_id, sink, status, attempts, first_try_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [episode, sink, status, attempts, first_try_at],
    )


def finish(
    con: duckdb.DuckDBPyConnection,
    episode: str,
    sink: str,
    status: str,
    attempts: int,
    delivered_at: dt.datetime | None,
) -> None:
    """Set the outcome of the delivery row of (`episode`, `sink`)."""
    con.execute(
        "UPDATE deliveries SET status = ?, attempts = ?, delivered_at = ? "
        "WHERE episode_id = ? AND sink = ?",
        [status, attempts, delivered_at, episode, sink],
    )


def add_dead_letter(con: duckdb.DuckDBPyConnection, letter: DeadLetter) -> None:
    """Append `letter` to ``dead_letters`` (its id from the sequence, ``failed_at`` now)."""
    con.execute(
        "INSERT INTO dead_letters (dead_id, episode_id, sink, sink_kind, url, attempts, "
        "last_status, last_error, payload) "
        "VALUES (nextval('dead_letter_seq'), ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            letter.episode_id,
            letter.sink,
            letter.sink_kind,
            letter.url,
            letter.attempts,
            letter.last_status,
            letter.last_error,
            letter.payload,
        ],
    )


def pending(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(episode, sink) of delivery rows still ``pending`` (a process died while sending)."""
    rows = con.execute("SELECT episode_id, sink FROM deliveries WHERE status = 'pending'")
    return [(str(e), str(s)) for e, s in rows.fetchall()]


def mark_interrupted(con: duckdb.DuckDBPyConnection, episode: str, sink: str, error: str) -> None:
    """Move a ``pending`` delivery to the dead letters: status ``dead``, and a dead letter with
    `error`, the sink kind taken from the sink key (``kind:...``) and no URL or payload."""
    con.execute(
        "UPDATE deliveries SET status = 'dead' WHERE episode_id = ? AND sink = ?",
        [episode, sink],
    )
    con.execute(
        "INSERT INTO dead_letters (dead_id, episode_id, sink, sink_kind, url, attempts, "
        "last_status, last_error, payload) VALUES (nextval('dead_letter_seq'), ?, ?, "
        "split_part(?, ':', 1), '', 0, NULL, ?, '')",
        [episode, sink, sink, error],
    )


def dead_letters(con: duckdb.DuckDBPyConnection, limit: int) -> pd.DataFrame:
    """The newest `limit` dead letters (dead_id, episode_id, sink_kind, url, attempts,
    last_status, last_error, failed_at), newest first."""
    return con.execute(
        "SELECT dead_id, episode_id, sink_kind, url, attempts, last_status, last_error, "
        "failed_at FROM dead_letters ORDER BY failed_at DESC, dead_id DESC LIMIT ?",
        [limit],
    ).df()


@dataclass(frozen=True)
class Update:
    """One message a webhook was told of an episode (a row of ``alert_updates``): the
    change it reported (``new`` for the first message; else ``escalated``, ``growing``,
    ``driver``, ``ended``, several joined by ``,``) and the episode's state it told."""

    episode_id: str
    sink: str
    row_key: str
    change: str
    kind: str
    severity: int
    count: int | None
    driver: str | None
    driver_name: str | None
    previous_driver: str | None = None
    previous_count: int | None = None
    ended_on: dt.date | None = None
    back_on: dt.date | None = None


@dataclass(frozen=True)
class ToldUpdate:
    """An :class:`Update` with when it was recorded and how its delivery went: `status` of
    its ``deliveries`` row (None: it has none), `unreached` (it died without reaching the
    receiver, first tried at or after the `since` asked: it is to be sent again, so it does
    not count as told) and `delivered_at`."""

    update: Update
    recorded_at: dt.datetime
    status: str | None
    unreached: bool
    delivered_at: dt.datetime | None


def record_update(con: duckdb.DuckDBPyConnection, update: Update, at: dt.datetime) -> None:
    """Write `update` (replacing the row of the same episode and row key: a message tried
    again tells the episode's state by then)."""
    u = update
    con.execute(
        "INSERT OR REPLACE INTO alert_updates (episode_id, sink, row_key, change, kind, "
        "severity, count, driver, driver_name, previous_driver, previous_count, ended_on, "
        "back_on, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [u.episode_id, u.sink, u.row_key, u.change, u.kind, u.severity, u.count, u.driver,
         u.driver_name, u.previous_driver, u.previous_count, u.ended_on, u.back_on, at],
    )  # fmt: skip


def told_updates(
    con: duckdb.DuckDBPyConnection,
    since: dt.datetime,
    sink: str | None = None,
    episodes: list[str] | None = None,
) -> list[ToldUpdate]:
    """The ``alert_updates`` rows of `sink` (None: every sink) and of `episodes` (None:
    every episode), oldest first, each with its delivery's status; a row whose delivery died
    unreached (the newest dead letter of its episode and sink is a connection error with no
    HTTP answer) and was first tried at or after `since` is marked ``unreached``."""
    starts = _unreached_sql("l.last_error")
    where, params = [], []
    if sink is not None:
        where.append("a.sink = ?")
        params.append(sink)
    if episodes is not None:
        if not episodes:
            return []
        where.append(f"a.episode_id IN ({', '.join('?' for _ in episodes)})")
        params += episodes
    rows = con.execute(
        "SELECT a.episode_id, a.sink, a.row_key, a.change, a.kind, a.severity, a.count, "
        "a.driver, a.driver_name, a.previous_driver, a.previous_count, a.ended_on, a.back_on, "
        "a.recorded_at, d.status, coalesce(d.status = 'dead' AND d.first_try_at >= ? AND "
        "(SELECT l.last_status IS NULL AND "
        f"({starts}) FROM dead_letters l WHERE l.episode_id = a.episode_id AND l.sink = a.sink "
        "ORDER BY l.dead_id DESC LIMIT 1), false), d.delivered_at "
        "FROM alert_updates a LEFT JOIN deliveries d ON d.episode_id = a.episode_id "
        "AND d.sink = a.row_key"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY a.recorded_at, a.row_key",
        [since, *UNREACHED_ERRORS, *params],
    ).fetchall()
    return [
        ToldUpdate(
            update=Update(
                episode_id=str(r[0]), sink=str(r[1]), row_key=str(r[2]), change=str(r[3]),
                kind=str(r[4]), severity=int(r[5]), count=_int(r[6]), driver=r[7],
                driver_name=r[8], previous_driver=r[9], previous_count=_int(r[10]),
                ended_on=r[11], back_on=r[12],
            ),
            recorded_at=r[13], status=r[14], unreached=bool(r[15]), delivered_at=r[16],
        )  # fmt: skip
        for r in rows
    ]


def _int(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]
