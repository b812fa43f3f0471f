"""Why an answer leaves posts out: none stored yet, or some not analyzed yet.

One implementation for the command line (``metrics``, ``alerts``, ``campaigns`` print it on
stderr) and the dashboard (the API's notes, the pages' messages), in each report language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from brandhalo.workspace import Workspace

#: Some posts wait for ``brandhalo analyze``, by language; `command` is what to run (`bare`:
#: it without backticks; the zh sentence writes it between backticks, as other zh notes do).
_PENDING = {
    "zh": "{pending:,} 条帖子（共 {total:,} 条）尚未分析，不在此结果中：运行 `{bare}`。",
    "en": "{pending:,} of {total:,} posts are not analyzed yet and are left out of this answer: "
    "run {command}.",
}


def analysis_note(
    ws: Workspace,
    lang: str,
    *,
    analyzed_only: bool = True,
    command: str = "brandhalo analyze",
    counted: bool = False,
) -> str | None:
    """Why an answer leaves posts out, in `lang`: no posts yet, none analyzed, or some stored
    posts not analyzed yet; None when every post is analyzed.

    `analyzed_only`: the answer reads analyzed posts only (metrics, alerts, a post search by
    brand or origin); when False only "no posts yet" is a reason. `command`: how to run the
    analysis (the CLI names the workspace: ``brandhalo analyze -p ROOT``). `counted`: give
    the counts ("20 of 20 posts ...") also when no post is analyzed.
    """
    from brandhalo.report.i18n import labels, pick_lang

    lang = pick_lang(lang)
    return unanalyzed_note(
        ws,
        labels(lang),
        _PENDING[lang],
        analyzed_only=analyzed_only,
        command=command,
        counted=counted,
    )


def unanalyzed_note(
    ws: Workspace,
    lb: dict[str, str],
    pending: str,
    *,
    analyzed_only: bool = True,
    command: str = "brandhalo analyze",
    counted: bool = False,
) -> str | None:
    """:func:`analysis_note` with the labels `lb` and the sentence for some posts waiting,
    `pending` (``{pending}``, ``{total}``, ``{command}``): the report's alerts section says
    its own ("no alert counts them")."""
    total = ws.store.count("posts")
    if total == 0:
        return lb["why_no_posts"]
    done = ws.store.count("enriched") if analyzed_only else total
    if done == 0 and not counted:
        return lb["why_not_analyzed"]
    if done < total:
        # `bare`: the command without backticks, for a sentence that puts it in them
        bare = command.strip("`")
        return pending.format(pending=total - done, total=total, command=command, bare=bare)
    return None
