"""Choosing the posts worth labelling, the labelling sheet, and storing the labels given.

A few hundred labels teach a domain best when they are not a random sample: random posts are
mostly easy and almost never negative. :func:`select_for_labelling` mixes three streams:

- **uncertain**: the lowest-confidence labels of the current engine (where a label helps most),
  from the less sure half of the posts only;
- **likely negative**: predicted negatives, then posts whose score leans negative, over-sampled
  so the rare class gets examples (a launch stream may hold 3 % negatives);
- **diverse**: farthest-point sampling on hashed character n-gram vectors, so the sheet covers
  the stream's topics and not one viral thread.

When the labels given so far are mostly one class (more than :data:`SKEWED_SHARE`, the share at
which ``train`` warns), the likely-negative stream's share goes to **rare-class** posts instead:
posts predicted in the under-represented classes (then those leaning toward them), the classes
taken in turn, fewest labels first (:func:`label_skew`, ``workspace_candidates(balance=True)``).

Exact and near-identical texts (cosine of the n-gram vectors >= :data:`NEAR_DUPLICATE`) and
posts that already have a label are never picked twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from brandhalo.errors import InputError
from brandhalo.text.sentiment.labels import (
    SHEET_HEADERS_ZH,
    SHEET_LABEL_WORDS,
    SHEET_REASONS_ZH,
    SHEET_WORDS_ZH,
)

if TYPE_CHECKING:
    from brandhalo.store.posts import ScoredSample
    from brandhalo.text.sentiment._base import SentimentResult
    from brandhalo.workspace import Workspace

#: Share of the sheet per stream (uncertain, likely negative, diverse).
SHARES = {"uncertain": 0.4, "negative": 0.3, "diverse": 0.3}
#: Share of the labels one class may hold before `train` warns that the others are too few to
#: teach (a sheet 83 % negative taught "系统流畅，没有卡顿" only inside complaints, so the adapted
#: model called that plain praise neutral), and before the next sheet leans toward the others.
SKEWED_SHARE = 0.7
#: The stream that takes the likely-negative stream's share when the labels are skewed.
RARE = "rare-class"
#: Cosine similarity of hashed char n-gram vectors at or above which two texts are near-identical.
NEAR_DUPLICATE = 0.8
#: Texts shorter than this (after trimming) carry too little to label.
MIN_CHARS = 4
#: Posts considered at most (a seeded random sample beyond; predicted negatives are kept first).
POOL_CAP = 50_000
#: Posts the farthest-point pass runs over at most.
DIVERSE_CAP = 5_000
_BITS = 18
SHEET_COLUMNS = ("post_id", "text", "label", "predicted", "confidence", "reason")
#: The sheet's column of star ratings, after the label's, when a picked post has one (a
#: review's stars: a label given for free, shown to the labeller).
SHEET_RATING = "rating"
LABEL_NAMES = {-1: "negative", 0: "neutral", 1: "positive"}


@dataclass(frozen=True)
class Pick:
    """One post chosen for labelling and why."""

    post_id: str
    text: str
    predicted: str
    confidence: float
    reason: str  # uncertain | negative | diverse | rare-class
    rating: float | None = None  # the star rating given with the post (a review's)


def vectors(texts: Sequence[str]) -> Any:
    """L2-normalised hashed character (1-4) n-gram vectors (CSR), for similarity."""
    from scipy.sparse import diags

    from brandhalo.text.sentiment.linear import featurize

    x = featurize(list(texts), 1 << _BITS)
    norm = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    return (diags(1.0 / np.maximum(norm, 1e-12)) @ x).tocsr()


def select_for_labelling(
    post_ids: Sequence[str],
    texts: Sequence[str],
    result: SentimentResult,
    n: int,
    *,
    exclude: Sequence[str] = (),
    seed: int = 0,
    lean: Sequence[str] = (),
) -> list[Pick]:
    """Pick up to `n` posts worth labelling (see the module docstring).

    Args:
        post_ids: id per post; texts: text per post.
        result: the current engine's sentiment of `texts` (labels, scores, confidence).
        n: how many posts to pick.
        exclude: row keys (:func:`~brandhalo.text.sentiment.workspace_model.row_key`) of texts
            that already have a label.
        seed: seed of the sampling.
        lean: classes (``negative``/``neutral``/``positive``) the labels given so far lack
            (:func:`label_skew`): the likely-negative stream's share goes to posts likely of
            these (reason :data:`RARE`). Empty: the sheet as without labels.
    """
    rng = np.random.default_rng(seed)
    pool = _pool(list(texts), result, set(exclude), rng)
    if n <= 0 or pool.size == 0:
        return []
    # the farthest-point draws, made first: no other stream draws from `rng`
    sub = rng.permutation(pool.size)[:DIVERSE_CAP]
    first = int(rng.integers(len(sub)))
    uncertain = _uncertain_order(result, pool)
    second = "negative" if not lean else RARE
    negative = _negative_order(result, pool) if not lean else _lean_order(result, pool, lean)
    shares = SHARES if not lean else {RARE if k == "negative" else k: v for k, v in SHARES.items()}
    ahead = max(n, 64)
    rows = _PoolVectors([texts[i] for i in pool])
    # one block first: the diverse stream's rows, then the head of the other two streams
    made = rows.add(np.concatenate([sub, uncertain[:ahead], negative[:ahead]]))
    streams = {
        "uncertain": _ahead(uncertain, rows, ahead),
        second: _ahead(negative, rows, ahead),
        "diverse": _farthest(made[: sub.size], sub, first),
    }
    chosen = _merge(streams, rows, n, shares)
    return [
        Pick(
            post_id=str(post_ids[pool[i]]),
            text=str(texts[pool[i]]),
            predicted=LABEL_NAMES[int(result.labels[pool[i]])],
            confidence=round(float(result.confidence[pool[i]]), 3),
            reason=reason,
        )
        for i, reason in chosen
    ]


def _pool(
    texts: list[str], result: SentimentResult, exclude: set[str], rng: np.random.Generator
) -> np.ndarray:
    """Indices of distinct, unlabelled, long-enough texts (capped, negatives first)."""
    from brandhalo.text.sentiment.workspace_model import row_key

    seen: set[str] = set(exclude)
    keys: dict[str, str] = {}  # text -> its row key (copies and reposts repeat a text)
    keep = []
    for i, t in enumerate(texts):
        if len(t.strip()) < MIN_CHARS:
            continue
        k = keys.get(t)
        if k is None:
            k = keys[t] = row_key(t)
        if k in seen:
            continue
        seen.add(k)
        keep.append(i)
    idx = np.asarray(keep, dtype=np.int64)
    if idx.size > POOL_CAP:
        neg = idx[result.labels[idx] == -1]
        rest = rng.permutation(idx[result.labels[idx] != -1])
        idx = np.sort(np.concatenate([neg[:POOL_CAP], rest])[:POOL_CAP])
    return idx


def _uncertain_order(result: SentimentResult, pool: np.ndarray) -> np.ndarray:
    """The less sure half of the pool, least sure first.

    Only that half: once a small pool's unsure posts are taken, the rest are not "least
    sure" (a 40-post workspace showed posts of confidence 1.00 as the model's least sure);
    the other streams fill the sheet.
    """
    order = np.argsort(result.confidence[pool], kind="stable")
    return order[: (order.size + 1) // 2]


def _negative_order(result: SentimentResult, pool: np.ndarray) -> np.ndarray:
    """Predicted negatives first (most negative first), then the other posts that lean
    negative (score below 0), lowest first; a post that leans positive is never "likely
    negative"."""
    labels, scores = result.labels[pool], result.scores[pool]
    order = np.lexsort((scores, (labels != -1).astype(np.int8)))
    return order[(labels[order] == -1) | (scores[order] < 0)]


