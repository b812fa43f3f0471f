"""The labelling queue's fast path picks what the plain one picked (issue 14, task P5).

`workspace_candidates` takes the sentiment ``analyze`` stored per post where the workspace's
engine wrote it, and makes n-gram vectors only for the posts its streams reach. The picks
must be those of the plain path kept here as the reference (every post scored again, every
pool text vectorised, one similarity per pick over the whole pool): same posts, same order,
same reasons and confidence.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from domain_helpers import domain_rows
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.errors import InputError
from brandhalo.store.posts import unlabelled_sample, unlabelled_scored
from brandhalo.text.enrich import config_hashes
from brandhalo.text.sentiment import active
from brandhalo.text.sentiment._base import SentimentResult
from brandhalo.text.sentiment.active import (
    DIVERSE_CAP,
    LABEL_NAMES,
    MIN_CHARS,
    NEAR_DUPLICATE,
    POOL_CAP,
    SHARES,
    Pick,
    sample_sentiment,
    select_for_labelling,
    vectors,
    workspace_candidates,
    workspace_engine,
)
from brandhalo.text.sentiment.linear import LinearModel, load_model
from brandhalo.text.sentiment.workspace_model import row_keys, stored_engine_name, workspace_labels
from brandhalo.workspace import Workspace, init_workspace

runner = CliRunner()


# ----------------------------------------------------------------------------- the reference
def _ref_select(
    post_ids: list[str],
    texts: list[str],
    result: SentimentResult,
    n: int,
    exclude: list[str],
    seed: int,
) -> list[Pick]:
    """select_for_labelling as it was: the whole pool vectorised, draws made as streamed."""
    rng = np.random.default_rng(seed)
    pool = _ref_pool(texts, result, set(exclude), rng)
    if n <= 0 or pool.size == 0:
        return []
    x = vectors([texts[i] for i in pool])
    conf = result.confidence[pool]
    unsure = np.argsort(conf, kind="stable")[: (pool.size + 1) // 2]
    labels, scores = result.labels[pool], result.scores[pool]
    neg = np.lexsort((scores, (labels != -1).astype(np.int8)))
    neg = neg[(labels[neg] == -1) | (scores[neg] < 0)]
    streams = {
        "uncertain": iter(unsure.tolist()),
        "negative": iter(neg.tolist()),
        "diverse": _ref_farthest(x, rng),
    }
    chosen = _ref_merge(streams, x, n)
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


def _ref_pool(
    texts: list[str], result: SentimentResult, exclude: set[str], rng: np.random.Generator
) -> np.ndarray:
    seen = set(exclude)
    keep = []
    for i, (t, k) in enumerate(zip(texts, row_keys(texts), strict=True)):
        if k in seen or len(t.strip()) < MIN_CHARS:
            continue
        seen.add(k)
        keep.append(i)
    idx = np.asarray(keep, dtype=np.int64)
    if idx.size > POOL_CAP:
        neg = idx[result.labels[idx] == -1]
        rest = rng.permutation(idx[result.labels[idx] != -1])
        idx = np.sort(np.concatenate([neg[:POOL_CAP], rest])[:POOL_CAP])
    return idx


def _ref_similarity(x: Any, xt: Any, i: int) -> np.ndarray:
    lo, hi = x.indptr[i], x.indptr[i + 1]
    return np.asarray(xt[x.indices[lo:hi]].T @ x.data[lo:hi]).ravel()


def _ref_farthest(x: Any, rng: np.random.Generator) -> Iterator[int]:
    sub = rng.permutation(x.shape[0])[: active.DIVERSE_CAP]
    xs = x[sub]
    xst = xs.T.tocsr()
    first = int(rng.integers(len(sub)))
    dist = 1.0 - _ref_similarity(xs, xst, first)
    yield int(sub[first])
    for _ in range(len(sub) - 1):
        j = int(np.argmax(dist))
        if dist[j] <= 0:
            return
        yield int(sub[j])
        dist = np.minimum(dist, 1.0 - _ref_similarity(xs, xst, j))


def _ref_merge(streams: dict[str, Iterator[int]], x: Any, n: int) -> list[tuple[int, str]]:
    quota = {k: max(1, round(n * s)) for k, s in SHARES.items()}
    chosen: list[tuple[int, str]] = []
    closest = np.zeros(x.shape[0])
    xt = x.T.tocsr()
    live = dict(streams)
    while len(chosen) < n and live:
        for name in list(live):
            if len(chosen) >= n:
                break
            if quota[name] <= 0 and any(quota[k] > 0 for k in live):
                continue
            i = next((j for j in live[name] if closest[j] < NEAR_DUPLICATE), None)
            if i is None:
                del live[name]
                continue
            closest = np.maximum(closest, _ref_similarity(x, xt, i))
            chosen.append((i, name))
            quota[name] -= 1
    return chosen


def _ref_candidates(ws: Workspace, n: int, seed: int) -> list[Pick]:
    """workspace_candidates as it was: every sampled post scored again by the engine (of
    the posts in a language the engine reads, or not analyzed yet)."""
    frame = unlabelled_sample(ws.store.con, POOL_CAP)
    engine, sample = _sample(ws)
    if engine.languages is not None:
        reads = [lang == "" or lang in engine.languages for lang in sample.lang.tolist()]
        frame = frame[reads].reset_index(drop=True)
    try:
        labelled = row_keys(workspace_labels(ws).texts)
    except InputError:
        labelled = []
    texts = frame["text"].astype(str).tolist()
    result = workspace_engine(ws).score(texts)
    ids = frame["post_id"].astype(str).tolist()
    return _ref_select(ids, texts, result, n, labelled, seed)


# ----------------------------------------------------------------------------- select
TRICKY = [
    "",
    "   ",
    "好",
    "🚗🚗🚗🚗",
    "🚗🚗🚗🚗",  # an exact copy
    "ＳＵ７ Ｕｌｔｒａ 真的很好开",
    "su7 ultra 真的很好开",  # the same row key (width, case)
    "小米SU7 is 🔥🔥 but 续航打五折 tbh",
    "e\u0301te\u0301 cafe\u0301 ça va",  # combining accents
    "\u200b\u200b零宽\u200b字符\u200b也算",
    "Ελληνικά ΣΟΦΟΣ τέλος",
    "ｱｲｳｴｵ 半角カナ テスト",
    "x" * 3,
    "长" * 3000 + "文",  # a very long text
    "长" * 3000 + "字",  # another, the same but for its end
    "刹车失灵，太危险了" * 40,
]


def _tricky_stream(m: int, seed: int) -> tuple[list[str], list[str], SentimentResult]:
    """Domain posts with tricky texts and planted near-duplicate runs, planted sentiment (ties
    in confidence, a few negatives, scores that lean negative)."""
    rng = np.random.default_rng(seed)
    texts = [t for t, _ in domain_rows(m, seed=seed)]
    texts[5:5] = TRICKY
    # two runs of near-identical texts, the least sure posts: the uncertain stream takes the
    # first of each and skips the rest, past the rows it made vectors for at first
    texts += [texts[0] + "！" * k for k in range(1, 120)]
    texts += [texts[1] + "？" * k for k in range(1, 30)]
    k = len(texts)
    labels = rng.choice([-1, 0, 1], size=k, p=[0.05, 0.5, 0.45])
    scores = np.round(rng.uniform(-1, 1, size=k), 2)
    confidence = np.round(rng.uniform(0.3, 1.0, size=k), 1)  # many ties
    confidence[-148:-29], confidence[-29:] = 0.05, 0.06
    return [f"p{i}" for i in range(k)], texts, SentimentResult.build(labels, scores, confidence)


@pytest.mark.parametrize("n", [1, 3, 10, 64, 150, 500])
@pytest.mark.parametrize("seed", [0, 5])
def test_picks_are_those_of_the_plain_path(n: int, seed: int) -> None:
    ids, texts, result = _tricky_stream(400, seed)
    exclude = row_keys(texts[20:25])
    got = select_for_labelling(ids, texts, result, n, exclude=exclude, seed=seed)
    assert got == _ref_select(ids, texts, result, n, exclude, seed)
    assert got  # the test picks something


@pytest.mark.parametrize("cap", [1, 7, 60])
def test_picks_are_those_of_the_plain_path_with_a_small_diverse_cap(
    monkeypatch: pytest.MonkeyPatch, cap: int
) -> None:
    """A pool larger than the diverse subsample: the stream reaches rows outside it."""
    monkeypatch.setattr(active, "DIVERSE_CAP", cap)
    ids, texts, result = _tricky_stream(300, 2)
    for n in (5, 40, 200):
        assert select_for_labelling(ids, texts, result, n, seed=9) == _ref_select(
            ids, texts, result, n, [], 9
        )


def test_every_text_excluded_or_too_short_picks_nothing() -> None:
    ids, texts = ["a", "b", "c"], ["", "好", "很好很好"]
    result = SentimentResult.build([0, 1, -1], [0.0, 0.5, -0.5], [0.5, 0.5, 0.5])
    assert select_for_labelling(ids, texts, result, 5, exclude=row_keys(["很好很好"])) == []
    assert select_for_labelling(ids, texts, result, 0) == []


def test_the_diverse_cap_is_still_the_module_constant() -> None:
    assert DIVERSE_CAP == 5_000  # the reference reads it from the module, as the code does


# ----------------------------------------------------------------------------- workspace
def _posts(root: Path, rows: list[str], start: int) -> None:
    path = root.parent / f"posts{start}.csv"
    pd.DataFrame(
        {
            "post_id": [f"p{start + i}" for i in range(len(rows))],
            "text": rows,
            "created_at": [f"2026-03-{1 + i % 20:02d} 10:00:00" for i in range(len(rows))],
        }
    ).to_csv(path, index=False)
    res = runner.invoke(app, ["ingest", "posts", str(path), "-p", str(root)])
    assert res.exit_code == 0, res.output


ENGLISH = [
    "The SU7 is awesome, best car I ever drove",
    "Terrible service, the brakes failed twice",
    "Delivery date announced for next month",
    "I hate how loud the cabin is at speed",
    "Honestly not bad for the price",
]


def _workspace(root: Path, sentiment: str = 'engine = "lexicon"') -> None:
    """A workspace of domain posts (Chinese), English posts and tricky texts, analyzed, with a
    few labels; `sentiment`: lines that replace ``engine = "lexicon"`` of ``[sentiment]``."""
    init_workspace(root).close()
    toml = root / "brandhalo.toml"
    text = toml.read_text(encoding="utf-8")
    assert '\nengine = "lexicon"\n' in text
    toml.write_text(text.replace('\nengine = "lexicon"\n', f"\n{sentiment}\n"), encoding="utf-8")
    texts = [t for t, _ in domain_rows(300, seed=4)] + ENGLISH * 3 + TRICKY
    _posts(root, texts, 0)
    labels = root.parent / "labels.csv"
    pd.DataFrame({"post_id": ["p1", "p2", "p3"], "label": ["pos", "neu", "neg"]}).to_csv(
        labels, index=False
    )
    assert runner.invoke(app, ["ingest", "labels", str(labels), "-p", str(root)]).exit_code == 0
    res = runner.invoke(app, ["analyze", "-p", str(root)])
    assert res.exit_code == 0, res.output


def _sample(ws: Workspace) -> Any:
    engine = workspace_engine(ws)
    core = config_hashes(ws.config)[0]
    return engine, unlabelled_scored(
        ws.store.con, POOL_CAP, stored_engine_name(engine), core, active._model_written(engine)
    )


def _assert_same_as_scoring_again(ws: Workspace) -> Any:
    """The fast path's sentiment is the engine's, bit for bit; its picks the reference's."""
    engine, sample = _sample(ws)
    frame = unlabelled_sample(ws.store.con, POOL_CAP)
    assert sample.post_ids == frame["post_id"].tolist()
    assert sample.texts == frame["text"].tolist()
    got, want = sample_sentiment(engine, sample), engine.score(sample.texts)
    assert got.labels.tolist() == want.labels.tolist()
    assert got.scores.tobytes() == want.scores.tobytes()
    assert got.confidence.tobytes() == want.confidence.tobytes()
    for n, seed in ((1, 0), (12, 0), (60, 3), (400, 1)):
        picks = workspace_candidates(ws, n, seed=seed)
        assert [asdict(p) for p in picks] == [asdict(p) for p in _ref_candidates(ws, n, seed)]
    return sample


