"""Common tweet-export headers map without --map: `TweetText`, `tweet_text`, `TweetId`,
`TweetDate` (the Sanders and SXSW brand-tweet sets needed --map text=TweetText, ...)."""

from __future__ import annotations

from brandhalo.ingest import ingest_files


def test_tweet_headers_are_read(tmp_ws, tmp_path) -> None:
    path = tmp_path / "tweets.csv"
    path.write_text(
        "Topic,Sentiment,TweetId,TweetDate,TweetText\n"
        'apple,negative,126415614616154112,Tue Oct 18 21:53:25 +0000 2011,"my iPhone died again"\n',
        encoding="utf-8",
    )
    report = ingest_files(tmp_ws, "posts", [path])
    assert report.files[0].inserted == 1, report
    row = tmp_ws.store.con.execute("SELECT post_id, text, created_at FROM posts").fetchone()
    assert row[0] == "126415614616154112" and row[1] == "my iPhone died again"
    assert str(row[2]).startswith("2011-10-18 21:53:25")
