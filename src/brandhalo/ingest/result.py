"""What an ingest did: per file and in total."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from brandhalo.models import StageResult

#: How the zone of a file's times written without one was chosen: ``--timezone`` (given),
#: the file's ``Timezone:`` report line (file), a time column's header (header) or the
#: workspace zone (workspace).
ZoneReason = Literal["given", "file", "header", "workspace"]


class ZoneRead(BaseModel):
    """The zone a posts file's times written without one were read in, and why: the fact
    behind the summary's zone note (:meth:`note`)."""

    model_config = ConfigDict(frozen=True)

    zone: str
    reason: ZoneReason
    #: Such a time of the file, as written (``2025-05-20 09:15``).
    example: str | None = None
    #: What named the zone: the ``Timezone:`` line's value (file), the time column's header
    #: (header); with --timezone (given), the zone the file's report lines name when it is
    #: another one.
    named: str | None = None

    @classmethod
    def of(cls, tz: str, how: ZoneReason, file_zone: str | None, first: str | None) -> ZoneRead:
        """The fact as the writer knows it: `file_zone` is what the file names (its
        ``Timezone:`` line, or the header for `how` ``header``), kept with --timezone only
        when it is a zone other than `tz`."""
        if how == "given":
            from brandhalo.ingest.timestamps import zone_name

            if file_zone is not None and zone_name(file_zone) in {None, tz}:
                file_zone = None
        return cls(zone=tz, reason=how, example=first, named=file_zone)

    @property
    def like(self) -> str:
        """`` (like '2025-05-20 09:15')``, '' without an example."""
        return f" (like {self.example!r})" if self.example else ""

    def why(self) -> str:
        """Why this zone, as the note says it."""
        return {
            "given": "as --timezone says"
            + (f" (the file's report lines name {self.named})" if self.named else ""),
            "file": f"the zone the file's report lines name (Timezone: {self.named})",
            "workspace": "the workspace zone ([workspace] timezone in brandhalo.toml)",
            "header": f"the zone its header {self.named!r} names",
        }[self.reason]

    def note(self) -> str:
        """The summary's note on it (the file's ``notes``)."""
        head = f"times written without a zone{self.like} were read in {self.zone}, {self.why()}"
        if self.reason == "given":
            return head
        return f"{head}; if the file writes them in another zone, {ZONE_ADVICE}"


#: What to do when a file's times without a zone are in another zone than the one they were
#: read in (not given with --timezone).
ZONE_ADVICE = (
    "ingest it again with --timezone ZONE: that read replaces this one's posts (once they are "
    "analyzed, add --replace)"
)


class FileResult(BaseModel):
    """One file (or one batch of API records): counts and whether it was loaded, skipped or
    failed (``error`` then says why; nothing of it was loaded)."""

    model_config = ConfigDict(frozen=True)

    file: str
    kind: str = "posts"
    status: Literal["done", "skipped", "failed"] = "done"
    rows_read: int = 0
    inserted: int = 0
    duplicates: int = 0
    quarantined: int = 0
    #: Posts stored before this file that it repeats with higher engagement counts (a
    #: re-crawl): their counts and weights were raised.
    refreshed: int = 0
    #: Posts of this file linked as copies (reposts) of an earlier post of the same platform by
    #: their identical text alone (no repost marker, no parent id): metrics count their origin.
    copies: int = 0
    ingest_id: int | None = None
    seconds: float = 0.0
    #: The preset the file was read with (named or recognised), if any.
    preset: str | None = None
    #: The JSON object key that held the records (JSON containers).
    records_key: str | None = None
    #: Field -> the file's column it was read from (``{"text": "Full Text"}``).
    columns: dict[str, str] = Field(default_factory=dict)
    #: Records whose two creation times (an epoch and a datetime) disagree; the one with an
    #: explicit offset was kept.
    time_disagreements: int = 0
    #: Relative times (``3分钟前``, ``2 months ago``) resolved.
    relative_times: int = 0
    #: Rows left out, not quarantined, because the value that says what they are is empty
    #: (labels: a labelling sheet's unsure rows, left blank); part of ``rows_read``.
    left_blank: int = 0
    #: What was done to whole columns, for the summary (a unit in a header, ``营收（亿元）``,
    #: scaled the values).
    notes: list[str] = Field(default_factory=list)
    #: Notes an earlier ingest of this workspace gave a file of the same kind, preset and
    #: columns (the same words but for numbers), moved out of ``notes`` by the CLI so that a
    #: daily run's summary shows them as one line (:func:`~brandhalo.ingest.summary.
    #: repeated_notes`); warnings are never moved.
    repeated_notes: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    #: Why the file could not be loaded (``status == "failed"``): the error's full sentence.
    error: str | None = None
    #: The file's columns nothing read (named in a warning, or a posts file's note).
    unread_columns: list[str] = Field(default_factory=list)
    #: The zone the file's times written without one were read in (posts; named in a note).
    zone: ZoneRead | None = None
    #: The required columns the file lacks (``status == "failed"``: the error names them).
    missing: list[str] = Field(default_factory=list)
    #: With ``missing``: the file's column names ([] for a file without a header line).
    headers: list[str] = Field(default_factory=list)


