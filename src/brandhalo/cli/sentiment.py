"""Sentiment commands: `label` (choose posts to label), `train` (teach the model your domain)
and `eval` (score an engine on labels)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from brandhalo.cli import app
from brandhalo.cli._common import (
    JsonOpt,
    ProjectOpt,
    check_table_out,
    console,
    emit,
    err_console,
    print_frame,
)

if TYPE_CHECKING:
    from brandhalo.workspace import Workspace

LabelsOpt = Annotated[
    Path | None,
    typer.Option(
        "--labels",
        help="Labelled file: CSV, TSV, JSONL, Parquet or XLSX (default: the workspace's labels).",
    ),
]
TextColOpt = Annotated[str, typer.Option("--text-col", help="Column holding the text.")]
LabelColOpt = Annotated[
    str,
    typer.Option(
        "--label-col", help="Column holding the label (-1/0/1, 0/1, neg/neu/pos, 负面/中性/正面)."
    ),
]
ScaleOpt = Annotated[
    str | None,
    typer.Option(
        "--scale",
        help="The scale of the label column's numbers: -1/0/1 (0 neutral), 0/1 (0 negative) or "
        "1/2/3 (2 neutral). Default: told from the column (-1/0/1 when it holds -1, 1/2/3 when "
        "it holds 2 or 3, 0/1 when only 0 and 1 except on `label --read`, which asks); a "
        "column it cannot tell stops with an error that asks for this option.",
    ),
]


@app.command()
def label(
    n: Annotated[int, typer.Option("-n", "--n", min=1, help="Posts to put on the sheet.")] = 300,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for the sheet; default PROJECT/labels."),
    ] = None,
    read: Annotated[
        Path | None,
        typer.Option("--read", help="Store the labels of a filled sheet (CSV or XLSX) instead."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the sampling.")] = 0,
    scale: ScaleOpt = None,
    project: ProjectOpt = Path("."),
    as_json: JsonOpt = False,
) -> None:
    """Pick posts worth labelling (uncertain, likely negative, diverse) into a CSV/XLSX sheet.

    Fill the label column with negative/neutral/positive (a zh workspace's sheet
    has Chinese headers: fill 标签 with 负面/中性/正面), then load it with
    `brandhalo label --read SHEET` (or `brandhalo ingest labels SHEET.csv`) and
    run `brandhalo train`.
    """
    from brandhalo.text.sentiment.active import (
        workspace_candidates,
        workspace_label_skew,
        write_sheet,
    )
    from brandhalo.text.sentiment.labels import SHEET_LABEL_WORDS, sheet_header
    from brandhalo.workspace import Workspace

    with Workspace.open(project) as ws:
        if read is not None:
            flag = project_flag(project)
            emit(_read_sheet(ws, read, scale), as_json, lambda r: _print_read(r, flag))
            return
        lang = ws.config.workspace.language
        # labels mostly of one class: the sheet leans toward the others (as train advises)
        skew = workspace_label_skew(ws)
        picks = workspace_candidates(ws, n, seed=seed, balance=True)
        # a zh workspace's sheet has Chinese headers and words (ID, 正文, 标签: 负面/中性/正面)
        paths = write_sheet(picks, out if out is not None else ws.path("labels"), lang=lang)
        stars = rating_check(ws)
    reasons: dict[str, int] = {}
    for p in picks:
        reasons[p.reason] = reasons.get(p.reason, 0) + 1
    summary: dict[str, Any] = {
        "rows": len(picks), "asked": n, "by_reason": reasons, "files": [str(p) for p in paths],
        "label_column": sheet_header("label", lang), "label_words": list(SHEET_LABEL_WORDS[lang]),
        "skew": skew, "rated": sum(p.rating is not None for p in picks), "ratings": stars,
    }  # fmt: skip
    emit(summary, as_json, lambda r: _print_label(r, project_flag(project)))


def rating_check(ws: Workspace) -> dict[str, int] | None:
    """Rated posts whose stored sentiment contradicts their stars (1-2 star ones labelled
    positive, 4-5 star ones negative), as counts; None when no analyzed post has a rating
    on a 5-star scale."""
    from dataclasses import asdict

    from brandhalo.store.posts import rating_disagreement

    found = rating_disagreement(ws.store.con)
    return None if found is None else asdict(found)


def project_flag(project: Path) -> str:
    """`` -p PROJECT`` (quoted for the shell) for the next command a message names, or ""
    when the workspace is the current folder (the command then needs no --project)."""
    import shlex

    if project.resolve() == Path.cwd().resolve():
        return ""
    return f" -p {shlex.quote(str(project))}"


def _print_label(s: dict[str, Any], flag: str = "") -> None:
    from rich.markup import escape

    from brandhalo.text.sentiment.active import MIN_CHARS

    flag = escape(flag)
    console.print(
        f"Picked {s['rows']:,} posts to label ({', '.join(f'{k} {v}' for k, v in s['by_reason'].items())}):"
    )
    for f in s["files"]:
        console.print(f"  {f}")
    skew = s.get("skew")
    if skew:
        console.print(
            f"{skew['share']:.0%} of your labels are {skew['class']}: this sheet leans toward "
            f"{' and '.join(skew['label_more'])} posts ({s['by_reason'].get('rare-class', 0):,} "
            "rare-class rows in place of likely negatives).",
            highlight=False,
        )
    if s["rows"] < s["asked"]:
        console.print(
            f"(asked for {s['asked']:,}: the other posts are labelled already, shorter than "
            f"{MIN_CHARS} characters, or near-copies of a picked one, which teach nothing new)"
        )
    if s.get("rated"):
        console.print(
            f"{s['rated']:,} of them are rated reviews: the rating column shows their stars "
            "(a hint, not the label: a 5-star review can still complain).",
            highlight=False,
        )
    _print_ratings(s.get("ratings"))
    column, words = escape(s["label_column"]), " / ".join(s["label_words"])
    console.print(
        f"Fill the {column} column ({words}; leave unsure rows empty), then "
        f"`brandhalo label{flag} --read SHEET` and `brandhalo train{flag}`.",
        highlight=False,
    )


def _print_ratings(r: dict[str, int] | None) -> None:
    """Where the analyzed sentiment contradicts the stars of rated reviews."""
    if not r or not (r["low"] or r["high"]):
        return
    parts = []
    if r["low"]:
        parts.append(f"1-2 star reviews labelled positive: {r['low_positive']:,} of {r['low']:,}")
    if r["high"]:
        parts.append(f"4-5 star reviews labelled negative: {r['high_negative']:,} of {r['high']:,}")
    console.print(f"Stars vs the analyzed sentiment: {'; '.join(parts)}.", highlight=False)
    if r["low_positive"] or r["high_negative"]:
        console.print(
            "  (if these are many, the engine misreads your reviews: label such posts and "
            "run `brandhalo train`)",
            highlight=False,
        )


def _read_sheet(ws: Workspace, path: Path, scale: str | None = None) -> dict[str, Any]:
    """Store a filled sheet's labels (`label --read`): rows whose label is not one are
    reported one by one and left out, the rest stored, each replacing its post's old label
    (a row without a usable id is matched to its post by its text)."""
    from brandhalo.text.sentiment.active import check_sheet_posts, label_changes
    from brandhalo.text.sentiment.labels import (
        SCALE_WORDS,
        check_scale,
        left_out_rows,
        read_label_sheet,
    )
    from brandhalo.text.sentiment.workspace_model import store_sheet_labels

    read = read_label_sheet(path, label_aliases(), file_encoding(path), check_scale(scale))
    sheet = check_sheet_posts(ws, read.rows, str(path)) if read.rows else None
    changed = label_changes(ws, sheet.rows) if sheet else []
    stored, replaced = store_sheet_labels(ws, sheet.rows) if sheet else (0, 0)
    excel = [v for _, v in read.excel_ids]
    return {
        "file": str(path),
        "stored": stored,
        "replaced": replaced + read.repeated + (sheet.repeated if sheet else 0),
        "left_blank": read.left_blank,
        "aspect_left_out": read.aspect,
        "scale": read.scale,
        "scale_words": SCALE_WORDS[read.scale] if read.numbers else None,
        "unknown": left_out_rows(read),
        "not_in_workspace": {
            "kept_by_text": sheet.by_text if sheet else [],
            "left_out": sheet.dropped if sheet else [],
        },
        "matched_by_text": sheet.matched if sheet else [],
        "excel_ids": {
            "rows": len(excel),
            "matched_by_text": sheet.excel_matched if sheet else [],
            "stored_by_text": sheet.excel_by_text if sheet else [],
            "examples": excel[:3],
        },
        "conflicts": {
            "in_sheet": read.conflicts + (sheet.conflicts if sheet else 0),
            "with_stored": [{"post": k, "was": a, "now": b} for k, a, b in changed],
        },
    }


def label_aliases() -> dict[str, tuple[str, ...]]:
    """The other headers `ingest labels` accepts for each sheet column (``sentiment``, ``标签``
    for label, ``id`` for post_id, ``content`` for text): `label --read` accepts the same."""
    from brandhalo.ingest.schemas import KINDS
    from brandhalo.text.sentiment.labels import SHEET_FIELDS

    return {c.name: c.aliases for c in KINDS["labels"].columns if c.name in SHEET_FIELDS}


#: Suffixes of labelled files that are not text (no encoding to tell).
BINARY_SUFFIXES = (".xlsx", ".xlsm", ".parquet", ".pq")


def file_encoding(path: Path) -> str | None:
    """The encoding of a labelled text file (CSV, TSV, JSON lines), told from its bytes as
    `brandhalo ingest` tells it: UTF-8, cp1252 for a sheet Excel saved on Western Windows,
    GB18030 on Chinese Windows; a note on stderr names a guess. None for a workbook or
    Parquet file, or bytes it cannot tell (the reader then tries UTF-8, then GB18030, and
    says what to do when neither reads)."""
    from brandhalo.errors import InputError
    from brandhalo.ingest.readers import detect_encoding, encoding_name

    if not path.is_file() or path.suffix.lower() in BINARY_SUFFIXES:
        return None
    try:
        encoding = detect_encoding(path)
    except InputError:
        return None
    if encoding != "utf-8":
        err_console.print(
            f"[yellow]Note:[/yellow] {path} was read as {encoding_name(encoding)}, a guess: it "
            "is not UTF-8. If its text looks wrong, save it as UTF-8 CSV or as XLSX.",
            highlight=False,
        )
    return encoding


#: Lines of a file named one by one when several rows are left out for one label.
LINES_SHOWN = 5


def print_left_out(file: str, rows: list[dict[str, Any]]) -> None:
    """One line per label of a labelled file left out as not a label (`rows`: ``line``,
    ``column``, ``value``, ``reason``): its file lines (the first :data:`LINES_SHOWN`, then
    how many more), so 143 rows labelled 'irrelevant' are one line, not 143."""
    from rich.markup import escape

    groups: dict[tuple[str, str, str], list[int]] = {}
    for u in rows:
        key = (str(u["column"]), str(u["value"]), str(u["reason"]))
        groups.setdefault(key, []).append(int(u["line"]))
    for (column, value, reason), lines in groups.items():
        shown = ", ".join(map(str, lines[:LINES_SHOWN]))
        more = f" and {len(lines) - LINES_SHOWN:,} more" if len(lines) > LINES_SHOWN else ""
        where = f"line {shown}" if len(lines) == 1 else f"lines {shown}{more} ({len(lines):,} rows)"
        err_console.print(
            f"[yellow]Left out:[/yellow] {escape(file)}, {where}, column {escape(repr(column))}: "
            f"{escape(repr(value))} is {escape(reason)}.",
            highlight=False,
        )


def _print_read(s: dict[str, Any], flag: str = "") -> None:
    from rich.markup import escape

    replaced = (
        f" ({s['replaced']:,} replaced an earlier label of the same post)" if s["replaced"] else ""
    )
    console.print(
        f"Stored {s['stored']:,} labels from {escape(s['file'])}{replaced}; run `brandhalo "
        f"train{escape(flag)}` to teach them.",
        highlight=False,
    )
    if s.get("scale_words"):
        console.print(
            f"  Numbers read on the {s['scale']} scale ({s['scale_words']}); if the sheet means "
            "another, read it again with --scale -1/0/1, 0/1 or 1/2/3.",
            highlight=False,
        )
    if s["left_blank"]:
        console.print(
            f"  {s['left_blank']:,} {'row' if s['left_blank'] == 1 else 'rows'} with an empty "
            "or skip label left out (unsure).",
            highlight=False,
        )
    if s.get("aspect_left_out"):
        n = s["aspect_left_out"]
        err_console.print(
            f"[yellow]Note:[/yellow] {n:,} aspect {'label' if n == 1 else 'labels'} left out "
            "(rows with an aspect): load aspect labels with `brandhalo ingest labels FILE`.",
            highlight=False,
        )
    print_left_out(s["file"], s["unknown"])
    if s["unknown"]:
        err_console.print(
            f"Correct {'that row' if len(s['unknown']) == 1 else 'those rows'} and read the "
            "sheet again (the labels stored now are replaced, not stored twice).",
            highlight=False,
        )
    _print_excel(s.get("excel_ids") or {})
    _print_conflicts(s.get("conflicts") or {})
    other = s["not_in_workspace"]
    matched = s.get("matched_by_text") or []
    if matched:
        n = len(matched)
        err_console.print(
            f"[yellow]Note:[/yellow] {n:,} {'row' if n == 1 else 'rows'} without an id of this "
            "workspace hold the text of one of its posts: stored as that post's label (a post "
            "keeps one label).",
            highlight=False,
        )
    for ids, what in (
        (other["kept_by_text"], "stored by their text, which teaches the model all the same"),
        (other["left_out"], "left out: they have no text to learn from"),
    ):
        if ids:
            err_console.print(
                f"[yellow]Note:[/yellow] {len(ids):,} rows name posts that are not in this "
                f"workspace (e.g. {escape(', '.join(ids[:3]))}; a sheet of another workspace?): "
                f"{what}.",
                highlight=False,
            )


def _print_excel(e: dict[str, Any]) -> None:
    """Rows whose long post id Excel or WPS rounded (7.30096E+18), and what became of them."""
    if not e.get("rows"):
        return
    from rich.markup import escape

    matched, by_text = len(e["matched_by_text"]), len(e["stored_by_text"])
    rest = e["rows"] - matched - by_text
    parts = [f"{matched:,} matched to their post by text"]
    if by_text:
        parts.append(f"{by_text:,} stored by their text (no post has it)")
    if rest:
        parts.append(f"{rest:,} left out (no text, or a repeat)")
    err_console.print(
        f"[yellow]Note:[/yellow] {e['rows']:,} rows have a post id that Excel or WPS rounded "
        f"into a number (e.g. {escape(', '.join(e['examples']))}): it names no post, so they "
        f"were read by their text: {'; '.join(parts)}. To keep the ids, fill the .xlsx sheet, "
        "or format the ID column as text before saving a CSV.",
        highlight=False,
    )


def _print_conflicts(c: dict[str, Any]) -> None:
    """Posts labelled twice with different labels: the later one was kept."""
    from rich.markup import escape

    if c.get("in_sheet"):
        n = c["in_sheet"]
        err_console.print(
            f"[yellow]Note:[/yellow] {n:,} {'post is' if n == 1 else 'posts are'} labelled "
            "twice in the sheet with different labels: the later row was kept.",
            highlight=False,
        )
    changed = c.get("with_stored") or []
    if changed:
        shown = ", ".join(
            f"{escape(str(x['post'])[:40])} {x['was']} -> {x['now']}" for x in changed[:3]
        )
        err_console.print(
            f"[yellow]Note:[/yellow] {len(changed):,} "
            f"{'post had' if len(changed) == 1 else 'posts had'} another label stored (e.g. "
            f"{shown}): this read replaced it (the later read wins; read the older sheet again "
            "to restore it).",
            highlight=False,
        )


@app.command()
def train(
    labels: LabelsOpt = None,
    text_col: TextColOpt = "text",
    label_col: LabelColOpt = "label",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write the model here (.npz) instead of into the workspace (not put in use).",
        ),
    ] = None,
    base: Annotated[
        str,
        typer.Option(
            "--base",
            help="general: adapt the shipped general model (default); none: train a linear "
            "model from scratch.",
        ),
    ] = "general",
    use: Annotated[
        bool | None,
        typer.Option(
            "--use-anyway/--no-use",
            "--use",
            help="--use-anyway (or --use): make the adapted model the workspace's default even "
            "when it scores below the general model or the engine in use; --no-use: never. "
            "Default: only when its cross-validated macro-F1 and negative precision are no "
            "lower than the general model's and its macro-F1 no lower than the engine in use, "
            "beyond what the labelled posts can tell from chance (one standard error of the "
            "difference, at least one post).",
            show_default=False,
        ),
    ] = None,
    engine: Annotated[str, typer.Option("--engine", help="Engine to train (linear).")] = "linear",
    hash_bits: Annotated[
        int,
        typer.Option("--hash-bits", min=10, max=22, help="--base none: feature space 2**N."),
    ] = 18,
    scale: ScaleOpt = None,
    negative_share: Annotated[
        float | None,
        typer.Option(
            "--negative-share",
            min=0.0,
            max=1.0,
            help="Share of negative posts in the stream the model will score: also report the "
            "negative precision to expect there (default: the share the workspace's analyzed "
            "posts hold).",
        ),
    ] = None,
    project: ProjectOpt = Path("."),
    as_json: JsonOpt = False,
) -> None:
    """Teach the sentiment model your domain from labelled posts (adapts the general model).

    Prints cross-validated accuracy, macro-F1 and negative precision before
    (general model) and after (adapted) and saves the model in the workspace. It
    becomes the default (the next `brandhalo analyze` re-scores every post with
    it) unless its macro-F1 or negative precision is below the general model's, or
    its macro-F1 below the engine in use, by more than the labelled posts can tell
    from chance: then the workspace keeps its engine and the output says why
    (--use-anyway switches all the same). Per-class precision and recall are shown
    too, and a warning when the labels are mostly one class.
    """
    from brandhalo.errors import EngineError, InputError

    if engine != "linear":
        raise EngineError(f"Only the 'linear' engine can be trained here, not {engine!r}.")
    if base not in ("general", "none"):
        raise InputError(f"--base must be 'general' or 'none', not {base!r}.")
    if base == "none":
        emit(
            _train_scratch(labels, text_col, label_col, out, project, hash_bits, scale),
            as_json,
            _print_scratch,
        )
        return
    flag = project_flag(project)
    emit(
        _adapt(labels, text_col, label_col, out, project, use, scale, negative_share),
        as_json,
        lambda s: _print_adapt(s, flag),
    )


def _train_scratch(
    labels: Path | None,
    text_col: str,
    label_col: str,
    out: Path | None,
    project: Path,
    bits: int,
    scale: str | None = None,
) -> dict[str, Any]:
    from brandhalo.errors import InputError
    from brandhalo.text.sentiment.labels import check_scale
    from brandhalo.text.sentiment.train import train_from_file

    if labels is None:
        raise InputError("--base none trains from a file; pass --labels FILE.")
    target = out if out is not None else project / "models" / "linear.npz"
    summary = train_from_file(
        labels,
        text_col,
        label_col,
        target,
        n_features=1 << bits,
        encoding=file_encoding(labels),
        scale=check_scale(scale),
    )
    print_left_out(str(labels), summary["left_out"])
    return {**summary, "config_model_path": config_model_path(Path(summary["model_path"]), project)}


def config_model_path(path: Path, project: Path) -> str:
    """What `model_path` of the project's brandhalo.toml must say to load `path` (a relative
    setting is read from the workspace folder, not from where the command ran): the path
    inside the workspace, else the absolute path."""
    full, root = path.resolve(), project.resolve()
    return (full.relative_to(root) if full.is_relative_to(root) else full).as_posix()


def _adapt(
    labels: Path | None,
    text_col: str,
    label_col: str,
    out: Path | None,
    project: Path,
    use: bool | None,
    scale: str | None = None,
    negative_share: float | None = None,
) -> dict[str, Any]:
    from brandhalo.config import CONFIG_FILE
    from brandhalo.errors import InputError
    from brandhalo.text.sentiment.train import _summary, adapt_general
    from brandhalo.text.sentiment.workspace_model import row_keys, save_and_use
    from brandhalo.workspace import Workspace

    in_workspace = (project / CONFIG_FILE).is_file()
    if not in_workspace and (labels is None or out is None):
        raise InputError(
            "Outside a workspace, pass both --labels FILE and --out MODEL.npz (or --project W)."
        )
    source = str(labels) if labels is not None else "workspace"
    texts, y, skipped = _labelled_rows(labels, text_col, label_col, project, scale)
    result = adapt_general(texts, y, meta={"label_source": source})
    summary: dict[str, Any] = {
        "rows": result.rows,
        "class_counts": result.class_counts,
        "thin_classes": thin_classes(result.class_counts),
        "skew": label_skew(result.class_counts),
        "skipped_labels": skipped,
        "cv_folds": result.folds,
        "before": _summary(result.before),
        "after": _summary(result.after),
        "seconds": round(result.seconds, 1),
    }
    if in_workspace:
        current = _current_scores(project, texts, y)
        if current is not None:
            summary["current"] = current
    stream = _stream_precision(summary, negative_share, project if in_workspace else None)
    if stream is not None:
        summary["at_negative_share"] = stream
    if out is not None:
        result.model.meta["trained_keys"] = sorted(set(row_keys(texts)))
        path = result.model.save(out)
        summary.update({"model_path": str(path), "bytes": path.stat().st_size, "in_use": False})
        summary["config_model_path"] = config_model_path(path, project)
        return summary
    summary["worse"] = worse_than(summary)
    if use is None:  # put it in use unless it is worse than the general model or the one in use
        use = not summary["worse"]
        if not use:
            summary["kept"] = _in_use_name(summary)
    with Workspace.open(project) as ws:
        summary.update(save_and_use(ws, result, texts, source=source, use=use))
    return summary


def _stream_precision(
    summary: dict[str, Any], share: float | None, project: Path | None
) -> dict[str, Any] | None:
    """The negative precision to expect before and after on a stream whose share of
    negative posts is `share` (else the share of the workspace's analyzed posts called
    negative), as `eval --negative-share` gives it: labelled samples over-sample negatives
    (`label` picks likely negatives), so their own negative precision overstates a stream's.
    None without a share or without labelled negatives and other rows."""
    from brandhalo.text.sentiment.evaluate import precision_at_share

    source = "given"
    if share is None and project is not None:
        from brandhalo.store.sentiment import negative_share
        from brandhalo.workspace import Workspace

        with Workspace.open(project) as ws:
            share = negative_share(ws.store.con)
        source = "analyzed posts"
    labelled = summary["class_counts"]
    negatives = int(labelled.get("negative", 0))
    others = int(sum(labelled.values())) - negatives
    if share is None or not negatives or not others:
        return None
    out: dict[str, Any] = {
        "negative_share": round(share, 4),
        "source": source,
        "labelled_negative_share": round(negatives / (negatives + others), 4),
    }
    for when in ("before", "after"):
        scores = summary[when]
        neg = scores.get("per_class", {}).get("negative", {})
        recall = float(scores.get("negative_recall", 0.0))
        alarms = max(0.0, float(neg.get("called", 0)) - recall * negatives) / others
        expect = precision_at_share(recall, alarms, share)
        out[when] = None if expect is None else round(expect, 4)
    return out


#: A class with fewer labels than this is too thin to learn or to score: its F1 swings with
#: one row, and macro-F1 averages it with the others' (train says so).
THIN_CLASS = 5


def thin_classes(class_counts: dict[str, int]) -> dict[str, int]:
    """The labelled classes with fewer than :data:`THIN_CLASS` rows."""
    return {k: v for k, v in class_counts.items() if 0 < v < THIN_CLASS}


def label_skew(class_counts: dict[str, int]) -> dict[str, Any] | None:
    """When one class holds more than
    :data:`~brandhalo.text.sentiment.active.SKEWED_SHARE` of the labels: that ``class``, its
    ``share`` and the classes to ``label_more`` (the other classes, fewest first); else None
    (:func:`~brandhalo.text.sentiment.active.label_skew`: `label` leans its next sheet toward
    those classes at the same share)."""
    from brandhalo.text.sentiment.active import label_skew as skew

    return skew(class_counts)


#: What the adapted model must not lose, cross-validated, against the general model (a PR team
#: acts on negative posts: fewer of the posts it calls negative being negative is a loss even
#: when macro-F1 rises).
GUARDED = (("macro_f1", "macro-F1"), ("negative_precision", "negative precision"))
GENERAL = "the general model"
#: The posts each guarded score is a share of (None: every labelled row).
SCORED_ON = {"macro_f1": None, "negative_precision": "negative_called"}


def noise_of(key: str, ours: dict[str, Any], theirs: dict[str, Any]) -> float:
    """How far apart two scores of `key` can be by chance alone on the labelled rows: the
    standard error of the difference of two shares, sqrt(p1(1-p1)/n1 + p2(1-p2)/n2), and at
    least one post's worth, 1/n of the fewer posts (n: all labelled rows for macro-F1, the posts
    each model calls negative for negative precision). 0 when the counts are not known (any
    drop then counts)."""
    import math

    field = SCORED_ON.get(key)
    ns = [int(s.get(field or "rows") or 0) for s in (ours, theirs)]
    if min(ns) <= 0:
        return 0.0
    var = sum(
        float(s[key]) * (1.0 - float(s[key])) / n for s, n in zip((ours, theirs), ns, strict=True)
    )
    return max(math.sqrt(var), 1.0 / min(ns))


def _drop(
    key: str, name: str, after: dict[str, Any], rival: dict[str, Any], who: str
) -> dict[str, Any] | None:
    """The entry of a lower adapted score on `key` than `rival`'s, or None when it is not."""
    if float(after[key]) >= float(rival[key]):
        return None
    noise = noise_of(key, after, rival)
    return {
        "counts": float(rival[key]) - float(after[key]) > noise,
        "metric": key, "name": name, "adapted": after[key], "rival": who, "score": rival[key],
        "noise": round(noise, 4),
        "posts": min(int(s.get(SCORED_ON.get(key) or "rows") or 0) for s in (after, rival)),
        "posts_are": "posts called negative" if SCORED_ON.get(key) else "labelled posts",
    }  # fmt: skip


