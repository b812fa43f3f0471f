"""`ingest posts data` on a crawler's data folder (files only in data/<platform>/<format>/)
names the subfolders that hold files and says to pass them; an empty folder still says to
pass the files."""

from __future__ import annotations

from pathlib import Path

import pytest

from brandhalo.errors import InputError
from brandhalo.ingest.readers import folder_files


def test_a_crawler_data_folder_names_its_subfolders(tmp_path: Path) -> None:
    data = tmp_path / "data"
    for sub, names in {
        "weibo/json": ["search_contents_2025-05-20.json", "search_comments_2025-05-20.json"],
        "xhs/csv": ["search_contents_2025-05-20.csv"],
        "xhs/.cache": ["x.json"],
        "douyin/images": ["a.jpg"],
    }.items():
        (data / sub).mkdir(parents=True)
        for name in names:
            (data / sub / name).write_text("[]", encoding="utf-8")
    with pytest.raises(InputError) as err:
        folder_files(data)
    msg = str(err.value)
    assert f"{Path('weibo') / 'json'} (2 files), {Path('xhs') / 'csv'} (1 file)" in msg
    assert msg.endswith(f"{data / 'weibo' / 'json'} {data / 'xhs' / 'csv'}")
    assert ".cache" not in msg and "douyin" not in msg
    assert "pass those folders instead" in msg
    # the folders it names are read
    assert len(folder_files(data / "weibo" / "json")) == 2


def test_an_empty_folder_still_says_to_pass_the_files(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"pass the files, e\.g\."):
        folder_files(tmp_path / "empty")