def _lean_order(result: SentimentResult, pool: np.ndarray, classes: Sequence[str]) -> np.ndarray:
    """Posts likely of `classes` (names), the classes taken in turn: per class, the posts
    predicted in it first, then those leaning toward it (negative: the likely-negative order;
    positive: the other posts scored above 0, highest first; neutral: the other posts, score
    nearest 0 first). A post is taken once, by the first class to reach it."""
    labels, scores = result.labels[pool], result.scores[pool]
    value = {name: v for v, name in LABEL_NAMES.items()}
    orders = []
    for name in classes:
        c = value[name]
        if c == -1:
            orders.append(_negative_order(result, pool))
            continue
        if c == 1:
            order = np.lexsort((-scores, (labels != 1).astype(np.int8)))
            orders.append(order[(labels[order] == 1) | (scores[order] > 0)])
        else:
            orders.append(np.lexsort((np.abs(scores), (labels != 0).astype(np.int8))))
    taken = np.zeros(pool.size, dtype=bool)
    out: list[int] = []
    heads = [0] * len(orders)
    while True:
        moved = False
        for k, order in enumerate(orders):
            while heads[k] < order.size and taken[order[heads[k]]]:
                heads[k] += 1
            if heads[k] < order.size:
                i = int(order[heads[k]])
                taken[i], moved = True, True
                out.append(i)
        if not moved:
            return np.asarray(out, dtype=np.int64)


