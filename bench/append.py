"""append: sheets recorded per second through the Application, against raw sqlite3 inserts of the same rows."""

import sqlite3
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from eventsourcing.domain import Aggregate, event

from domain.contest import Contest
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


class Note(Aggregate):
    """A stand-in for a contest and its new sheet in the floor: eventsourcing's save and nothing of ours."""

    def __init__(self, text: str):
        self.text = text

    @event("Noted")
    def note(self, text: str) -> None:
        self.text = text


@dataclass
class Appended:
    """Sheets/s through the Application and of the baseline, and the floors measured beside them."""

    ours: float
    theirs: float
    save_floor: float  # Leitai.save of two events made beforehand: one aggregate created, one changed
    insert_floor: float  # the recorder's insert of two stored events, already encoded
    read_floor: float  # a cached contest read, nothing new to fast-forward

    @property
    def save_and_read(self) -> float:
        """Sheets/s if a sheet did nothing but those two: read its contest, save two events made beforehand."""
        return 1 / (1 / self.save_floor + 1 / self.read_floor)

    def note(self) -> str:
        return (f"floors, same runs: the Application's save of two events made beforehand (an aggregate created, "
                f"another changed) {self.save_floor:,.0f}/s = {self.save_floor / self.theirs:.0%} of the baseline; "
                f"the event store's recorder inserting two encoded events {self.insert_floor:,.0f}/s = "
                f"{self.insert_floor / self.theirs:.0%}; a cached contest read (its fast-forward query, nothing new) "
                f"{self.read_floor:,.0f}/s; that read and the save alone {self.save_and_read:,.0f}/s = "
                f"{self.save_and_read / self.theirs:.0%}")

    def extra(self) -> dict:
        return {"save_floor_ratio": self.save_floor / self.theirs, "insert_floor_ratio": self.insert_floor / self.theirs,
                "save_and_read_ratio": self.save_and_read / self.theirs}


def floors(app, sheets: int, rows: list[tuple], contests: list) -> tuple[float, float, float]:
    """What eventsourcing costs with no work of ours: the save of pending events, the recorder's insert of stored
    ones, the read of a cached contest."""
    text = "x" * (sum(len(row[3]) for row in rows) // max(1, len(rows)))
    changed = [Note(text) for _ in range(sheets)]
    app.save(*changed)
    for note in changed:
        note.note(text)
    created = [Note(text) for _ in range(sheets)]
    save_floor = rate(sheets, lambda: [app.save(c, n) for c, n in zip(changed, created)])
    stored = [app.mapper.to_stored_event(e) for note in (Note(text) for _ in range(2 * sheets)) for e in note.collect_events()]
    insert_floor = rate(sheets, lambda: [app.recorder.insert_events(stored[i:i + 2]) for i in range(0, len(stored), 2)])
    read_floor = rate(sheets, lambda: [app.read(Contest, contests[n % len(contests)]) for n in range(sheets)])
    return save_floor, insert_floor, read_floor


def appended(app, sheets: int, runs: int, insert_raw: Callable[[int, list[tuple]], None]) -> Appended:
    """Sheets/s through the Application, run by run against `insert_raw(run, rows)` of the rows that run wrote,
    and eventsourcing's own floors in between."""
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

    found = []

    def baseline(i: int) -> float:
        rows = written[i]
        found.append(floors(app, sheets, rows, sorted({contest for contest, _, _ in scene.sheets})))
        return rate(len(rows) // 2, lambda: insert_raw(i, rows))

    ours, theirs, _, _ = interleaved(runs, subject, baseline)
    app.projector.store.close()
    app.close()
    return Appended(ours, theirs, *(statistics.median(f[n] for f in found) for n in range(3)))


def run(folder: Path, sizes) -> list[Row]:
    app = build(Settings(data_dir=folder / "append"))
    sheets = sizes.append_sheets
    found = appended(app, sheets, sizes.runs,
                     lambda i, rows: raw_inserts(folder / "append" / f"raw-{i}.sqlite", rows, 2))
    ratio = found.ours / found.theirs
    return [Row("append", "sheets/s through the Application (SQLite, FULL)", found.ours, found.theirs, "sheets/s", ratio,
                percent(ratio), ">= 60%", ratio >= 0.60, sizes.runs,
                note=f"{sheets} sheets a run, contests of 20 villages x 9 judges; a sheet is 2 events in one transaction; "
                     f"baseline: raw sqlite3, same rows; {found.note()}", extra=found.extra())]
