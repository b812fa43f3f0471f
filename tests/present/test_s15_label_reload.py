"""A reload of the labelling page right after labelling shows the labels just saved.

Writes of the server are published for readers in batches (at most one publish per
``publish_every_s``); the queue read the snapshot before the last labels were in it, so a reload
showed a lower "n labelled" and offered the posts just labelled again.
"""

from __future__ import annotations

from pathlib import Path

from label_helpers import label_workspace


def test_the_queue_right_after_labelling_counts_the_new_labels(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app

    root = tmp_path / "ws"
    read, admin = label_workspace(root, posts=30, seed=5)
    app = create_app(root, publish_every_s=2.0)  # the second label waits for its batch
    with TestClient(app, headers={"authorization": f"Bearer {read}"}) as client:
        items = client.get("/api/labels/queue").json()["items"]
        first, second = items[0]["post_id"], items[1]["post_id"]
        for post_id, label in ((first, "negative"), (second, "positive")):
            saved = client.post(
                "/api/labels", json={"post_id": post_id, "label": label},
                headers={"authorization": f"Bearer {admin}"},
            )  # fmt: skip
            assert saved.status_code == 201, saved.text
        queue = client.get("/api/labels/queue").json()
        assert queue["labelled"] == 2
        assert {first, second}.isdisjoint(i["post_id"] for i in queue["items"])
        page = client.get("/label?lang=en")
        assert page.status_code == 200
        assert '"labelled": 2' in page.text or '"labelled":2' in page.text, page.text[-2000:]
