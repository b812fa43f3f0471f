"""The labelling page: posts worth labelling, one at a time, keys 1/2/3 for neg/neu/pos.

``GET /label`` (a read token, like every page) lays out the queue that
:func:`brandhalo.text.sentiment.active.workspace_candidates` picks (uncertain, likely
negative, diverse). Labels are written with ``POST /api/labels``, which needs an *admin* token in
the Authorization header (the page asks for it once and keeps it in the tab's sessionStorage;
the login cookie only reads). A post's new label replaces its old one; ``brandhalo train`` then
teaches them to the model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from brandhalo.store import presence
from brandhalo.store import sentiment as store_sentiment
from brandhalo.web.auth import require_admin, require_read, state_of
from brandhalo.web.tokens import TokenInfo

if TYPE_CHECKING:
    from brandhalo.workspace import Workspace

#: The dashboard page (no schema) and the JSON routes (mounted under /api by api.py).
pages = APIRouter(include_in_schema=False)
api = APIRouter(tags=["labels"])
QUEUE_SIZE = 50
#: The labelling queue waits at most this long for this server's own label writes to be
#: published, so a reload after labelling shows the new count and not the posts just labelled.
OWN_WRITES_WAIT_S = 5.0
TEXT = {
    "zh": {
        "title": "标注",
        "help": "按 1 负面 · 2 中性 · 3 正面 · 0 跳过。标注会写入工作区，`brandhalo train` 用它们教会模型。",
        "token": "管理员令牌（写入标注需要）",
        "need_token": "请先在上方输入管理员令牌再标注（用 `brandhalo token create --role admin` 创建）。",
        "negative": "1 负面",
        "neutral": "2 中性",
        "positive": "3 正面",
        "skip": "0 跳过",
        "done": "这一批标完了；刷新页面取下一批。",
        "empty": "没有待标注的帖子。",
        "predicted": "模型判断",
        "confidence": "置信度",
        "label_negative": "负面",
        "label_neutral": "中性",
        "label_positive": "正面",
        "reason_uncertain": "模型最没把握",
        "reason_negative": "可能是负面",
        "reason_diverse": "补充多样性",
        "reason_rare-class": "补你标得少的类别",
        "meta": "{at} / {total} · {predicted}：{label}（{confidence} {value}，{reason}）",
        "rated": " · 评分 {stars}",
        "saved": "✓ {label} · 已标注 {n}",
        "skipped": "已跳过上一条（未标注） · 已标注 {n}",
        "failed": "保存失败",
        "bad_token": "这个令牌不能写入标注：请输入管理员令牌（用 `brandhalo token create --role admin` 创建）。",
        "slow_down": "写入太频繁：请稍等一秒再试。",
    },
    "en": {
        "title": "Label",
        "help": "Press 1 negative · 2 neutral · 3 positive · 0 skip. Labels are stored in the "
        "workspace; `brandhalo train` teaches them to the model.",
        "token": "Admin token (needed to save labels)",
        "need_token": "To save labels, enter an admin token above (create one with "
        "`brandhalo token create --role admin`).",
        "negative": "1 negative",
        "neutral": "2 neutral",
        "positive": "3 positive",
        "skip": "0 skip",
        "done": "This batch is done; reload the page for the next one.",
        "empty": "No posts to label.",
        "predicted": "model says",
        "confidence": "confidence",
        "label_negative": "negative",
        "label_neutral": "neutral",
        "label_positive": "positive",
        "reason_uncertain": "model least sure",
        "reason_negative": "likely negative",
        "reason_diverse": "for variety",
        "reason_rare-class": "a class you labelled little",
        "meta": "{at} / {total} · {predicted}: {label} ({confidence} {value}, {reason})",
        "rated": " · rated {stars}",
        "saved": "✓ {label} · {n} labelled",
        "skipped": "skipped the last post (no label stored) · {n} labelled",
        "failed": "could not save",
        "bad_token": "this token cannot save labels: enter an admin token (create one with "
        "`brandhalo token create --role admin`).",
        "slow_down": "too many saves at once: wait a second and retry.",
    },
}


class QueueItem(BaseModel):
    """A post to label, with the current model's label and why it was picked."""

    post_id: str
    text: str
    predicted: Literal["negative", "neutral", "positive"]
    confidence: float
    reason: Literal["uncertain", "negative", "diverse", "rare-class"]
    rating: float | None = None  # the star rating given with the post (a review's)


