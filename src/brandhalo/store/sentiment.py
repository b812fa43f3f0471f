"""Sentiment labels and the models taught on them (``labels``, ``sentiment_models``).

Part of the data-access layer (issue 18): the labelling queue (``text.sentiment.active``) and
the workspace model (``text.sentiment.workspace_model``) read and write these tables here.
Ingested label sheets are written by ``ingest.tables``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

_LATEST_LABELS = """
SELECT text, label, post_id, ingest_id FROM (
    SELECT coalesce(nullif(trim(l.text), ''), p.text) AS text, l.label, l.post_id, l.ingest_id,
           row_number() OVER (
               PARTITION BY coalesce(p.post_id, t.post_id, l.post_id, l.text)
               ORDER BY l.labelled_at DESC NULLS LAST, l.ingest_id DESC NULLS LAST
           ) AS rank
    FROM labels l LEFT JOIN posts p ON p.post_id = l.post_id
    LEFT JOIN (SELECT trim(text) AS text, min(post_id) AS post_id FROM posts GROUP BY 1) t
        ON p.post_id IS NULL AND t.text = trim(l.text)
    WHERE (l.aspect IS NULL OR trim(l.aspect) = '') AND trim(l.label) <> ''
)
WHERE rank = 1 AND text IS NOT NULL AND trim(text) <> ''
ORDER BY coalesce(post_id, text)
"""


def latest_labels(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str | None]]:
    """Overall-sentiment labels as (text, label as stored, post_id), one per post or distinct
    text (the latest label wins; a label stored by its text alone, or under an id that is no
    post's, is the label of the post with that text, if any; a post's text taken from
    ``posts`` when the label has none),
    ordered by post id or text. Aspect labels and blank labels or texts are left out."""
    return [(t, lb, p) for t, lb, p, _ in latest_label_rows(con)]


def latest_label_rows(
    con: duckdb.DuckDBPyConnection,
) -> list[tuple[str, str, str | None, int | None]]:
    """:func:`latest_labels` with the ingest each label came from (None: stored by ``label
    --read`` or the dashboard), to read labels stored as written on their file's scale."""
    rows = con.execute(_LATEST_LABELS).fetchall()
    return [(str(t), str(lb), p, None if i is None else int(i)) for t, lb, p, i in rows]


def stored_label_values(con: duckdb.DuckDBPyConnection) -> dict[int | None, list[str]]:
    """The distinct labels stored by each ingest (None: ``label --read``, the dashboard), as
    stored: older versions stored a file's labels as written, so their scale (0/1, 1/2/3) is
    read from the whole stored column of that file."""
    rows = con.execute(
        "SELECT ingest_id, list(DISTINCT label) FROM labels GROUP BY ingest_id"
    ).fetchall()
    return {None if i is None else int(i): [str(v) for v in vs] for i, vs in rows}


#: The stored overall labels a table ``_new_labels`` of new labels (``post_id``, ``text``)
#: replaces: those of its posts, and those stored by a text alone (or under an id that is no
#: post's: a sheet of another workspace, an id Excel rounded) that is the text of a new row or
#: of one of its posts.
_REPLACED = """
(aspect IS NULL OR trim(aspect) = '') AND (
    post_id IN (SELECT post_id FROM _new_labels WHERE post_id IS NOT NULL)
    OR ((post_id IS NULL OR post_id NOT IN (SELECT post_id FROM posts)) AND trim(text) IN (
        SELECT trim(text) FROM _new_labels WHERE text IS NOT NULL
        UNION SELECT trim(p.text) FROM posts p JOIN _new_labels n ON p.post_id = n.post_id)))
"""


def count_replaced(con: duckdb.DuckDBPyConnection, table: pa.Table) -> int:
    """How many stored overall labels :func:`replace_labels` of `table` would replace."""
    con.register("_new_labels", table)
    try:
        rows = con.execute(f"SELECT count(*) FROM labels WHERE {_REPLACED}").fetchall()
    finally:
        con.unregister("_new_labels")
    return int(rows[0][0])


def changed_labels(con: duckdb.DuckDBPyConnection, table: pa.Table) -> list[tuple[str, str, str]]:
    """(post id or text, label stored, new label) of each post or text of `table` whose
    latest stored label (:func:`latest_labels`) :func:`replace_labels` would change."""
    con.register("_new_labels", table)
    try:
        rows = con.execute(
            f"SELECT coalesce(n.post_id, n.text), o.label, n.label FROM ({_LATEST_LABELS}) o "
            "JOIN _new_labels n ON (n.post_id IS NOT NULL AND o.post_id = n.post_id) OR "
            "trim(o.text) = trim(coalesce(n.text, (SELECT p.text FROM posts p "
            "WHERE p.post_id = n.post_id))) WHERE o.label <> n.label"
        ).fetchall()
    finally:
        con.unregister("_new_labels")
    return sorted({(str(k), str(a), str(b)) for k, a, b in rows})


def post_ids_by_text(con: duckdb.DuckDBPyConnection, texts: list[str]) -> dict[str, str]:
    """The post of each of `texts` (white space around it ignored) stored in ``posts``: the
    first by id when several posts share a text; texts of no post left out."""
    if not texts:
        return {}
    rows = con.execute(
        "SELECT trim(t), min(p.post_id) FROM unnest(?::VARCHAR[]) AS u(t) "
        "JOIN posts p ON trim(p.text) = trim(u.t) GROUP BY 1",
        [texts],
    ).fetchall()
    return {str(t): str(pid) for t, pid in rows}