def label_skew(class_counts: dict[str, int]) -> dict[str, Any] | None:
    """When one class holds more than :data:`SKEWED_SHARE` of the labels: that ``class``, its
    ``share`` and the classes to ``label_more`` (the other classes, fewest first); else None."""
    total = sum(class_counts.values())
    if not total:
        return None
    top, n = max(class_counts.items(), key=lambda kv: kv[1])
    if n / total <= SKEWED_SHARE:
        return None
    names = ("negative", "neutral", "positive")
    more = sorted((c for c in names if c != top), key=lambda c: (class_counts.get(c, 0), c))
    return {"class": top, "share": round(n / total, 3), "label_more": more}


def similarity(x: Any, xt: Any, i: int) -> np.ndarray:
    """Cosine similarity of row `i` of `x` to every row (`xt` is ``x.T`` as CSR)."""
    lo, hi = x.indptr[i], x.indptr[i + 1]
    return _similarity_to(xt, x.indices[lo:hi], x.data[lo:hi])


def _farthest(xs: Any, sub: np.ndarray, first: int) -> Iterator[int]:
    """Farthest-point order (cosine distance) over a random subsample `sub` of the pool (`xs`:
    its vectors), from its row `first`."""
    xst = xs.T.tocsr()
    dist = 1.0 - similarity(xs, xst, first)
    yield int(sub[first])
    for _ in range(len(sub) - 1):
        j = int(np.argmax(dist))
        if dist[j] <= 0:
            return
        yield int(sub[j])
        dist = np.minimum(dist, 1.0 - similarity(xs, xst, j))


def _ahead(order: np.ndarray, rows: _PoolVectors, chunk: int) -> Iterator[int]:
    """The pool rows of `order`, the vectors of each next `chunk` of them made first."""
    for lo in range(0, order.size, chunk):
        part = order[lo : lo + chunk]
        rows.add(part)
        yield from part.tolist()


class _PoolVectors:
    """The pool's n-gram vectors (:func:`vectors`), made only for the rows a stream reaches
    (in blocks), and per such row its highest similarity to a chosen row.

    A row's vector and its similarity to a chosen row are the same, bit for bit, as when every
    pool row is vectorised at once: a text's features are its own, and a similarity adds up
    the chosen row's features in their order over whichever rows it runs.
    """

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.block = np.full(len(texts), -1, dtype=np.int64)  # pool row -> its block
        self.row = np.full(len(texts), -1, dtype=np.int64)  # pool row -> its row there
        #: per block: vectors, their transpose (CSR) and per row the highest similarity
        self.blocks: list[tuple[Any, Any, np.ndarray]] = []
        self.chosen: list[tuple[np.ndarray, np.ndarray]] = []  # (features, values)

    def add(self, pool_rows: np.ndarray) -> Any:
        """Make the vectors of `pool_rows` not made yet (as one block); returns the new
        block's vectors, in the order of their first place in `pool_rows`."""
        new = pool_rows[self.block[pool_rows] < 0]
        new = new[np.sort(np.unique(new, return_index=True)[1])]
        if new.size == 0:
            return None
        x = vectors([self.texts[i] for i in new.tolist()])
        xt = x.T.tocsr()
        best = np.zeros(new.size)
        for idx, val in self.chosen:
            np.maximum(best, _similarity_to(xt, idx, val), out=best)
        self.block[new] = len(self.blocks)
        self.row[new] = np.arange(new.size)
        self.blocks.append((x, xt, best))
        return x

    def closest(self, i: int) -> float:
        """The highest similarity of pool row `i` to a chosen row (its vector made first)."""
        if self.block[i] < 0:
            self.add(np.array([i], dtype=np.int64))
        return float(self.blocks[self.block[i]][2][self.row[i]])

    def choose(self, i: int) -> None:
        """Pool row `i` (made) is chosen: every made row's highest similarity takes it in."""
        x, row = self.blocks[self.block[i]][0], self.row[i]
        lo, hi = x.indptr[row], x.indptr[row + 1]
        idx, val = x.indices[lo:hi], x.data[lo:hi]
        for _x, xt, best in self.blocks:
            np.maximum(best, _similarity_to(xt, idx, val), out=best)
        self.chosen.append((idx, val))