def worse_than(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """Where the adapted model (``after``, cross-validated) scores below the general model
    (``before``) on :data:`GUARDED`, or below the engine in use on macro-F1 (when that engine
    was not trained on these labels: its score on them would flatter it), by more than the
    labelled rows can tell from chance (:func:`noise_of`); one entry each: ``metric``, ``name``
    (for people), ``adapted``, ``rival``, its ``score``, ``noise`` and ``posts``. Smaller drops
    go to ``summary["within_noise"]`` (shown, not counted)."""
    after, before = summary["after"], summary["before"]
    drops = [_drop(key, name, after, before, GENERAL) for key, name in GUARDED]
    current = summary.get("current")
    if current is not None and not current.get("trained_overlap"):
        drops.append(_drop("macro_f1", "macro-F1", after, current, f"{current['engine']} (in use)"))
    counted: list[dict[str, Any]] = []
    noise: list[dict[str, Any]] = []
    summary["within_noise"] = noise
    for d in drops:
        if d is not None:
            (counted if d.pop("counts") else noise).append(d)
    return counted


def _in_use_name(summary: dict[str, Any]) -> str:
    """The engine the workspace uses now (the general model when train scored none other)."""
    current = summary.get("current")
    return str(current["engine"]) if current is not None else GENERAL


def _current_scores(project: Path, texts: list[str], y: Any) -> dict[str, Any] | None:
    """The workspace's current engine on the labels, when it is not the general hybrid."""
    from brandhalo.text.sentiment.evaluate import metrics, predictions_for
    from brandhalo.text.sentiment.train import _summary
    from brandhalo.text.sentiment.workspace_model import engine_for, stored_engine_name

    config = _project_config(project)
    settings = _settings(config)
    if settings.engine == "hybrid" and not settings.model_path:
        return None
    from brandhalo.text.sentiment.evaluate import trained_overlap_of

    engine = engine_for(settings, project, config)
    # as `analyze` names it per post: a model_path the engine does not read (lexicon) is no part
    name = stored_engine_name(engine)
    scores = _summary(metrics(y, predictions_for(y, engine.score(texts))[0]))
    return {"engine": name, "trained_overlap": trained_overlap_of(engine, texts), **scores}


def _print_scratch(s: dict[str, Any]) -> None:
    from brandhalo.text.sentiment.labels import LABEL_NAMES

    counts = ", ".join(
        f"{LABEL_NAMES[int(k)]} {v:,}"
        for k, v in sorted(s["class_counts"].items(), key=lambda kv: int(kv[0]))
    )
    console.print(
        f"Trained on {s['rows']:,} rows ({counts}), a linear model from scratch, "
        f"in {s['seconds']:.1f}s -> {s['model_path']} ({s['bytes'] / 1e6:.2f} MB)\n"
        f"Score it on labelled rows it has not seen: `brandhalo eval --labels FILE --model "
        f"{s['model_path']}`.\n"
        f'Use it: set \\[sentiment] engine = "linear" and model_path = "{s["config_model_path"]}" '
        "in the workspace's brandhalo.toml."
    )


def _suggest_general(s: dict[str, Any], flag: str = "") -> None:
    """When the engine kept scores below the general model on the labels: how to use that."""
    current = s.get("current")
    if current is None or current.get("trained_overlap"):
        return
    if current["macro_f1"] < s["before"]["macro_f1"]:
        console.print(
            f"The general model scores higher than {current['engine']} on your labels "
            f"(macro-F1 {s['before']['macro_f1']:.3f} vs {current['macro_f1']:.3f}); to use it, "
            'set \\[sentiment] engine = "hybrid" without model_path in brandhalo.toml, then '
            f"`brandhalo analyze{flag}`.",
            highlight=False,
        )


def _print_per_class(s: dict[str, Any]) -> None:
    """Precision and recall of each class before and after, so a class the adapted model finds
    less often (positive recall falling while macro-F1 rises) is visible."""
    import pandas as pd

    before, after = s["before"].get("per_class"), s["after"].get("per_class")
    if not before or not after:
        return
    rows = []
    for name in ("negative", "neutral", "positive"):
        b, a = before.get(name), after.get(name)
        if b is None and a is None:
            continue
        b, a = b or {}, a or {}
        rows.append({
            "class": name, "labelled": int(s["class_counts"].get(name, 0)),
            "precision before": b.get("precision", 0.0), "after": a.get("precision", 0.0),
            "recall before": b.get("recall", 0.0), "after ": a.get("recall", 0.0),
        })  # fmt: skip
    print_frame(pd.DataFrame(rows), title="Per class, before -> after (cross-validated)")
    lost = [
        f"{r['class']} recall {r['recall before']:.3f} -> {r['after ']:.3f}"
        for r in rows
        if r["labelled"] and r["after "] < r["recall before"]
    ]
    if lost:
        console.print(
            f"[yellow]Note:[/yellow] the adapted model finds fewer of some classes: "
            f"{'; '.join(lost)}.",
            highlight=False,
        )


def _print_stream(s: dict[str, Any]) -> None:
    """The negative precision to expect on the stream (:func:`_stream_precision`), or a note
    that the table's is measured on a labelled sample richer in negatives."""
    at = s.get("at_negative_share")
    if not at:
        return

    def fmt(v: float | None) -> str:
        return "-" if v is None else f"{v:.2f}"

    where = (
        "the share of the workspace's analyzed posts called negative; --negative-share to set it"
        if at["source"] == "analyzed posts"
        else "--negative-share"
    )
    console.print(
        f"Negative precision above is measured on your labels, {at['labelled_negative_share']:.0%} "
        f"negative; in a stream with {at['negative_share']:.1%} negative posts ({where}) expect "
        f"{fmt(at['before'])} before and {fmt(at['after'])} after.",
        highlight=False,
    )


def _print_skew(s: dict[str, Any], flag: str = "") -> None:
    """The warning for labels that are mostly one class, and what to label next."""
    skew = s.get("skew")
    if not skew:
        return
    counts = s["class_counts"]
    more = " and ".join(skew["label_more"])
    few = ", ".join(f"{c} {counts.get(c, 0):,}" for c in skew["label_more"])
    console.print(
        f"[bold yellow]Warning:[/bold yellow] {skew['share']:.0%} of your labels are "
        f"{skew['class']} ({few}): the adapted model learns the other classes' words from few "
        f"posts, and praise or news that shows up only inside {skew['class']} posts can move "
        f"toward {skew['class']} or neutral. Label more {more} posts: `brandhalo label{flag}` "
        "picks a new sheet; fill it (leave unsure rows empty), read it with `brandhalo "
        f"label{flag} --read SHEET` and train again.",
        highlight=False,
    )


def _print_adapt(s: dict[str, Any], flag: str = "") -> None:
    import pandas as pd
    from rich.markup import escape

    flag = escape(flag)
    counts = ", ".join(f"{k} {v}" for k, v in s["class_counts"].items())
    console.print(f"Adapted the general model to {s['rows']:,} labelled rows ({counts}).")
    short = {
        "accuracy": "accuracy",
        "macro_f1": "macro-F1",
        "negative_precision": "neg precision",
        "negative_recall": "neg recall",
    }

    def scores(summary: dict[str, Any]) -> dict[str, Any]:
        return {k: summary[k] for k in short if k in summary}

    rows = [
        {"model": "general (before)", **scores(s["before"])},
        {"model": "adapted (after)", **scores(s["after"])},
    ]
    note = ""
    if "current" in s:
        current = dict(s["current"])
        seen = current.pop("trained_overlap", 0)
        note = f"in use = {current.pop('engine')}" + (
            f" (trained on {seen} of these rows: optimistic)" if seen else ""
        )
        rows.insert(0, {"model": "in use", **scores(current)})
    print_frame(
        pd.DataFrame(rows).rename(columns=short),
        title=f"On your labels (after: {s['cv_folds']}-fold cross-validated, each fold adapted "
        "without its rows)",
        more="--json",
    )
    if note:
        console.print(note)
    _print_stream(s)
    _print_per_class(s)
    _print_skew(s, flag)
    if s.get("thin_classes"):
        thin = ", ".join(f"{k} {v}" for k, v in s["thin_classes"].items())
        console.print(
            f"[yellow]Note:[/yellow] too few labels to learn or score a class reliably ({thin}; "
            f"fewer than {THIN_CLASS}): macro-F1 averages its F1 with the others', so it swings "
            "with those rows. Label more posts of that class, or relabel them."
        )
    console.print(f"Saved {s['model_path']} ({s['bytes'] / 1e6:.1f} MB) in {s['seconds']:.0f}s.")
    worse = "; ".join(
        f"{w['name']} {w['adapted']:.3f} < {w['score']:.3f} of {w['rival']}"
        + (f" (beyond the ±{w['noise']:.3f} that {w['posts']:,} {w['posts_are']} can tell)"
           if w.get("noise") else "")
        for w in s.get("worse") or ()
    )  # fmt: skip
    for w in s.get("within_noise") or ():
        console.print(
            f"[yellow]Note:[/yellow] {w['name']} {w['adapted']:.3f} < {w['score']:.3f} of "
            f"{w['rival']}, within what {w['posts']:,} {w['posts_are']} can tell from chance "
            f"(±{w['noise']:.3f}: one standard error, at least one post): not counted as a loss.",
            highlight=False,
        )
    if s.get("kept"):
        console.print(
            f"[bold yellow]Warning:[/bold yellow] cross-validated on your labels, the adapted "
            f"model scores lower: {worse}. [bold]Not put in use[/bold]: "
            f"the workspace keeps {s['kept']}. Label more posts (`brandhalo label{flag}`) and train "
            "again, or pass --use-anyway to switch all the same.",
            highlight=False,
        )
        _suggest_general(s, flag)
    elif worse and s.get("in_use"):
        console.print(
            f"[bold yellow]Warning:[/bold yellow] put in use as asked (--use-anyway), although, "
            f"cross-validated on your labels, it scores lower: {worse}.",
            highlight=False,
        )
    elif not s.get("in_use"):
        why = "--no-use" if s.get("model_id") else "--out"
        console.print(
            f'Not put in use ({why}); to use it, set \\[sentiment] engine = "hybrid" and '
            f'model_path = "{s.get("config_model_path", s["model_path"])}" in brandhalo.toml, '
            f"then `brandhalo analyze{flag}`."
        )
    if s.get("in_use"):
        console.print(
            f'The workspace now uses it (\\[sentiment] engine = "hybrid", model_path = '
            f'"{s["model_path"]}"); run `brandhalo analyze{flag}` to re-score the posts.'
        )


@app.command("eval")
def eval_(
    labels: LabelsOpt = None,
    text_col: TextColOpt = "text",
    label_col: LabelColOpt = "label",
    engine: Annotated[
        str | None,
        typer.Option(
            "--engine",
            help="Engine to score, with its built-in model (default: the project's engine and "
            "model, else lexicon).",
        ),
    ] = None,
    model: Annotated[
        Path | None, typer.Option("--model", help="Model file/folder for linear or transformers.")
    ] = None,
    negative_share: Annotated[
        float | None,
        typer.Option(
            "--negative-share",
            min=0.0,
            max=1.0,
            help="Share of negative posts in the stream you will score (e.g. 0.03 for a launch "
            "week): also report the negative precision to expect there.",
        ),
    ] = None,
    scale: ScaleOpt = None,
    rows_out: Annotated[
        Path | None,
        typer.Option(
            "--rows",
            help="Also write every row scored (text, gold and predicted label, correct, score, "
            "confidence, evidence) to this .csv, .xlsx, .parquet or .json file, to read the "
            "misreadings (filter correct = false).",
        ),
    ] = None,
    project: ProjectOpt = Path("."),
    as_json: JsonOpt = False,
) -> None:
    """Score a sentiment engine on labelled rows: accuracy, macro-F1, per class, confusion.

    Without --engine it scores the workspace's engine (its adapted model once
    `train` ran); without --labels, the workspace's labels. Warns when rows were
    used to train the model. Labelled samples over-sample negatives (`label` does
    so on purpose), so their negative precision overstates a stream's;
    --negative-share gives the one to expect on the stream, from negative recall
    and the share of other rows called negative.
    """
    from brandhalo.text.sentiment.evaluate import (
        evaluate_rows,
        precision_at_share,
        trained_overlap_of,
    )
    from brandhalo.text.sentiment.workspace_model import engine_for

    if rows_out is not None:
        check_table_out(rows_out, "--rows")
    config = _project_config(project)
    engine = model_engine(engine, _settings(config), model)
    eng = engine_for(
        _eval_settings(_settings(config), engine),
        project,
        config,
        engine=engine,
        model_path=str(model.resolve()) if model is not None else None,
    )
    texts, gold, skipped = _labelled_rows(labels, text_col, label_col, project, scale)
    report, rows = evaluate_rows(eng, texts, gold)
    if rows_out is not None:
        _write_rows(rows, rows_out)
    report["skipped_labels"] = skipped
    report["file"] = str(labels) if labels is not None else "workspace labels"
    report["trained_overlap"] = trained_overlap_of(eng, texts)
    report["model"] = model_label(report["engine"])
    alarms = report["non_negative_called_negative"]
    negative = report["per_class"].get("negative")
    if negative_share is not None and alarms is not None and negative and negative["support"]:
        report["at_negative_share"] = {
            "negative_share": negative_share,
            "negative_precision": precision_at_share(negative["recall"], alarms, negative_share),
            "negative_recall": negative["recall"],
        }
    emit(report, as_json, _print_eval)


def _write_rows(rows: list[dict[str, Any]], out: Path) -> None:
    """`eval --rows`: every row scored, to `out` (the format its ending names)."""
    import pandas as pd

    from brandhalo.views import write_table

    frame = pd.DataFrame(rows, columns=["row", "text", "gold", "predicted", "correct", "score",
                                        "confidence", "evidence"])  # fmt: skip
    written = write_table(frame, out)
    wrong = int((~frame["correct"]).sum()) if written else 0
    err_console.print(
        f"wrote {written:,} rows ({wrong:,} misread) to {out}", markup=False, soft_wrap=True
    )


def takes_model(engine: str) -> bool:
    """Whether the engine named `engine` reads a model file or folder (``model_path``)."""
    import inspect

    from brandhalo.text.sentiment import ENGINES

    cls = ENGINES.get(engine.strip().lower())
    return cls is not None and "model_path" in inspect.signature(cls.__init__).parameters


def model_engine(engine: str | None, settings: Any, model: Path | None) -> str | None:
    """The engine `eval --model MODEL` scores: `engine` (--engine) when given, else the
    workspace's engine when it reads a model, else the one MODEL is made for: a folder is a
    transformers model, a .npz with a stacking head (what `train` adapts) a hybrid one, any
    other .npz a linear one (`train --base none`). Without --model, `engine` as given.

    Raises:
        EngineError: --engine names an engine that reads no model (lexicon): the model would
            be ignored.
        NotFoundError: MODEL does not exist.
    """
    from brandhalo.errors import EngineError, NotFoundError
    from brandhalo.text.sentiment import ENGINES

    if model is None:
        return engine
    if engine is not None:
        if takes_model(engine) or engine.strip().lower() not in ENGINES:
            return engine  # an unknown name: engine_for's error lists the engines
        raise EngineError(
            f"--model {model} is read by the hybrid or linear engine (a .npz file) or the "
            f"transformers engine (a model folder); the {engine!r} engine reads no model, so "
            "it would be ignored. Leave --engine out (the engine is then taken from the "
            "model), or pass --engine hybrid, linear or transformers."
        )
    if takes_model(settings.engine):
        return None
    if model.is_dir():
        return "transformers"
    if not model.is_file():
        raise NotFoundError(
            f"--model {model} does not exist; pass a .npz model (`brandhalo train` writes them "
            "under models/sentiment/ in the workspace) or a transformers model folder."
        )
    from brandhalo.text.sentiment.linear import load_model

    return "hybrid" if load_model(model).meta.get("stack") else "linear"


#: How `eval` names a model that ships with brandhalo (an engine's ``model_path`` unset).
SHIPPED_MODEL = "shipped model"


def model_label(described: dict[str, Any]) -> str | None:
    """Which model an engine scored with, for the headline: its file or folder name (a
    workspace model's id), :data:`SHIPPED_MODEL` for the built-in one, None for an engine
    without a model (lexicon)."""
    if "model_path" not in described:
        return None
    model = described["model_path"]
    return Path(str(model)).stem if model and model != "default" else SHIPPED_MODEL


def _labelled_rows(
    labels: Path | None, text_col: str, label_col: str, project: Path, scale: str | None = None
) -> tuple[list[str], Any, int]:
    """(texts, labels, skipped) from the --labels file (on `scale`, else the column's: a note
    names it, and the labelled rows left out for an empty text), else from the workspace's
    stored labels; `skipped`: stored labels left out as no known spelling (a note says so)."""
    from brandhalo.text.sentiment.labels import (
        SCALE_WORDS,
        check_scale,
        left_out_rows,
        read_labelled_file,
    )
    from brandhalo.text.sentiment.workspace_model import workspace_labels
    from brandhalo.workspace import Workspace

    if labels is not None:
        read = read_labelled_file(
            labels, text_col, label_col, file_encoding(labels), check_scale(scale)
        )
        if read.numbers:
            err_console.print(
                f"Note: {labels} label numbers read on the {read.scale} scale "
                f"({SCALE_WORDS[read.scale]}); --scale says another.",
                markup=False,
                highlight=False,
            )
        if read.blank_texts:
            err_console.print(
                f"Note: {read.blank_texts:,} labelled "
                f"{'row' if read.blank_texts == 1 else 'rows'} of {labels} with an empty text "
                "left out (nothing to learn from).",
                markup=False,
                highlight=False,
            )
        if read.unknown:  # left out, one line each, as `label --read` does; the rest is used
            print_left_out(str(labels), left_out_rows(read))
            err_console.print(
                f"{len(read.unknown):,} {'row' if len(read.unknown) == 1 else 'rows'} left out "
                f"of {len(read.texts) + len(read.unknown):,}; correct "
                f"{'it' if len(read.unknown) == 1 else 'them'} in the file to use "
                f"{'it' if len(read.unknown) == 1 else 'them'} too.",
                highlight=False,
            )
        return read.texts, read.labels, len(read.unknown)
    with Workspace.open(project) as ws:
        rows = workspace_labels(ws)
    if rows.skipped:
        err_console.print(
            f"[yellow]Note:[/yellow] {rows.skipped:,} stored labels are not a sentiment label "
            "(negative/neutral/positive, -1/0/1, 负面/中性/正面) and were left out; correct "
            "them in the sheet and load it again with `brandhalo label --read SHEET`."
        )
    return rows.texts, rows.labels, rows.skipped


def _settings(config: Any) -> Any:
    """A project's [sentiment] settings (`config` from :func:`_project_config`), or the
    defaults outside a workspace (None)."""
    from brandhalo.config import SentimentSettings

    return config.sentiment if config is not None else SentimentSettings()


def _eval_settings(settings: Any, engine: str | None) -> Any:
    """The settings `eval --engine NAME` scores with: NAME's built-in model, not the model
    configured for the workspace's engine, unless NAME is that engine and the model is not one
    `train` adapted (a transformers folder, a linear model of your own)."""
    from brandhalo.text.sentiment.workspace_model import MODEL_DIR

    if engine is None or not settings.model_path:
        return settings
    adapted = Path(settings.model_path).as_posix().startswith(MODEL_DIR + "/")
    if adapted or engine.strip().lower() != settings.engine:
        return settings.model_copy(update={"model_path": None})
    return settings


def _project_config(project: Path) -> Any:
    """The project's config (its tracked names shield the lexicon), None outside a workspace."""
    from brandhalo.config import CONFIG_FILE, load_config

    return load_config(project) if (project / CONFIG_FILE).is_file() else None


def _print_eval(r: dict[str, Any]) -> None:
    import pandas as pd

    overlap = r.get("trained_overlap") or 0
    if overlap:
        err_console.print(
            f"[yellow]Warning:[/yellow] {overlap:,} of the {r['n']:,} rows were used to train "
            "this model, so these scores are optimistic; evaluate on rows it has not seen "
            "(train's cross-validated scores are the honest ones)."
        )
    model = r.get("model")
    name = r["engine"]["engine"] + (f" ({model})" if model else "")
    console.print(
        f"[bold]{name}[/bold] on {r['n']:,} rows: accuracy {r['accuracy']:.3f}, "
        f"macro-F1 {r['macro_f1']:.3f}, {r['docs_per_s']:,.0f} docs/s"
    )
    gold = r.get("gold_labels") or []
    if r["neutral_resolved"]:
        zero = r.get("neutral_zero_score") or 0
        strict = r.get("neutral_as_wrong") or {}
        line = (
            f"The gold has two labels ({', '.join(gold)}), so the {r['neutral_resolved']:,} "
            "neutral predictions were counted by score sign (>= 0 positive), as the benchmarks do"
        )
        if zero:
            line += f"; {zero:,} had score 0 (no signal) and count as positive only by that rule"
        if strict:
            line += (
                f". Counting them wrong: accuracy {strict['accuracy']:.3f}, "
                f"macro-F1 {strict['macro_f1']:.3f}"
            )
        console.print(line + ".")
    elif len(gold) == 2 and "neutral" not in gold:
        console.print(f"The gold has two labels ({', '.join(gold)}); no neutral predictions.")
    if r.get("non_negative_called_negative") is not None:
        console.print(
            f"Rows that are not negative called negative: {r['non_negative_called_negative']:.1%}"
        )
    at = r.get("at_negative_share")
    if at:
        expect = at["negative_precision"]
        console.print(
            f"In a stream with {at['negative_share']:.1%} negative posts, expect negative "
            f"precision {'-' if expect is None else f'{expect:.2f}'} "
            f"(recall {at['negative_recall']:.2f})."
        )
    per = pd.DataFrame(r["per_class"]).T.reset_index(names="class")
    print_frame(per, title="per class", more="--json")
    conf = r["confusion"]
    frame = pd.DataFrame(conf["rows_gold_cols_pred"], columns=conf["labels"])
    frame.insert(0, "gold \\ pred", conf["labels"])
    print_frame(frame, title="confusion", more="--json")