def negative_share(con: duckdb.DuckDBPyConnection) -> float | None:
    """The share of analyzed posts (``enriched``) the engine called negative; None when no
    post is analyzed."""
    rows = con.execute("SELECT count(*), count(*) FILTER (label = -1) FROM enriched").fetchall()
    n, neg = rows[0]
    return None if not n else float(neg) / float(n)


def count_labelled(con: duckdb.DuckDBPyConnection) -> int:
    """Posts (or distinct texts, for labels without a post) with an overall label; aspect
    labels left out."""
    rows = con.execute(
        "SELECT count(DISTINCT coalesce(post_id, text)) FROM labels "
        "WHERE aspect IS NULL OR trim(aspect) = ''"
    ).fetchall()
    return int(rows[0][0])


def replace_labels(con: duckdb.DuckDBPyConnection, table: pa.Table) -> None:
    """Store overall labels from `table` (``post_id``, ``text``, ``label``; a row names a post
    or, with no post id, a text), replacing earlier overall labels of the same post or text:
    also one stored by a text alone (or under an id that is no post's) when it is the text of
    a new row's post (:data:`_REPLACED`), so a post keeps one label.

    Call inside ``store.transaction()`` so the delete and the insert land together.
    """
    con.register("_new_labels", table)
    con.execute(f"DELETE FROM labels WHERE {_REPLACED}")
    con.execute(
        "INSERT OR REPLACE INTO labels (row_id, text, post_id, label, aspect, labelled_at) "
        "SELECT md5(concat_ws('|', coalesce(post_id, ''), coalesce(text, ''), '')), "
        "text, post_id, label, NULL, current_timestamp FROM _new_labels"
    )
    con.unregister("_new_labels")


def insert_ingested_labels(
    con: duckdb.DuckDBPyConnection, staged: pa.Table, row_id_sql: str, ingest_id: int
) -> tuple[int, int]:
    """Store a labels file's good rows (`staged`: ``text``, ``post_id``, ``label``,
    ``aspect``, ``_line``): the last row of each post (or text, without a post id) and aspect
    wins and replaces the label stored for it before. `row_id_sql`: a row's id over ``s``.

    Returns:
        (rows inserted, stored labels replaced).
    """
    key = "coalesce(post_id, ''), CASE WHEN post_id IS NULL THEN text END, coalesce(aspect, '')"
    con.register("_bh_labels", staged)
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _bh_new_labels AS SELECT * EXCLUDE (_rank) FROM ("
            f"SELECT text, post_id, label, aspect, row_number() OVER (PARTITION BY {key} "
            "ORDER BY _line DESC) AS _rank FROM _bh_labels) WHERE _rank = 1"
        )
    finally:
        con.unregister("_bh_labels")
    same = (
        "coalesce(l.aspect, '') = coalesce(n.aspect, '') AND ("
        "(n.post_id IS NOT NULL AND l.post_id = n.post_id) OR "
        "(n.post_id IS NULL AND l.post_id IS NULL AND l.text = n.text))"
    )
    replaced = con.execute(
        f"DELETE FROM labels l WHERE EXISTS (SELECT 1 FROM _bh_new_labels n WHERE {same})"
    ).fetchall()
    inserted = con.execute(
        "INSERT OR REPLACE INTO labels (row_id, text, post_id, label, aspect, ingest_id, "
        f"labelled_at) SELECT {row_id_sql}, text, post_id, label, aspect, {int(ingest_id)}, "
        "current_timestamp FROM _bh_new_labels s"
    ).fetchall()
    con.execute("DROP TABLE _bh_new_labels")
    return int(inserted[0][0]), int(replaced[0][0])


@dataclass(frozen=True)
class ModelRecord:
    """One row of ``sentiment_models``: a model adapted on a workspace's labels.

    JSON columns (`class_counts`, `before`, `after`) are given as JSON text.
    """

    model_id: str
    engine: str
    path: str
    base: str
    rows: int
    class_counts: str
    before: str
    after: str
    label_source: str


def record_model(con: duckdb.DuckDBPyConnection, model: ModelRecord) -> None:
    """Insert `model` into ``sentiment_models`` (``created_at`` is now)."""
    con.execute(
        "INSERT INTO sentiment_models (model_id, engine, path, base, rows, class_counts, "
        "before, after, label_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            model.model_id,
            model.engine,
            model.path,
            model.base,
            model.rows,
            model.class_counts,
            model.before,
            model.after,
            model.label_source,
        ],
    )


def models_newest_first(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every row of ``sentiment_models``, newest first."""
    return con.execute("SELECT * FROM sentiment_models ORDER BY created_at DESC").df()


def scoring_engines(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """(engine, posts) of the analyzed posts, most posts first: the engine names ``analyze``
    stored per post (``lexicon``, ``hybrid@<model id>``); more than one while a re-score
    after ``train`` or a config change is not done yet."""
    rows = con.execute(
        "SELECT engine, count(*) AS n FROM enriched GROUP BY engine ORDER BY n DESC, engine"
    ).fetchall()
    return [(str(r[0]), int(r[1])) for r in rows]


def model_record(con: duckdb.DuckDBPyConnection, model_id: str) -> dict[str, object] | None:
    """The ``sentiment_models`` row of `model_id` (rows, class_counts, before, after as
    written), or None when the model was not adapted in this workspace."""
    df = con.execute(
        "SELECT model_id, rows, before, after FROM sentiment_models WHERE model_id = ? "
        "ORDER BY created_at DESC LIMIT 1",
        [model_id],
    ).df()
    return None if df.empty else {str(k): v for k, v in df.iloc[0].to_dict().items()}
