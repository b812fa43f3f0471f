"""CLI output readable at 80 columns (issue 17): metric tables keep the columns that fit
instead of squeezing every cell to `L…`, `--wide` shows them all, `query` prints counts and
local times with the zone offset, not a raw dict."""

from __future__ import annotations

from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.cli._common import fit_columns, local_time


def _run(args: list[str], ws) -> str:
    got = CliRunner().invoke(app, [*args, "--project", str(ws.root)], env={"COLUMNS": "80"})
    assert got.exit_code == 0, got.output
    return got.output


def test_metric_table_fits_80_columns_and_wide_shows_all(demo_ws) -> None:
    ws, _ = demo_ws
    out = _run(["metrics", "net_sentiment", "--brand", "Xiaomi", "--freq", "month"], ws)
    assert "…" not in out and max(len(line) for line in out.splitlines()) <= 80
    assert "Xiaomi" in out and "2024-03-01" in out and "more columns" in out
    wide = _run(["metrics", "net_sentiment", "--brand", "Xiaomi", "--freq", "month", "--wide"], ws)
    assert "ns_high" in wide and "more columns" not in wide and "…" not in wide


def test_query_prints_counts_and_local_times(demo_ws) -> None:
    ws, _ = demo_ws
    out = _run(["query", "刹车 OR crash", "--limit", "2"], ws)
    assert "{" not in out.splitlines()[0] and "by source:" in out
    assert "+08:00" in out


def test_fit_and_local_time() -> None:
    assert fit_columns({"品牌": ["小米"], "wide": ["x" * 90], "n": ["1"]}, 40) == ["品牌", "n"]
    assert local_time("2025-03-29T14:00:00", "Asia/Shanghai", utc=True) == "2025-03-29 22:00 +08:00"
    assert local_time("2025-03-29T22:00:00", "Europe/Berlin") == "2025-03-29 22:00 +01:00"


def test_answers_before_analyze_say_so(tmp_path) -> None:
    """Ingested but not analyzed: metrics, alerts and campaigns say the posts are left out
    (they printed a blank line, "no alerts" and "no campaign clusters" as if nothing was
    wrong); after analyze they say nothing of it. An empty period is an error."""
    from brandhalo.workspace import init_workspace

    ws = init_workspace(tmp_path / "ws")
    ws.close()
    csv = tmp_path / "posts.csv"
    csv.write_text(
        "id,text,created_at\n"
        + "".join(
            f"p{i},小米汽车很好 {i},2025-03-0{1 + i % 5}T10:00:00+08:00\n" for i in range(20)
        ),
        encoding="utf-8",
    )
    runner = CliRunner()
    args = ["--project", str(ws.root)]
    assert runner.invoke(app, ["ingest", "posts", str(csv), *args]).exit_code == 0
    # metrics and alerts say it in the workspace's language (zh, session 28), campaigns in
    # English (its own words are English)
    for cmd, said in ((["metrics", "buzz"], "20 条帖子（共 20 条）尚未分析"),
                      (["alerts"], "20 条帖子（共 20 条）尚未分析"),
                      (["campaigns"], "20 of 20 posts are not analyzed yet")):  # fmt: skip
        got = runner.invoke(app, [*cmd, *args], env={"COLUMNS": "200"})
        assert got.exit_code == 0, got.output
        assert said in got.output, (cmd, got.output)
        assert "brandhalo analyze" in got.output
    assert runner.invoke(app, ["analyze", *args]).exit_code == 0
    got = runner.invoke(app, ["metrics", "buzz", *args], env={"COLUMNS": "200"})
    assert got.exit_code == 0 and "not analyzed" not in got.output and "buzz" in got.output
    # no campaign: say where copy-paste clusters are (--all), which a user would not guess
    got = runner.invoke(app, ["campaigns", *args], env={"COLUMNS": "200"})
    assert "no campaign clusters (--all also lists copy-paste clusters" in got.output
    assert "--all also" not in runner.invoke(app, ["campaigns", "--all", *args]).output
    empty = ["--since", "2025-05-01", "--until", "2025-03-01", *args]
    for cmd in (["metrics", "buzz"], ["campaigns"], ["report"]):
        got = runner.invoke(app, [*cmd, *empty])
        assert got.exit_code != 0
        assert "--since 2025-05-01 is after --until 2025-03-01" in got.output + str(
            got.exception
        ), (cmd, got.output)


def test_data_shorter_than_the_baseline_says_why_there_is_no_alert(tmp_path) -> None:
    """12 days of posts with a complaint burst on the last one: no day has the 14 days of
    history a young series needs (session 25; 28 for a whole baseline), and analyze, alerts and
    the report say so instead of a bare "no alerts"."""
    from brandhalo.analytics.episodes import history_gap
    from brandhalo.workspace import Workspace, init_workspace

    ws = init_workspace(tmp_path / "ws")
    ws.close()
    rows = [f"p{d}-{i},小米汽车很好 {d} {i},2025-04-{1 + d:02d}T10:00:00+08:00"
            for d in range(12) for i in range(5)]  # fmt: skip
    rows += [f"b{i},小米汽车刹车失灵太差了 {i},2025-04-12T12:00:00+08:00" for i in range(40)]
    csv = tmp_path / "posts.csv"
    csv.write_text("id,text,created_at\n" + "\n".join(rows) + "\n", encoding="utf-8")
    runner, args = CliRunner(), ["--project", str(ws.root)]
    assert runner.invoke(app, ["ingest", "posts", str(csv), *args]).exit_code == 0
    analyzed = runner.invoke(app, ["analyze", *args], env={"COLUMNS": "200"})
    assert analyzed.exit_code == 0, analyzed.output
    why = "the posts cover 12 days (2025-04-01 to 2025-04-12)"
    assert why in analyzed.output and "days from 2025-04-15 on can alert" in analyzed.output
    got = runner.invoke(app, ["alerts", *args], env={"COLUMNS": "200"})
    assert got.exit_code == 0 and "暂无预警。" in got.output  # zh workspace: the note in Chinese
    assert "现有帖子只覆盖 2025-04-01 至 2025-04-12" in got.output and why not in got.output
    got = runner.invoke(app, ["alerts", "--lang", "en", *args], env={"COLUMNS": "200"})
    assert got.exit_code == 0 and "No alerts." in got.output and why in got.output
    out = tmp_path / "r.html"
    assert runner.invoke(app, ["report", "--lang", "en", "--out", str(out), *args]).exit_code == 0
    assert "so no day has that history yet" in out.read_text(encoding="utf-8")
    with Workspace.open(ws.root) as w:
        gap = history_gap(w)
        assert gap is not None and (gap.days, gap.need) == (12, 28)
