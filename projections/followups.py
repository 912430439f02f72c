"""Pairings with their exchanges, and follow-ups with their delivery state."""

from domain.followup import FollowUp
from domain.pairing import Pairing

from .base import Projection
from .store import present


class FollowUps(Projection):
    name = "followups"
    tables = {
        "pairings": "pairing_id TEXT PRIMARY KEY, town_id TEXT NOT NULL, advanced_village_id TEXT NOT NULL, "
                    "lagging_village_id TEXT NOT NULL, from_month TEXT NOT NULL, dissolved_on TEXT",
        "exchanges": "pairing_id TEXT NOT NULL, position BIGINT PRIMARY KEY, date TEXT NOT NULL, mode TEXT NOT NULL",
        "followups": "followup_id TEXT PRIMARY KEY, town_id TEXT NOT NULL, kind TEXT NOT NULL, recipient TEXT NOT NULL, "
                     "subject TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL, issued_at TEXT NOT NULL, "
                     "about_id TEXT",
    }

    def handlers(self):
        return {Pairing.Formed: self.formed, Pairing.ExchangeRecorded: self.exchange, Pairing.Dissolved: self.dissolved,
                FollowUp.Issued: self.issued, FollowUp.Delivered: self.attempted, FollowUp.AttemptFailed: self.attempted}

    def formed(self, cursor, event, position):
        cursor.execute("INSERT INTO pairings (pairing_id, town_id, advanced_village_id, lagging_village_id, from_month) "
                       "VALUES (?, ?, ?, ?, ?)", (str(event.originator_id), str(event.town_id),
                                                  event.advanced_village_id, event.lagging_village_id, event.from_month))

    def exchange(self, cursor, event, position):
        cursor.execute("INSERT INTO exchanges (pairing_id, position, date, mode) VALUES (?, ?, ?, ?)",
                       (str(event.originator_id), position, event.date, event.mode))

    def dissolved(self, cursor, event, position):
        cursor.execute("UPDATE pairings SET dissolved_on = ? WHERE pairing_id = ?", (event.on, str(event.originator_id)))

    def issued(self, cursor, event, position):
        cursor.execute("INSERT INTO followups (followup_id, town_id, kind, recipient, subject, status, attempts, issued_at, "
                       "about_id) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)",
                       (str(event.originator_id), str(event.town_id), event.kind, event.recipient, event.subject,
                        event.timestamp.isoformat(), event.about_id and str(event.about_id)))

    def attempted(self, cursor, event, position):
        status = "delivered" if isinstance(event, FollowUp.Delivered) else "failed" if event.final else "pending"
        cursor.execute("UPDATE followups SET status = ?, attempts = ? WHERE followup_id = ?",
                       (status, event.attempt, str(event.originator_id)))


def pairings_in(store, town_id: str, month: str) -> list[dict]:
    """Pairings active in a month, each with its count of offline exchanges in that month."""
    rows = store.query("SELECT * FROM pairings WHERE town_id = ? AND from_month <= ? ORDER BY from_month, pairing_id",
                       (town_id, month))
    active = [r for r in rows if r["dissolved_on"] is None or month < r["dissolved_on"][:7]]
    counts = store.query("SELECT e.pairing_id, COUNT(*) AS n FROM exchanges e JOIN pairings p ON p.pairing_id = e.pairing_id "
                         "WHERE p.town_id = ? AND e.mode = 'offline' AND e.date LIKE ? GROUP BY e.pairing_id",
                         (town_id, month + "-%"))
    offline = {c["pairing_id"]: c["n"] for c in counts}
    return [{**r, "offline": offline.get(r["pairing_id"], 0)} for r in active]


def followups_of(store, town_id: str) -> list[dict]:
    """A town's follow-ups in the order issued, with the recipient's own account where one exists."""
    return store.query("SELECT f.*, a.account_id FROM followups f LEFT JOIN followup_accounts a "
                       "ON a.followup_id = f.followup_id WHERE f.town_id = ? ORDER BY f.issued_at, f.followup_id",
                       (town_id,))


def delivered_sharings(store, town_id: str) -> set[str]:
    rows = store.query("SELECT about_id FROM followups WHERE town_id = ? AND kind = 'sharing_invited' "
                       "AND status = 'delivered'", (town_id,))
    return {row["about_id"] for row in rows}


def followups_by_status(store) -> dict[str, int]:
    return {row["status"]: row["n"] for row in store.query("SELECT status, COUNT(*) AS n FROM followups GROUP BY status")}


def issued_followups(store, followup_ids: list[str]) -> set[str]:
    return present(store, "followups", "followup_id", followup_ids)
