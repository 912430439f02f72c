"""The SQLite event store: commits leave the WAL checkpoint to a thread of the process."""

import threading
import uuid

from domain.followup import FollowUp
from service.config import Settings
from service.eventstore import BACKSTOP_PAGES
from service.wiring import build

from .helpers import wait_for


def notices(count: int) -> list[FollowUp]:
    town, by = uuid.uuid4(), uuid.uuid4()
    return [FollowUp(key=f"checkpoint:{n}:{uuid.uuid4()}", town_id=town, kind="sheets_pending", recipient="评委",
                     subject="待评分提醒", body="您还有评分表未提交。" * 20, about_id=None, by=by)
            for n in range(count)]


def test_a_commit_appends_to_the_log_and_the_checkpointer_copies_it_back(tmp_path):
    app = build(Settings(data_dir=tmp_path))
    database = tmp_path / "events.sqlite"
    try:
        with app.recorder.datastore.transaction(commit=True) as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint")
            assert cursor.fetchone()[0] == BACKSTOP_PAGES  # not SQLite's 1,000 pages, inside the commit
        size = database.stat().st_size
        app.save(*notices(3000))  # about 1,050 pages (4 MB) of log in one commit

        assert "wal-checkpoint" in [thread.name for thread in threading.enumerate()]
        assert wait_for(lambda: database.stat().st_size > size + 3_000_000, seconds=10)
        assert len(app.recorder.select_notifications(start=1, limit=10_000)) >= 3000
    finally:
        app.projector.store.close()
        app.close()
