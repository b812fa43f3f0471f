"""A CLI error keeps a long path on one line at 80 columns, so it can be copied."""

from __future__ import annotations

import os
import subprocess


def test_a_long_path_in_an_error_is_not_broken(tmp_path):
    deep = tmp_path / ("很长的文件夹名字-" * 6) / "another-long-folder-name-for-the-workspace"
    env = {**os.environ, "COLUMNS": "80"}
    res = subprocess.run(
        ["brandhalo", "metrics", "buzz", "--project", str(deep)],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert res.returncode != 0
    assert str(deep) in res.stderr.replace("\n", "") and str(deep) in res.stderr, res.stderr
