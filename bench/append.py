"""append: sheets recorded per second through the Application, against raw sqlite3 inserts of the same rows."""

import sqlite3
from collections.abc import Callable
from pathlib import Path

from service.application import BOOTSTRAP_ID
from service.config import Settings
from service.wiring import build

from .measure import Row, interleaved, percent, rate
from .scene import panel

RAW_TABLE = ("CREATE TABLE IF NOT EXISTS stored_events (originator_id TEXT, originator_version INTEGER, topic TEXT, "
             "state BLOB, PRIMARY KEY (originator_id, originator_version))")


def stored_rows(app, after: int) -> list[tuple]:
    """What the subject's run wrote, as rows for the baseline to insert again."""
    notifications = app.recorder.select_notifications(start=after, limit=1_000_000, inclusive_of_start=False)
    return [(n.originator_id.hex, n.originator_version, n.topic, n.state) for n in notifications]


def raw_inserts(path: Path, rows: list[tuple], per_transaction: int) -> None:
    """One transaction per sheet (its rows), WAL, synchronous left at SQLite's default FULL like the app's store."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute(RAW_TABLE)
    for start in range(0, len(rows), per_transaction):
        connection.execute("BEGIN")
        for row in rows[start:start + per_transaction]:
            connection.execute("INSERT INTO stored_events VALUES (?, ?, ?, ?)", row)
        connection.execute("COMMIT")
    connection.close()


def appended(app, sheets: int, runs: int, insert_raw: Callable[[int, list[tuple]], None]) -> tuple[float, float]:
    """Sheets/s through the Application, run by run against `insert_raw(run, rows)` of the rows that run wrote."""
    scene = panel(app, sheets * runs + 20)
    for n, (contest, judge, village) in enumerate(scene.sheets[:10]):
        app.submit_sheet(contest, judge, village, scene.marks(n), BOOTSTRAP_ID)
    written = {}

    def subject(i: int) -> float:
        batch = scene.sheets[10 + i * sheets: 10 + (i + 1) * sheets]
        mark = app.recorder.max_notification_id()

        def submit():
            for n, (contest, judge, village) in enumerate(batch):
                app.submit_sheet(contest, judge, village, scene.marks(n), BOOTSTRAP_ID)
        figure = rate(len(batch), submit)
        written[i] = stored_rows(app, mark)
        return figure

    def baseline(i: int) -> float:
        rows = written[i]
        return rate(len(rows) // 2, lambda: insert_raw(i, rows))

    ours, theirs, _, _ = interleaved(runs, subject, baseline)
    app.projector.store.close()
    app.close()
    return ours, theirs


def run(folder: Path, sizes) -> list[Row]:
    app = build(Settings(data_dir=folder / "append"))
    sheets = sizes.append_sheets
    ours, theirs = appended(app, sheets, sizes.runs,
                            lambda i, rows: raw_inserts(folder / "append" / f"raw-{i}.sqlite", rows, 2))
    ratio = ours / theirs
    return [Row("append", "sheets/s through the Application (SQLite, FULL)", ours, theirs, "sheets/s", ratio,
                percent(ratio), ">= 60%", ratio >= 0.60, sizes.runs,
                note=f"{sheets} sheets a run, contests of 20 villages x 9 judges; a sheet is 2 events in one transaction; baseline: raw sqlite3, same rows")]
