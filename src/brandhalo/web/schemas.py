"""Request and response models of the JSON API (they are also the OpenAPI schema)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from brandhalo.report.model import AlertView

MAX_POSTS_PER_REQUEST = 10_000


class ErrorBody(BaseModel):
    status: int
    code: str = Field(description="Machine-readable code, e.g. unauthorized, not_found.")
    message: str = Field(description="A full sentence saying what went wrong and what to do.")


class ErrorOut(BaseModel):
    """The one error shape of every error response."""

    error: ErrorBody


class WhoAmI(BaseModel):
    token_id: str
    name: str | None
    role: str


class MetricInfo(BaseModel):
    name: str
    description: str = ""
    metric_version: str | None = None


class MetricOut(BaseModel):
    name: str
    metric_version: str | int | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    rows: list[dict[str, Any]] = Field(default_factory=list)
    notes: list[str] | str | None = None


class PostIn(BaseModel):
    """One post as POSTed (DESIGN section 3); validated again and quarantined by ingest."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=100_000)
    created_at: str = Field(
        max_length=64, description="ISO 8601 time; without a zone the workspace zone is assumed."
    )
    id: str | None = Field(default=None, max_length=256)
    source: str | None = Field(default=None, max_length=256)
    author_id: str | None = Field(default=None, max_length=256)
    author_name: str | None = Field(default=None, max_length=512)
    author_followers: int | None = Field(default=None, ge=0)
    likes: int | None = Field(default=None, ge=0)
    reposts: int | None = Field(default=None, ge=0)
    comments: int | None = Field(default=None, ge=0)
    url: str | None = Field(default=None, max_length=4096)
    lang: str | None = Field(default=None, max_length=16)
    brand: str | None = Field(default=None, max_length=256)
    product: str | None = Field(default=None, max_length=256)
    segment: str | None = Field(default=None, max_length=64)
    rating: float | None = None
    parent_id: str | None = Field(default=None, max_length=256)


class PostsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    posts: list[PostIn] = Field(min_length=1, max_length=MAX_POSTS_PER_REQUEST)


class IngestOut(BaseModel):
    rows_read: int
    inserted: int
    duplicates: int
    quarantined: int
    note: str | None = None


class PostOut(BaseModel):
    post_id: str
    created_at: str | None = None
    source: str | None = None
    author_name: str | None = None
    text: str
    url: str | None = None
    likes: int | None = None
    reposts: int | None = None
    comments: int | None = None
    label: int | None = None
    lang: str | None = None
    simulated: bool | None = None
    rating: float | None = Field(
        default=None, description="The star rating given with the post (a review's), if any."
    )
    segment: str | None = None  # enthusiast | mass | premium (None: unknown or not analyzed)
    origin: str | None = None  # organic | campaign | news | official (None: not enriched yet)
    cluster_id: str | None = None  # near-duplicate cluster (id of its first post)


class PostPage(BaseModel):
    query: str | None
    page: int
    page_size: int
    has_more: bool
    posts: list[PostOut]
    note: str | None = Field(
        default=None,
        description="Why posts are missing: none ingested yet, or (with `brand`, `origin`, "
        "`product`, `segment` or `label`) posts not analyzed yet, which those filters cannot "
        "see.",
    )


class PostCount(BaseModel):
    query: str | None
    matched: int = Field(
        description="Posts the search keeps: those /api/posts pages through for the same "
        "filters, and the rows /api/posts/export writes."
    )


class AlertSliceOut(BaseModel):
    """What the posts of a platform and language (``/api/alerts?source=&post_lang=``) count
    of one alert episode, over its local days (``first`` .. ``last``): its brand's negative
    posts and posts there and on every platform and language (every origin and type, as the
    detector counts them)."""

    source: str | None = Field(description="The platforms counted (stored values); null: all.")
    post_lang: str | None = Field(description="The posts' languages counted; null: all.")
    first: dt.date
    last: dt.date
    negative: int = Field(description="Negative posts of the platform and language.")
    negative_all: int = Field(description="Negative posts of every platform and language.")
    posts: int = Field(description="Posts of the platform and language.")
    posts_all: int = Field(description="Posts of every platform and language.")


class SlicedAlertView(AlertView):
    """An alert episode as /api/alerts lists it; ``slice``: what the platform and language
    asked count of it (null when none is asked)."""

    slice: AlertSliceOut | None = None