def test_stored_sentiment_is_taken_and_picks_are_unchanged(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    _workspace(root)
    with Workspace.open(root) as ws:
        sample = _assert_same_as_scoring_again(ws)
        assert sample.stored.all()  # every post analyzed by this engine: nothing scored again
        # posts ingested after analyze have no stored sentiment: scored now
        _posts(root, ["这车刹车失灵太吓人了", "Great car, love it so much", *ENGLISH[:2]], 900)
    with Workspace.open(root) as ws:
        sample = _assert_same_as_scoring_again(ws)
        assert 0 < (~sample.stored).sum() <= 4


def test_a_config_changed_since_analyze_scores_again(tmp_path: Path) -> None:
    """A tracked name added after analyze is shielded from the lexicon now: the stored scores
    of its posts are stale."""
    root = tmp_path / "ws"
    _workspace(root)
    with (root / "brandhalo.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[[brands]]\nname = "杀疯"\naliases = ["杀疯了", "杀疯", "暴力"]\n')
    with Workspace.open(root) as ws:
        engine, sample = _sample(ws)
        stored = unlabelled_scored(
            ws.store.con, POOL_CAP, stored_engine_name(engine), "", active._model_written(engine)
        )
        # the stale stored scores differ from the engine's now (else the test shows nothing)
        assert stored.scores.tobytes() != engine.score(sample.texts).scores.tobytes()
        _assert_same_as_scoring_again(ws)
        assert not sample.stored.any()


def test_posts_in_a_language_the_engine_does_not_read_are_not_offered(tmp_path: Path) -> None:
    """analyze stores them neutral (confidence 0.1) without scoring them, whatever their
    label: the queue leaves them out (labelling them is wasted), and picks the rest as before."""
    root = tmp_path / "ws"
    _workspace(root, 'engine = "lexicon"\nlanguages = ["zh"]')
    with Workspace.open(root) as ws:
        sample = _assert_same_as_scoring_again(ws)
        assert sample.stored.all()
        unread = sample.lang != "zh"
        assert unread.any() and (sample.confidence[unread] == 0.1).all()
        unread_ids = {sample.post_ids[i] for i in np.flatnonzero(unread).tolist()}
        picks = workspace_candidates(ws, 400)
        assert picks and not unread_ids & {p.post_id for p in picks}


def test_a_model_file_written_again_after_analyze_scores_again(
    tmp_path: Path, tiny_linear_model: Path
) -> None:
    """The same model path (so the same stored engine name) holding another model."""
    root = tmp_path / "ws"
    (root / "models").mkdir(parents=True)
    model = load_model(str(tiny_linear_model))
    model.save(root / "models" / "mine.npz")
    _workspace(root, 'engine = "hybrid"\nmodel_path = "models/mine.npz"')
    with Workspace.open(root) as ws:
        assert workspace_engine(ws).name == "hybrid"
        sample = _assert_same_as_scoring_again(ws)
        assert sample.stored.all()
        assert ws.store.query("SELECT DISTINCT engine FROM enriched")["engine"].tolist() == [
            "hybrid@mine"
        ]
    flipped = LinearModel(
        coef=-model.coef, intercept=model.intercept, classes=model.classes,
        n_features=model.n_features, meta=model.meta,
    )  # fmt: skip
    flipped.save(root / "models" / "mine.npz")
    with Workspace.open(root) as ws:
        sample = _assert_same_as_scoring_again(ws)
        assert not sample.stored.any()


def test_an_engine_that_pads_batches_is_always_scored_again(tmp_path: Path) -> None:
    """Only engines that score a text on its own take the stored sentiment."""
    root = tmp_path / "ws"
    _workspace(root)
    with Workspace.open(root) as ws:
        engine, sample = _sample(ws)
        engine.name = "transformers"  # this instance only: as a padding engine would be named
        calls: list[int] = []
        score = engine.score

        def counted(texts: list[str]) -> SentimentResult:
            calls.append(len(texts))
            return score(texts)

        engine.score = counted
        sample_sentiment(engine, sample)
        assert calls == [len(sample.texts)]