def _similarity_to(xt: Any, idx: np.ndarray, val: np.ndarray) -> np.ndarray:
    """Cosine similarity of the vector (`idx`, `val`) to every row of ``xt.T``."""
    return np.asarray(xt[idx].T @ val).ravel()


def _merge(
    streams: dict[str, Iterator[int]],
    rows: _PoolVectors,
    n: int,
    shares: dict[str, float] = SHARES,
) -> list[tuple[int, str]]:
    """Round-robin over the streams by their `shares`, skipping taken and near-identical
    texts."""
    quota = {k: max(1, round(n * s)) for k, s in shares.items()}
    chosen: list[tuple[int, str]] = []
    live = dict(streams)
    while len(chosen) < n and live:
        for name in list(live):
            if len(chosen) >= n:
                break
            if quota[name] <= 0 and any(quota[k] > 0 for k in live):
                continue
            i = next((j for j in live[name] if rows.closest(j) < NEAR_DUPLICATE), None)
            if i is None:
                del live[name]
                continue
            rows.choose(i)
            chosen.append((i, name))
            quota[name] -= 1
    return chosen


# ----------------------------------------------------------------------------- sheets
def write_sheet(
    picks: Sequence[Pick], out_dir: Path, stem: str | None = None, *, lang: str = "en"
) -> list[Path]:
    """Write the labelling sheet as CSV and XLSX (label column empty, to fill with
    negative/neutral/positive); returns both paths. In a `lang` ``zh`` sheet the headers
    (:data:`~brandhalo.text.sentiment.labels.SHEET_HEADERS_ZH`), predicted labels, reasons and
    the label drop-down are Chinese (负面/中性/正面); every reader of a sheet takes either."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = stem or "label-sheet-" + dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    frame = _sheet_frame(picks, lang)
    csv_path = out_dir / f"{stem}.csv"
    # with a BOM: Excel on Chinese Windows reads a BOM-less CSV as GBK and garbles the text
    frame.to_csv(csv_path, index=False, encoding="utf-8-sig")
    xlsx_path = out_dir / f"{stem}.xlsx"
    _write_xlsx(frame, xlsx_path, SHEET_LABEL_WORDS["zh" if lang == "zh" else "en"])
    return [csv_path, xlsx_path]


def _sheet_frame(picks: Sequence[Pick], lang: str) -> Any:
    """The sheet's rows (:data:`SHEET_COLUMNS`, label empty, and :data:`SHEET_RATING` after
    the label when a post has a rating: ``4.5``), in the words of `lang`."""
    import pandas as pd

    columns = list(SHEET_COLUMNS)
    if any(p.rating is not None for p in picks):
        columns.insert(columns.index("label") + 1, SHEET_RATING)
    rows = [{**asdict(p), "label": "", SHEET_RATING: _stars(p.rating)} for p in picks]
    frame = pd.DataFrame(rows, columns=columns)
    if lang != "zh":
        return frame
    for col, words in (("predicted", SHEET_WORDS_ZH), ("reason", SHEET_REASONS_ZH)):
        frame[col] = [words.get(v, v) for v in frame[col]]
    return frame.rename(columns=SHEET_HEADERS_ZH)


def _stars(rating: float | None) -> str:
    """A rating as the sheet shows it: ``4``, ``4.5``; empty when none."""
    return "" if rating is None else f"{rating:g}"


def _write_xlsx(frame: Any, path: Path, label_words: Sequence[str]) -> None:
    """The sheet as a workbook: a drop-down of `label_words` on the label column (the third),
    wide wrapped text column, the header row frozen."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "labels"
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append(list(row))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = {"A": 18, "B": 80, "C": 12, "D": 11, "E": 11, "F": 10}
    for col, width in widths.items():
        ws.column_dimensions[col].width = width
    for cell in ws["B"][1:]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    if len(frame):
        check = DataValidation(type="list", formula1=f'"{",".join(label_words)}"', allow_blank=True)
        ws.add_data_validation(check)
        check.add(f"C2:C{len(frame) + 1}")
    ws.freeze_panes = "A2"
    wb.save(path)