class LabelQueue(BaseModel):
    """Posts worth labelling next, and how many posts have a label already."""

    items: list[QueueItem]
    labelled: int


class LabelIn(BaseModel):
    """One post's overall sentiment label."""

    post_id: str = Field(min_length=1, max_length=512)
    label: Literal["negative", "neutral", "positive"]


class LabelOut(BaseModel):
    """The label was stored; how many posts have a label now."""

    post_id: str
    label: str
    labelled: int


def _count(ws: Workspace) -> int:
    return store_sentiment.count_labelled(ws.store.con)


def label_queue(ws: Workspace, n: int) -> LabelQueue:
    """The next `n` posts worth labelling (nothing to label: an empty queue)."""
    from brandhalo.errors import InputError
    from brandhalo.text.sentiment.active import workspace_candidates

    try:
        picks = workspace_candidates(ws, n, balance=True)  # leans as `brandhalo label` does
    except InputError:
        picks = []
    items = [QueueItem.model_validate(p, from_attributes=True) for p in picks]
    return LabelQueue(items=items, labelled=_count(ws))


def store_label(ws: Workspace, body: LabelIn) -> LabelOut:
    """Store one label (it replaces the post's earlier one)."""
    from brandhalo.errors import NotFoundError
    from brandhalo.text.sentiment.active import store_labels

    if not presence.post_exists(ws.store.con, body.post_id):
        raise NotFoundError(f"there is no post {body.post_id!r} in this workspace")
    store_labels(ws, [{"post_id": body.post_id, "label": body.label}])
    return LabelOut(post_id=body.post_id, label=body.label, labelled=_count(ws))


@api.get("/labels/queue", response_model=LabelQueue)
def queue(
    request: Request,
    token: Annotated[TokenInfo, Depends(require_read)],
    n: Annotated[int, Query(ge=1, le=500)] = QUEUE_SIZE,
) -> LabelQueue:
    """Posts worth labelling next: uncertain, likely negative and diverse ones."""
    st = state_of(request)
    st.wait_own_writes(OWN_WRITES_WAIT_S)  # the labeller reads their own labels
    return st.cached(("label-queue", n), label_queue, n)


@api.post("/labels", response_model=LabelOut, status_code=201)
def post_label(
    request: Request, token: Annotated[TokenInfo, Depends(require_admin)], body: LabelIn
) -> LabelOut:
    """Store a post's overall sentiment label (admin token); a new label replaces the old."""
    st = state_of(request)
    out = st.run(store_label, body)
    st.invalidate()
    return out


@pages.get("/label", response_class=HTMLResponse)
def label_page(request: Request) -> Response:
    """One post at a time; keys 1/2/3 label it negative/neutral/positive, 0 skips."""
    from brandhalo.web.pages import _token_in_query, page, page_lang

    if (redirect := _token_in_query(request)) is not None:
        return redirect
    require_read(request)
    lang = page_lang(request)
    tx = TEXT[lang]
    st = state_of(request)
    st.wait_own_writes(OWN_WRITES_WAIT_S)  # a reload shows the labels just saved
    data = st.cached(("label-queue", QUEUE_SIZE), label_queue, QUEUE_SIZE)
    context = {"tx": tx, "queue": {**data.model_dump(), "text": tx}}
    return page(request, "label.html", context, lang=lang, title=tx["title"], active="label")
