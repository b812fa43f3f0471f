"""Repeated ``--map`` options add up; ``A+B`` joins columns into the text; the 口碑 exports of
懂车帝 and 汽车之家 and Judge.me's review export are read by presets.

A walk-through's ``--map created_at=review_date --map product=product_handle`` lost the first
option (typer kept the last: "required posts column 'created_at' is missing"); 口碑 reviews hold
their text in two columns (满意, 不满意) and Amazon/Judge.me reviews in title + body, which
could not be read as one text.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from brandhalo.errors import InputError
from brandhalo.ingest import ingest_files
from brandhalo.ingest.validate import parse_mapping
from brandhalo.workspace import Workspace

BRANDHALO = [sys.executable, "-c", "from brandhalo.cli import main; main()"]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*BRANDHALO, *args], capture_output=True, text=True, timeout=180)


def _rows(ws: Workspace, cols: str = "text") -> list[tuple]:
    return ws.store.con.execute(f"SELECT {cols} FROM posts ORDER BY line").fetchall()


def test_repeated_map_options_add_up_on_the_command_line(tmp_ws, tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    path.write_text(
        "review_date,comment,product_handle\n"
        "2026-03-01 21:10:24 UTC,sheets pilled after one wash,cloud-percale-sheet-set\n"
        "2026-03-03 03:25:49 UTC,worth every penny,bamboo-pajama-set\n",
        encoding="utf-8",
    )
    root = str(tmp_ws.root)
    tmp_ws.close()
    out = _cli(
        "ingest", "posts", str(path), "--map", "created_at=review_date",
        "--map", "product=product_handle", "--map", "text=comment", "-p", root, "--json",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    (f,) = json.loads(out.stdout)["files"]
    assert (f["status"], f["inserted"]) == ("done", 2)
    assert f["columns"] == {
        "text": "comment", "created_at": "review_date", "product": "product_handle"
    }  # fmt: skip
    clash = _cli(
        "ingest", "posts", str(path), "--map", "text=comment,created_at=review_date",
        "--map", "created_at=product_handle", "-p", root,
    )  # fmt: skip
    assert clash.returncode != 0
    said = " ".join(clash.stderr.split())
    assert "maps created_at twice, to 'review_date' and to 'product_handle'" in said
    with Workspace.open(root) as ws:
        assert _rows(ws, "product_hint") == [
            ("cloud-percale-sheet-set",), ("bamboo-pajama-set",)
        ]  # fmt: skip
        stamp = ws.store.con.execute("SELECT min(created_at) FROM posts").fetchall()[0][0]
        assert stamp == dt.datetime(2026, 3, 1, 21, 10, 24)  # UTC, as written


def test_parse_mapping_merges_a_list_and_refuses_a_column_mapped_twice() -> None:
    assert parse_mapping(["created_at=review_date", "product=product_handle,text=body"]) == {
        "created_at": "review_date",
        "product": "product_handle",
        "text": "body",
    }
    assert parse_mapping(["text=body", "text=body"]) == {"text": "body"}  # the same twice
    with pytest.raises(InputError, match=r"--map \"text=title\+body\""):
        parse_mapping("text=title,text=body")


def test_a_plus_joins_columns_into_the_text(tmp_ws, tmp_path: Path) -> None:
    path = tmp_path / "koubei.csv"
    path.write_text(
        "编号,用户,优点,缺点,时间\n"
        "1,爱吃小周,智驾很强。推荐,车身太大不好停,2025-06-03 15:26\n"
        "2,路过的橘猫,,交付等了三个月,2025-06-04 15:31\n"
        "3,不吃阿may,续航扎实,,2025-06-04 22:26\n",
        encoding="utf-8",
    )
    f = ingest_files(
        tmp_ws, "posts", [path], mapping="id=编号,text=优点+缺点,author_name=用户,created_at=时间"
    ).files[0]
    assert (f.inserted, f.quarantined) == (3, 0)
    assert _rows(tmp_ws) == [("智驾很强。推荐\n车身太大不好停",), ("交付等了三个月",), ("续航扎实",)]
    assert f.unread_columns == []  # the joined columns count as read
    with pytest.raises(InputError, match="has no column '差评'"):
        ingest_files(tmp_ws, "posts", [path], mapping="text=优点+差评,created_at=时间")


def test_title_plus_body_and_a_column_named_with_a_plus(tmp_ws, tmp_path: Path) -> None:
    path = tmp_path / "amazon.csv"
    path.write_text(
        "Review title,Review text,Date,C+\n"
        "Pilled fast,Sheets pilled after one wash.,2026-03-01 10:00,x\n",
        encoding="utf-8",
    )
    ingest_files(tmp_ws, "posts", [path], mapping="text=Review title + Review text")
    assert _rows(tmp_ws) == [("Pilled fast\nSheets pilled after one wash.",)]
    other = tmp_path / "plus.csv"
    other.write_text("a+b,time\nwhole column,2026-03-02 10:00\n", encoding="utf-8")
    ingest_files(tmp_ws, "posts", [other], mapping="text=a+b")  # the column itself
    assert ("whole column",) in _rows(tmp_ws)


def _dongchedi_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "口碑"
    ws.append(["懂车帝口碑导出（曜岚竞品监测）"])  # a title row above the header
    ws.append(["口碑ID", "用户名", "车系", "车型", "购车时间", "购车地点", "裸车价(万)", "评分",
               "满意", "不满意", "发表时间", "点赞数"])  # fmt: skip
    ws.append(["903974", "爱吃小周", "问界", "问界M9", "2025-06", "江苏", 45.45, 5,
               "智驾很强。推荐", "车身太大不好停", dt.datetime(2025, 6, 3, 15, 26), 3])  # fmt: skip
    ws.append(["910790", "不吃阿may", "曜岚S9", "2025款 Max", "2025-06", "重庆", 39.31, 2,
               "", "交付拖了两个月", dt.datetime(2025, 6, 4, 22, 26), 154])  # fmt: skip
    wb.save(path)
    return path


def test_the_dongchedi_koubei_preset(tmp_ws, tmp_path: Path) -> None:
    path = _dongchedi_xlsx(tmp_path / "dongchedi_koubei_2026-12.xlsx")
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.preset, f.inserted, f.quarantined) == ("dongchedi-koubei", 2, 0)
    assert _rows(tmp_ws, "post_id, source, author_name, text, product_hint, rating, likes") == [
        ("903974", "dongchedi", "爱吃小周", "智驾很强。推荐\n车身太大不好停", "问界M9", 5.0, 3),
        ("910790", "dongchedi", "不吃阿may", "交付拖了两个月", "曜岚S9 2025款 Max", 2.0, 154),
    ]
    # a --map overrides the preset's text (one half alone)
    again = ingest_files(tmp_ws, "posts", [path], mapping="text=满意").files[0]
    assert again.status == "done"
    assert _rows(tmp_ws, "post_id, text") == [("903974", "智驾很强。推荐")]


def test_the_autohome_koubei_preset(tmp_ws, tmp_path: Path) -> None:
    path = tmp_path / "autohome.csv"
    path.write_text(
        "用户名,发表日期,口碑标题,综合口碑,车型,行驶里程,裸车购买价,购买时间,购买地点,最满意,"
        "最不满意,来源链接\n"
        "车主甲,2025-07-01,理想L6开了三个月,4.5,理想L6 2025款 Max,3000公里,24.98万,2025-04,"
        "成都,空间大,车机偶尔卡顿,https://k.autohome.com.cn/detail/view_1.html\n",
        encoding="utf-8",
    )
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.preset, f.inserted) == ("autohome-koubei", 1)
    assert _rows(tmp_ws, "source, text, rating, product_hint, url") == [
        ("autohome", "理想L6开了三个月\n空间大\n车机偶尔卡顿", 4.5, "理想L6 2025款 Max",
         "https://k.autohome.com.cn/detail/view_1.html"),
    ]  # fmt: skip


def test_the_judgeme_preset(tmp_ws, tmp_path: Path) -> None:
    path = tmp_path / "judgeme_reviews_export.csv"
    path.write_text(
        "title,body,rating,review_date,source,curated,reviewer_name,reviewer_email,product_id,"
        "product_handle,reply,reply_date,picture_urls,ip_address,location\n"
        "So the northloom bamboo pajama set is worth every penny. bre,\"so the Northloom "
        "Bamboo Pajama Set is worth every penny. breathable, cool\",5,2026-03-03 03:25:49 UTC,"
        "web,ok,Mike E.,mike30@example.com,8123400003,bamboo-pajama-set,,,,,CA\n"
        "Pilled after one wash,the sheets pilled after one wash,1,2026-03-04 19:17:49 UTC,web,"
        "ok,Lee B.,lee58@example.com,8123400001,cloud-percale-sheet-set,,,,,US\n",
        encoding="utf-8",
    )
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.preset, f.inserted, f.quarantined) == ("judgeme", 2, 0)
    assert _rows(tmp_ws, "source, author_name, author_id, text, rating, product_hint") == [
        ("judgeme", "Mike E.", None,
         "so the Northloom Bamboo Pajama Set is worth every penny. breathable, cool", 5.0,
         "bamboo-pajama-set"),
        ("judgeme", "Lee B.", None, "Pilled after one wash\nthe sheets pilled after one wash",
         1.0, "cloud-percale-sheet-set"),
    ]  # fmt: skip
    stamp = tmp_ws.store.con.execute("SELECT max(created_at) FROM posts").fetchall()[0][0]
    assert stamp == dt.datetime(2026, 3, 4, 19, 17, 49)