def read_sheet(path: Path) -> list[dict[str, str]]:
    """The labelled rows of a labelling sheet (CSV or XLSX): ``post_id``, ``text`` and the
    canonical ``label``, read as ``brandhalo label --read`` reads them
    (:func:`~brandhalo.text.sentiment.labels.read_label_sheet`: the column's scale, blank or
    skip rows left out, a later row of a post replacing an earlier one), but strict.

    Raises:
        InputError: the file is not a sheet, or holds labels that are not one (names every
            such row, so one pass over the sheet fixes them all).
    """
    from brandhalo.text.sentiment.labels import read_label_sheet, unknown_reason

    sheet = read_label_sheet(path)
    if sheet.unknown:
        (line, value), *rest = sheet.unknown
        also = ", ".join(f"line {n} ({v!r})" for n, v in rest[:9])
        also += f" and {len(rest) - 9:,} more" if len(rest) > 9 else ""
        raise InputError(
            f"Unknown sentiment label {value!r}{f' (also on {also})' if also else ''}: "
            f"{unknown_reason(sheet.scale)}.",
            file=str(path),
            line=line,
            column=sheet.column,
        )
    return sheet.rows


@dataclass(frozen=True)
class SheetRows:
    """A sheet's labelled rows checked against a workspace's posts.

    Attributes:
        rows: the rows to store, one per post (or text, for a row of no post).
        by_text: ids of rows that name no post of the workspace but hold a text of none of
            its posts (stored; they teach by their text); dropped: ids of rows that name no
            post and hold no text (nothing to learn from: left out).
        matched: ids (the text, for a row without one) of rows that name no post of the
            workspace but hold the text of one: stored as that post's label.
        excel_matched, excel_by_text: ids Excel rounded (``7.30096E+18``) of rows matched to
            a post by their text, and of rows whose text is no post's (stored by text).
        repeated: rows replaced by a later row of the same post (found by id or text);
            conflicts: those of them with another label (the later row wins).
    """

    rows: list[dict[str, str]]
    by_text: list[str]
    dropped: list[str]
    matched: list[str] = field(default_factory=list)
    excel_matched: list[str] = field(default_factory=list)
    excel_by_text: list[str] = field(default_factory=list)
    repeated: int = 0
    conflicts: int = 0


def check_sheet_posts(ws: Workspace, rows: Sequence[dict[str, str]], file: str) -> SheetRows:
    """Which of a sheet's rows name posts of this workspace (a sheet of another workspace
    names none of them): by their id, else by their text (a row without an id, or whose id
    Excel rounded or is no post's, holding the text of a post is that post's label, so a post
    labelled by id on one sheet and by text on another keeps one label); one row per post,
    the later row of a post winning (:attr:`SheetRows.conflicts` counts those that disagree).

    Raises:
        InputError: no row can be used: every row names a post that is not in the workspace
            and holds no text.
    """
    from brandhalo.store.posts import rows_by_id
    from brandhalo.store.sentiment import post_ids_by_text

    ids = sorted({r["post_id"] for r in rows if r.get("post_id")})
    found = {str(r["post_id"]) for r in rows_by_id(ws.store.con, ids)}
    texts = sorted(
        {
            (r.get("text") or "").strip()
            for r in rows
            if (r.get("post_id") or "") not in found and (r.get("text") or "").strip()
        }
    )
    post_of = post_ids_by_text(ws.store.con, texts)
    keep: dict[str, dict[str, str]] = {}
    by_text: list[str] = []
    dropped: list[str] = []
    matched: list[str] = []
    excel_matched: list[str] = []
    excel_by_text: list[str] = []
    repeated = conflicts = 0
    for r in rows:
        pid, text = r.get("post_id") or "", (r.get("text") or "").strip()
        excel = r.get("excel_id")
        row = {k: v for k, v in r.items() if k != "excel_id"}
        if pid and pid in found:
            key = pid
        elif text in post_of:  # the workspace's post with this text
            key = row["post_id"] = post_of[text]
            (excel_matched if excel else matched).append(excel or pid or text)
        elif pid and not text:
            dropped.append(pid)
            continue
        else:
            key = pid or f"text:{text}"
            if excel:
                excel_by_text.append(excel)
            elif pid:
                by_text.append(pid)
        earlier = keep.pop(key, None)  # the later row of a post wins, in the order of the sheet
        if earlier is not None:
            repeated += 1
            conflicts += earlier["label"] != row["label"]
        keep[key] = row
    if dropped and not keep:
        raise InputError(
            f"None of the {len(dropped):,} labelled rows names a post of this workspace (e.g. "
            f"{', '.join(repr(d) for d in dropped[:3])}) and the sheet has no text to learn "
            "from: is it a sheet of another workspace? Read it there (--project), or add a "
            "text column.",
            file=file,
        )
    return SheetRows(
        list(keep.values()),
        by_text,
        dropped,
        matched,
        excel_matched,
        excel_by_text,
        repeated,
        conflicts,
    )