def columns_line(columns: dict[str, str]) -> str | None:
    """The summary line saying which file column fed which field, when one is named otherwise
    than its field (None when every column has its field's name)."""
    if all(header == field for field, header in columns.items()):
        return None
    pairs = ", ".join(f"{header!r} -> {field}" for field, header in columns.items())
    return f"columns read: {pairs}"


def left_blank_note(n: int, kind: str) -> str:
    """The summary line for `n` rows of a `kind` file left out because their label is empty."""
    rows = f"row{'' if n == 1 else 's'} with an empty or skip label {'was' if n == 1 else 'were'}"
    return (
        f"{n:,} {rows} left out (left blank: unsure), not quarantined; to store "
        f"{'it' if n == 1 else 'them'}, fill in the label and ingest the sheet again (the "
        f"{kind} stored now are not stored twice)"
    )


class IngestReport(BaseModel):
    """Every file of one ingest call, with totals."""

    model_config = ConfigDict(frozen=True)

    kind: str
    files: list[FileResult] = Field(default_factory=list)

    @property
    def totals(self) -> dict[str, int]:
        keys = ("rows_read", "inserted", "duplicates", "quarantined", "refreshed")
        out = {k: sum(getattr(f, k) for f in self.files) for k in keys}
        out["files"] = len(self.files)
        out["skipped"] = sum(f.status == "skipped" for f in self.files)
        out["failed"] = sum(f.status == "failed" for f in self.files)
        return out

    @property
    def failed(self) -> list[FileResult]:
        """The files that could not be loaded (each with its ``error``)."""
        return [f for f in self.files if f.status == "failed"]

    @property
    def seconds(self) -> float:
        return sum(f.seconds for f in self.files)

    def as_stage(self) -> StageResult:
        """This ingest as a pipeline stage result (``ingest:<kind>``)."""
        t = self.totals
        notes = []
        if t["failed"]:
            notes.append(
                f"{t['failed']} files failed: " + "; ".join(str(f.error) for f in self.failed)
            )
        if t["quarantined"]:
            notes.append(f"{t['quarantined']} rows quarantined; see `brandhalo quarantine`")
        note = "; ".join(notes) or None
        return StageResult(name=f"ingest:{self.kind}", counts=t, seconds=self.seconds, note=note)


def with_id_conflicts(f: FileResult, n: int, first: list[tuple[int, str]]) -> FileResult:
    """`f` with its `n` rows whose id an earlier line holds with another text (quarantined by
    :func:`brandhalo.store.ingest.quarantine_id_conflicts`; `first`: (line, id) of the first)
    counted as quarantined instead of duplicates, and a warning saying what to do."""
    if not n:
        return f
    shown = ", ".join(f"line {line} (id {ident})" for line, ident in first)
    rows = "row repeats" if n == 1 else "rows repeat"
    warning = (
        f"{n:,} {rows} an id of an earlier line with another text, e.g. {shown}: the id "
        "column does not identify the posts (a spreadsheet may have cut long ids), so they were "
        "quarantined, not counted as duplicates; map the real id column with --map "
        "id=COLUMN, or drop the id column (ids are then made from source, author, time and "
        "text), and ingest the file again"
    )
    return f.model_copy(
        update={
            "duplicates": max(0, f.duplicates - n),
            "quarantined": f.quarantined + n,
            "warnings": [*f.warnings, warning],
        }
    )
