"""Interviews (约谈) and sharing invitations (经验分享) as lists to filter."""

from domain.consequences import Interview, Sharing

from .base import Projection
from .store import present


class Consequences(Projection):
    name = "consequences"
    tables = {
        "interviews": "interview_id TEXT PRIMARY KEY, town_id TEXT NOT NULL, village_id TEXT NOT NULL, "
                      "secretary TEXT NOT NULL, track TEXT NOT NULL, level TEXT NOT NULL, period TEXT NOT NULL, "
                      "conductor TEXT NOT NULL, status TEXT NOT NULL, rank INTEGER, score TEXT, required_at TEXT NOT NULL",
        "sharings": "sharing_id TEXT PRIMARY KEY, town_id TEXT NOT NULL, village_id TEXT NOT NULL, "
                    "period TEXT NOT NULL, reason TEXT NOT NULL, status TEXT NOT NULL",
    }

    def handlers(self):
        return {Interview.Required: self.required, Interview.RequiredAgain: self.required_again,
                Interview.Withdrawn: self.interview_status("withdrawn"),
                Interview.Scheduled: self.interview_status("scheduled"),
                Interview.Held: self.interview_status("held"), Interview.Waived: self.interview_status("waived"),
                Sharing.Invited: self.invited, Sharing.InvitedAgain: self.invited_again,
                Sharing.Withdrawn: self.sharing_withdrawn, Sharing.Held: self.sharing_held}

    def required(self, cursor, event, position):
        cursor.execute(
            "INSERT INTO interviews (interview_id, town_id, village_id, secretary, track, level, period, conductor, "
            "status, rank, score, required_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'required', ?, ?, ?)",
            (str(event.originator_id), str(event.town_id), event.village_id, event.secretary, event.track,
             event.level, event.period, Interview.conductor_for(event.level), event.rank, str(event.score),
             event.timestamp.isoformat()))

    def required_again(self, cursor, event, position):
        cursor.execute("UPDATE interviews SET status = 'required', rank = ?, score = ?, required_at = ? "
                       "WHERE interview_id = ?",
                       (event.rank, str(event.score), event.timestamp.isoformat(), str(event.originator_id)))

    def interview_status(self, status: str):
        def update(cursor, event, position):
            cursor.execute("UPDATE interviews SET status = ? WHERE interview_id = ?", (status, str(event.originator_id)))
        return update

    def invited(self, cursor, event, position):
        cursor.execute("INSERT INTO sharings (sharing_id, town_id, village_id, period, reason, status) "
                       "VALUES (?, ?, ?, ?, ?, 'invited')",
                       (str(event.originator_id), str(event.town_id), event.village_id, event.period, event.reason))

    def invited_again(self, cursor, event, position):
        cursor.execute("UPDATE sharings SET status = 'invited', reason = ? WHERE sharing_id = ?",
                       (event.reason, str(event.originator_id)))

    def sharing_held(self, cursor, event, position):
        cursor.execute("UPDATE sharings SET status = 'held' WHERE sharing_id = ?", (str(event.originator_id),))

    def sharing_withdrawn(self, cursor, event, position):
        cursor.execute("UPDATE sharings SET status = 'withdrawn' WHERE sharing_id = ?", (str(event.originator_id),))


def interviews_of(store, town_id: str) -> list[dict]:
    return store.query("SELECT * FROM interviews WHERE town_id = ? ORDER BY period, level, track, rank", (town_id,))


def open_interviews(store, town_id: str) -> list[dict]:
    return store.query("SELECT * FROM interviews WHERE town_id = ? AND status IN ('required', 'scheduled')", (town_id,))


def sharings_of(store, town_id: str) -> list[dict]:
    return store.query("SELECT * FROM sharings WHERE town_id = ? ORDER BY period, reason, village_id", (town_id,))


def recorded_interviews(store, interview_ids: list[str]) -> set[str]:
    return present(store, "interviews", "interview_id", interview_ids)


def recorded_sharings(store, sharing_ids: list[str]) -> set[str]:
    return present(store, "sharings", "sharing_id", sharing_ids)
