"""A narrow table names files so that two never read alike: MediaCrawler writes the same file
name for every platform (``xhs/csv/search_contents_2026-11-21.csv``,
``douyin/csv/search_contents_2026-11-21.csv``), which the 80-column quarantine showed twice as
``search_cont…-11-21.csv`` (session 26, walk-through 3). :func:`brandhalo.views.short_paths`
keeps the folder that tells them apart."""

from __future__ import annotations

import pytest

from brandhalo.views import short_paths

XHS = "exports/data/xhs/csv/search_contents_2026-11-21.csv"
DOUYIN = "exports/data/douyin/csv/search_contents_2026-11-21.csv"


@pytest.mark.parametrize("width", [18, 22, 30])
def test_same_names_in_platform_folders_stay_apart(width: int) -> None:
    got = short_paths([XHS, DOUYIN, XHS], width)
    assert set(got) == {XHS, DOUYIN}
    assert got[XHS] != got[DOUYIN]
    assert got[XHS].startswith("xhs/") and got[DOUYIN].startswith("douyin/")
    assert all(len(v) <= width for v in got.values())
    assert all(v.endswith(".csv") for v in got.values())


def test_a_name_alone_keeps_the_short_form() -> None:
    got = short_paths([XHS, "data/jd_reviews_soundlan_2026.csv", "b.csv"], 22)
    assert got[XHS] == "search_cont…-11-21.csv"  # one file of this name: no folder needed
    assert got["b.csv"] == "b.csv"
    assert got["data/jd_reviews_soundlan_2026.csv"] == "jd_reviews_…n_2026.csv"


def test_the_nearest_differing_folder_is_kept_whole_when_it_fits() -> None:
    got = short_paths(["run1/posts.csv", "run2/posts.csv", "a/run1/x/y.csv", "b/run1/x/y.csv"], 30)
    assert (got["run1/posts.csv"], got["run2/posts.csv"]) == ("run1/posts.csv", "run2/posts.csv")
    assert (got["a/run1/x/y.csv"], got["b/run1/x/y.csv"]) == ("a/…/y.csv", "b/…/y.csv")