def label_changes(ws: Workspace, rows: Sequence[dict[str, str]]) -> list[tuple[str, str, str]]:
    """(post id or text, label stored, new label) of each row that gives its post (or text)
    another label than the one stored: storing `rows` replaces it (the later read wins)."""
    import pyarrow as pa

    from brandhalo.store.sentiment import changed_labels

    if not rows:
        return []
    table = pa.table(
        {
            "post_id": pa.array([r.get("post_id") or None for r in rows], pa.string()),
            "text": pa.array([r.get("text") or None for r in rows], pa.string()),
            "label": pa.array([r["label"] for r in rows], pa.string()),
        }
    )
    return changed_labels(ws.store.con, table)


def store_labels(ws: Workspace, rows: Sequence[dict[str, str]]) -> int:
    """Store overall-sentiment labels in the workspace as ``label --read`` and ``ingest
    labels`` do (:func:`~brandhalo.text.sentiment.workspace_model.store_sheet_labels`): a
    post's new label replaces its old one and is stamped with the time it was given.

    Each row has ``label`` and a ``post_id`` or a ``text``. Returns the rows stored.
    """
    from brandhalo.text.sentiment.workspace_model import store_sheet_labels

    return store_sheet_labels(ws, rows)[0]


# ----------------------------------------------------------------------------- workspace
def workspace_label_skew(ws: Workspace) -> dict[str, Any] | None:
    """:func:`label_skew` of the overall labels stored in the workspace (None: no labels, or
    no class holds most of them)."""
    from brandhalo.text.sentiment.workspace_model import workspace_labels

    try:
        labels = workspace_labels(ws).labels
    except InputError:
        return None
    return _skew_of(labels)


def _skew_of(labels: np.ndarray) -> dict[str, Any] | None:
    values, counts = np.unique(np.asarray(labels, dtype=np.int64), return_counts=True)
    return label_skew({LABEL_NAMES[int(v)]: int(c) for v, c in zip(values, counts, strict=True)})


def workspace_candidates(
    ws: Workspace, n: int, *, seed: int = 0, balance: bool = False
) -> list[Pick]:
    """Posts of a workspace worth labelling, scored by the workspace's sentiment engine (the
    sentiment ``analyze`` stored for a post is taken where that engine wrote it).

    With `balance`, labels stored mostly of one class (:func:`workspace_label_skew`) turn the
    likely-negative stream into posts likely of the other classes (``lean`` of
    :func:`select_for_labelling`); without labels, or with balanced ones, the picks are the
    same."""
    from brandhalo.store.posts import unlabelled_scored
    from brandhalo.text.enrich import config_hashes
    from brandhalo.text.sentiment.workspace_model import (
        row_keys,
        stored_engine_name,
        workspace_labels,
    )

    engine = workspace_engine(ws)
    # A large stream is sampled before scoring: stored negatives first, then a stable
    # pseudo-random order (hash of the id), POOL_CAP posts at most.
    sample = unlabelled_scored(
        ws.store.con,
        POOL_CAP,
        stored_engine_name(engine),
        config_hashes(ws.config)[0],
        _model_written(engine),
    )
    if not sample.post_ids:
        raise InputError(
            "This workspace has no unlabelled posts; ingest posts first "
            "(`brandhalo ingest posts FILE`)."
        )
    sample = engine_reads(sample, getattr(engine, "languages", None))
    if not sample.post_ids:
        raise InputError(
            "No unlabelled post of this workspace is in a language its sentiment engine reads "
            f"({', '.join(sorted(engine.languages))}); ingest such posts, or choose an engine "
            "that reads them ([sentiment] engine)."
        )
    lean: list[str] = []
    try:
        given = workspace_labels(ws)
        labelled = row_keys(given.texts)
        skew = _skew_of(given.labels) if balance else None
        lean = list(skew["label_more"]) if skew else []
    except InputError:
        labelled = []
    result = sample_sentiment(engine, sample)
    picks = select_for_labelling(
        sample.post_ids, sample.texts, result, n, exclude=labelled, seed=seed, lean=lean
    )
    return with_ratings(ws, picks)


