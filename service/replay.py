"""Replay (the auditors' tool): rebuild the annual assessment from position 0 into a fresh read model."""

import tempfile
from datetime import datetime
from pathlib import Path

from tqdm import tqdm

from domain.boards import GRADE_LABELS
from domain.village import TRACK_LABELS
from projections.bulk import OnePass
from projections.store import SQLiteViews

from .application import Leitai
from .config import Settings
from .wiring import read_models

COMPARED = ("village_id", "score", "rank", "grade", "months")


def replayed_assessment(settings: Settings, town_id, year: str, as_of: datetime | None = None,
                        rulebook: int | None = None, progress: bool = True) -> dict:
    """The assessment as a fresh read model built from every event (recorded before `as_of`) tells it."""
    with tempfile.TemporaryDirectory() as folder:
        done: dict[str, int] = {}

        def advance(name: str, position: int) -> None:
            bar.update(position - done.get(name, 0))
            done[name] = position

        app = Leitai(env=settings.event_store_env(), views=SQLiteViews(Path(folder) / "replay.sqlite"),
                     read_models=read_models(), as_of=as_of, on_progress=advance)
        head = app.recorder.max_notification_id() or 0
        bar = tqdm(total=head * len(read_models()), desc="重放事件 replaying", unit="ev", disable=not progress)
        OnePass(app, app.projector.store, list(app.projector.projections.values()), as_of, advance).run()
        bar.close()
        result = app.what_if_assessment(town_id, year, rulebook) if rulebook else app.annual_assessment(town_id, year)
        app.projector.store.close()
        app.close()
    return result


def rows_of(assessment: dict) -> list[tuple]:
    return [tuple(str(row.get(k)) for k in COMPARED) for track in sorted(assessment["tracks"])
            for row in assessment["tracks"][track]]


def same(left: dict, right: dict) -> bool:
    return rows_of(left) == rows_of(right) and left.get("rulebook_version") == right.get("rulebook_version")


def render(assessment: dict, title: str) -> str:
    """The assessment as a table with Chinese labels."""
    lines = [f"{title}  年度 {assessment['period']}  状态 {assessment['status']}  规则版本 v{assessment['rulebook_version']}",
             f"{'赛道':<6}{'排名':>4}  {'村代码':<8}{'村名':<10}{'年度得分':>8}{'月数':>5}  等次"]
    for track, rows in assessment["tracks"].items():
        for row in rows:
            lines.append(f"{TRACK_LABELS[track]:<6}{row['rank']:>4}  {row['code']:<8}{row['name']:<10}"
                         f"{row['score']:>10}{row['months']:>5}  {GRADE_LABELS[row['grade']]}")
    return "\n".join(lines)
