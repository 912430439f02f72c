"""Duty-list totals and the recorded standings of every period: the inputs and outputs of the boards."""

import simplejson

from domain.duty import DutyList, duty_total
from domain.standings import Standings

from .base import Projection


class Assessment(Projection):
    name = "assessment"
    tables = {
        "duty": "list_id TEXT PRIMARY KEY, village_id TEXT NOT NULL, month TEXT NOT NULL, town_id TEXT NOT NULL, "
                "total TEXT NOT NULL, revision INTEGER NOT NULL",
        "standings": "standings_id TEXT PRIMARY KEY, town_id TEXT NOT NULL, period TEXT NOT NULL, "
                     "status TEXT NOT NULL, revision INTEGER NOT NULL, rulebook_version INTEGER, board TEXT NOT NULL",
    }
    indexes = {"duty_by_month": "duty (town_id, month)"}  # a close reads a town's month of totals, not every month
    overwritten = (DutyList.Revised,)  # a revision sets the list's total and revision, nothing else

    def handlers(self):
        return {DutyList.Recorded: self.duty_recorded, DutyList.Revised: self.duty_revised,
                Standings.Started: self.started, Standings.Closed: self.closed, Standings.Reopened: self.reopened}

    def duty_recorded(self, cursor, event, position):
        cursor.execute("INSERT INTO duty (list_id, village_id, month, town_id, total, revision) VALUES (?, ?, ?, ?, ?, 1)",
                       (str(event.originator_id), str(event.village_id), event.month, str(event.town_id),
                        str(duty_total(event.items))))

    def duty_revised(self, cursor, event, position):
        cursor.execute("UPDATE duty SET total = ?, revision = ? WHERE list_id = ?",
                       (str(duty_total(event.items)), event.revision, str(event.originator_id)))

    def started(self, cursor, event, position):
        cursor.execute("INSERT INTO standings (standings_id, town_id, period, status, revision, board) "
                       "VALUES (?, ?, ?, 'provisional', 0, '{}')",
                       (str(event.originator_id), str(event.town_id), event.period))

    def closed(self, cursor, event, position):
        cursor.execute("UPDATE standings SET status = 'closed', revision = ?, rulebook_version = ?, board = ? "
                       "WHERE standings_id = ?",
                       (event.revision, event.rulebook_version, simplejson.dumps(event.board, use_decimal=True),
                        str(event.originator_id)))

    def reopened(self, cursor, event, position):
        cursor.execute("UPDATE standings SET status = 'provisional' WHERE standings_id = ?", (str(event.originator_id),))


def duty_totals(store, town_id: str, month: str) -> dict[str, str]:
    rows = store.query("SELECT village_id, total FROM duty WHERE town_id = ? AND month = ?", (town_id, month))
    return {row["village_id"]: row["total"] for row in rows}


def recorded(store, town_id: str, period: str) -> dict | None:
    """The latest recorded standings of a period, with its board decoded (figures as Decimals)."""
    rows = store.query("SELECT status, revision, rulebook_version, board FROM standings WHERE town_id = ? AND period = ?",
                       (town_id, period))
    if not rows:
        return None
    return {**rows[0], "board": simplejson.loads(rows[0]["board"], use_decimal=True)}


def closed_periods(store, town_id: str, prefix: str) -> dict[str, dict]:
    """Every closed period of a town starting with `prefix` ("2023-" for the months of 2023)."""
    rows = store.query("SELECT period, revision, rulebook_version, board FROM standings "
                       "WHERE town_id = ? AND status = 'closed' AND period LIKE ? ORDER BY period",
                       (town_id, prefix + "%"))
    return {row["period"]: {**row, "board": simplejson.loads(row["board"], use_decimal=True)} for row in rows}


def last_closed_month(store, town_id: str, before: str, board: bool = True) -> dict | None:
    """The town's latest closed month before `before`: its period, revision and, unless `board` is False, its
    board, still as recorded text (decode it with `decoded_board`; a month's board is some 300 kB of text, 2 ms
    to read); None when there is none."""
    rows = store.query(f"SELECT period, revision{', board' if board else ''} FROM standings WHERE town_id = ? "
                       "AND status = 'closed' AND period LIKE ? AND period NOT LIKE ? AND period < ? "
                       "ORDER BY period DESC LIMIT 1", (town_id, "____-__", "%Q%", before))
    return rows[0] if rows else None


def decoded_board(text: str) -> dict:
    """A recorded board, figures as Decimals."""
    return simplejson.loads(text, use_decimal=True)


def month_statuses(store, town_id: str) -> dict[str, str]:
    """Each month that was ever closed, with its status now ("closed", or "provisional" once reopened)."""
    rows = store.query("SELECT period, status FROM standings WHERE town_id = ? AND period LIKE ? AND period NOT LIKE ? "
                       "ORDER BY period", (town_id, "____-__", "%Q%"))
    return {row["period"]: row["status"] for row in rows}