def with_ratings(ws: Workspace, picks: list[Pick]) -> list[Pick]:
    """`picks` with the star rating stored with each post (None where it has none)."""
    from dataclasses import replace

    from brandhalo.store.posts import ratings_of

    ratings = ratings_of(ws.store.con, [p.post_id for p in picks])
    if not ratings:
        return picks
    return [replace(p, rating=ratings.get(p.post_id)) for p in picks]


def engine_reads(sample: ScoredSample, languages: Any) -> ScoredSample:
    """The posts of `sample` in a language the engine reads (`languages`: its
    ``SentimentEngine.languages``, None for any). A post ``analyze`` found in another
    language is kept neutral by the engine, whatever its label says, so labelling it is
    wasted (the annotator can only call it irrelevant); a post not analyzed yet (no stored
    language) is kept."""
    from dataclasses import replace

    if languages is None:
        return sample
    keep = (sample.lang == "") | np.isin(sample.lang, sorted(languages))
    if keep.all():
        return sample
    idx = np.flatnonzero(keep)
    rows = idx.tolist()
    return replace(
        sample,
        post_ids=[sample.post_ids[i] for i in rows],
        texts=[sample.texts[i] for i in rows],
        labels=sample.labels[idx],
        scores=sample.scores[idx],
        confidence=sample.confidence[idx],
        lang=sample.lang[idx],
        stored=sample.stored[idx],
    )


#: Engines whose score of a text depends on that text alone, bit for bit: the sentiment
#: ``analyze`` stored for a post is what scoring it again gives. (A transformer pads a batch,
#: which moves its scores in the last bits: its posts are scored again.)
STORED_ENGINES = frozenset({"lexicon", "linear", "hybrid"})


def sample_sentiment(engine: Any, sample: ScoredSample) -> SentimentResult:
    """`engine`'s sentiment of the sample's texts: the stored one where `engine` wrote it
    (:attr:`~brandhalo.store.posts.ScoredSample.stored`, a language it reads), the rest
    scored now. Labels, scores and confidence are those of ``engine.score(texts)``, bit for
    bit (stored values are in range: nothing to clip); no evidence."""
    from brandhalo.text.sentiment._base import SentimentResult

    reuse = sample.stored & (getattr(engine, "name", "") in STORED_ENGINES)
    languages = getattr(engine, "languages", None)
    if languages is not None:  # a post it does not read was stored neutral, not scored
        reuse &= np.isin(sample.lang, sorted(languages))
    todo = np.flatnonzero(~reuse)
    if todo.size == len(sample.texts):
        return engine.score(sample.texts)  # type: ignore[no-any-return]
    labels, scores = sample.labels.copy(), sample.scores.copy()
    confidence = sample.confidence.copy()
    if todo.size:
        part = engine.score([sample.texts[i] for i in todo.tolist()])
        labels[todo], scores[todo], confidence[todo] = part.labels, part.scores, part.confidence
    return SentimentResult(labels=labels, scores=scores, confidence=confidence)


def _model_written(engine: Any) -> dt.datetime:
    """When the engine's model file was last written (naive UTC): a score stored before it is
    of another model, even under the same file name. The earliest time for an engine without
    a model file; the latest for a file that cannot be read (no score is taken then)."""
    path = getattr(engine, "model_path", None)
    if not path:
        return dt.datetime.min
    try:
        stamp = Path(path).stat().st_mtime
    except OSError:
        return dt.datetime.max
    return dt.datetime.fromtimestamp(stamp, dt.UTC).replace(tzinfo=None)


def workspace_engine(ws: Workspace) -> Any:
    """The sentiment engine the workspace's config asks for (model path taken from it)."""
    from brandhalo.text.sentiment.workspace_model import engine_for

    return engine_for(ws.config.sentiment, ws.root, ws.config)
