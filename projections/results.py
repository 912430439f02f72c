"""Contest results (比武结果): per contest and village, the latest published revision."""

import json
from decimal import Decimal
from functools import lru_cache

from domain.contest import Contest

from .base import Projection


class ContestResults(Projection):
    name = "contest_results"
    tables = {
        "contests": "contest_id TEXT PRIMARY KEY, town_id TEXT NOT NULL, month TEXT NOT NULL, "
                    "revision INTEGER NOT NULL, rulebook_version INTEGER, stage TEXT NOT NULL",
        "contest_results": "contest_id TEXT NOT NULL, village_id TEXT NOT NULL, track TEXT NOT NULL, "
                           "score TEXT, rank INTEGER, sheets TEXT NOT NULL, trimmed TEXT NOT NULL, "
                           "flags TEXT NOT NULL, PRIMARY KEY (contest_id, village_id)",
    }

    def handlers(self):
        return {Contest.Scheduled: self.scheduled, Contest.Published: self.published,
                Contest.Advanced: self.advanced, Contest.Cancelled: self.cancelled}

    def scheduled(self, cursor, event, position):
        cursor.execute("INSERT INTO contests (contest_id, town_id, month, revision, stage) VALUES (?, ?, ?, 0, 'scheduled')",
                       (str(event.originator_id), str(event.town_id), event.month))

    def advanced(self, cursor, event, position):
        cursor.execute("UPDATE contests SET stage = ? WHERE contest_id = ?", (event.stage, str(event.originator_id)))

    def cancelled(self, cursor, event, position):
        cursor.execute("UPDATE contests SET stage = 'cancelled' WHERE contest_id = ?", (str(event.originator_id),))

    def published(self, cursor, event, position):
        contest_id = str(event.originator_id)
        cursor.execute("UPDATE contests SET revision = ?, rulebook_version = ?, stage = 'published' WHERE contest_id = ?",
                       (event.revision, event.rulebook_version, contest_id))
        cursor.execute("DELETE FROM contest_results WHERE contest_id = ?", (contest_id,))
        cursor.executemany(
            "INSERT INTO contest_results (contest_id, village_id, track, score, rank, sheets, trimmed, flags) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(contest_id, r["village_id"], r["track"], none_or_str(r["score"]), r["rank"],
              json.dumps([{"judge_id": s["judge_id"], "total": str(s["total"])} for s in r["sheets"]]),
              json.dumps(r["trimmed"]), json.dumps(r["flags"])) for r in event.results])


def none_or_str(value) -> str | None:
    return None if value is None else str(value)


def read_results(store, contest_id: str) -> dict | None:
    """The latest revision, rows in track and rank order, figures as Decimals."""
    heads = store.query("SELECT revision, rulebook_version FROM contests WHERE contest_id = ?", (contest_id,))
    if not heads:
        return None
    rows = store.query("SELECT * FROM contest_results WHERE contest_id = ?", (contest_id,))
    results = sorted((decoded(row) for row in rows), key=lambda r: (r["track"], r["rank"] is None, r["rank"] or 0))
    return {**heads[0], "results": results}


def decoded(row: dict) -> dict:
    return {"village_id": row["village_id"], "track": row["track"],
            "score": None if row["score"] is None else Decimal(row["score"]), "rank": row["rank"],
            "sheets": [{"judge_id": s["judge_id"], "total": Decimal(s["total"])} for s in json.loads(row["sheets"])],
            "trimmed": json.loads(row["trimmed"]), "flags": json.loads(row["flags"])}


def month_scores(store, town_id: str, month: str) -> dict[str, dict]:
    """Each village's published contest score of a month, with the result's flags."""
    rows = store.query("SELECT r.village_id, r.score, r.flags FROM contest_results r "
                       "JOIN contests c ON c.contest_id = r.contest_id WHERE c.town_id = ? AND c.month = ?",
                       (town_id, month))
    return {row["village_id"]: {"score": None if row["score"] is None else Decimal(row["score"]),
                                "flags": list(flags_of(row["flags"]))} for row in rows}


@lru_cache(maxsize=256)
def flags_of(text: str) -> tuple[str, ...]:
    """A result's flags from their text, decoded once per distinct text: a month's thousand results have a few."""
    return tuple(json.loads(text))


def contests_of_month(store, town_id: str, month: str) -> list[dict]:
    return store.query("SELECT contest_id, stage FROM contests WHERE town_id = ? AND month = ? ORDER BY contest_id",
                       (town_id, month))


def contests_in_evaluation(store, town_id: str) -> list[str]:
    rows = store.query("SELECT contest_id FROM contests WHERE town_id = ? AND stage = 'evaluation'", (town_id,))
    return [row["contest_id"] for row in rows]
