"""People and their process: secretaries' tenure, accounts by village, and appeals by month."""

from domain.account import Account
from domain.contest import Contest
from domain.followup import FollowUp
from domain.village import Village, secretary_on

from .base import Projection


class People(Projection):
    name = "people"
    tables = {
        "tenures": "village_id TEXT NOT NULL, name TEXT NOT NULL, since TEXT",
        "accounts": "account_id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, village_id TEXT, "
                    "disabled INTEGER NOT NULL",
        "appeals": "appeal_id TEXT PRIMARY KEY, contest_id TEXT NOT NULL, town_id TEXT NOT NULL, month TEXT NOT NULL, "
                   "village_id TEXT NOT NULL, status TEXT NOT NULL",
        "appeal_contests": "contest_id TEXT PRIMARY KEY, town_id TEXT NOT NULL, month TEXT NOT NULL",
        "followup_accounts": "followup_id TEXT PRIMARY KEY, account_id TEXT NOT NULL",
    }
    indexes = {"tenures_by_village": "tenures (village_id)"}

    def handlers(self):
        return {Village.Registered: self.registered, Village.SecretaryChanged: self.secretary_changed,
                Account.Opened: self.opened, Account.Disabled: self.disabled,
                Contest.Scheduled: self.scheduled, Contest.AppealLodged: self.lodged,
                Contest.AppealResolved: self.resolved, FollowUp.Issued: self.issued}

    def registered(self, cursor, event, position):
        cursor.execute("INSERT INTO tenures (village_id, name, since) VALUES (?, ?, NULL)",
                       (str(event.originator_id), event.secretary))

    def secretary_changed(self, cursor, event, position):
        cursor.execute("INSERT INTO tenures (village_id, name, since) VALUES (?, ?, ?)",
                       (str(event.originator_id), event.name, event.since))

    def opened(self, cursor, event, position):
        village_id = None if event.village_id is None else str(event.village_id)
        cursor.execute("INSERT INTO accounts (account_id, name, role, village_id, disabled) VALUES (?, ?, ?, ?, 0)",
                       (str(event.originator_id), event.name, event.role, village_id))

    def disabled(self, cursor, event, position):
        cursor.execute("UPDATE accounts SET disabled = 1 WHERE account_id = ?", (str(event.originator_id),))

    def scheduled(self, cursor, event, position):
        cursor.execute("INSERT INTO appeal_contests (contest_id, town_id, month) VALUES (?, ?, ?)",
                       (str(event.originator_id), str(event.town_id), event.month))

    def lodged(self, cursor, event, position):
        contest = cursor.execute("SELECT town_id, month FROM appeal_contests WHERE contest_id = ?",
                                 (str(event.originator_id),)).one()
        cursor.execute("INSERT INTO appeals (appeal_id, contest_id, town_id, month, village_id, status) "
                       "VALUES (?, ?, ?, ?, ?, 'open')",
                       (event.appeal_id, str(event.originator_id), contest["town_id"], contest["month"], event.village_id))

    def issued(self, cursor, event, position):
        if getattr(event, "account_id", None):
            cursor.execute("INSERT INTO followup_accounts (followup_id, account_id) VALUES (?, ?)",
                           (str(event.originator_id), event.account_id))

    def resolved(self, cursor, event, position):
        cursor.execute("UPDATE appeals SET status = ? WHERE appeal_id = ?", (event.outcome, event.appeal_id))


def secretaries_on(store, town_id: str, day: str) -> dict[str, dict]:
    """Each village's secretary in office on `day`, with their own active account where one exists.

    A secretary's account is the active secretary account of the village opened in that secretary's name.
    """
    tenures: dict[str, list[dict]] = {}
    for row in store.query("SELECT t.village_id, t.name, t.since FROM tenures t JOIN villages v ON v.village_id = t.village_id "
                           "WHERE v.town_id = ?", (town_id,)):
        tenures.setdefault(row["village_id"], []).append(row)
    accounts = {(row["village_id"], row["name"]): row["account_id"] for row in store.query(
        "SELECT a.account_id, a.village_id, a.name FROM accounts a JOIN villages v ON v.village_id = a.village_id "
        "WHERE v.town_id = ? AND a.role = 'secretary' AND a.disabled = 0", (town_id,))}
    found = {}
    for village_id, rows in tenures.items():
        name = secretary_on(sorted(rows, key=lambda r: (r["since"] is not None, r["since"] or "")), day)
        found[village_id] = {"secretary": name, "account_id": accounts.get((village_id, name))}
    return found


def open_appeals(store, town_id: str, month: str) -> list[str]:
    rows = store.query("SELECT appeal_id FROM appeals WHERE town_id = ? AND month = ? AND status = 'open' "
                       "ORDER BY appeal_id", (town_id, month))
    return [row["appeal_id"] for row in rows]


def appeal_contest(store, appeal_id: str) -> str | None:
    rows = store.query("SELECT contest_id FROM appeals WHERE appeal_id = ?", (appeal_id,))
    return rows[0]["contest_id"] if rows else None

