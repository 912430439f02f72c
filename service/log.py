"""The event log as auditors read it: the global feed and any entity's history."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from eventsourcing.postgres import PostgresApplicationRecorder

HIDDEN = {"originator_id", "originator_version", "timestamp", "by", "originator_topic"}


def plain(value):
    """Event data as JSON can carry it; Decimals stay exact."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def record(event, position: int) -> dict:
    return {"position": position, "entity_id": str(event.originator_id), "version": event.originator_version,
            "type": type(event).__qualname__, "at": event.timestamp.isoformat(),
            "actor": plain(getattr(event, "by", None)),
            "data": plain({k: v for k, v in vars(event).items() if k not in HIDDEN})}


def feed(app, after: int, limit: int) -> dict:
    notifications = app.recorder.select_notifications(start=after, limit=limit, inclusive_of_start=False)
    events = [record(app.mapper.to_domain_event(n), n.id) for n in notifications]
    return {"events": events, "next": events[-1]["position"] if events else after}


def history(app, entity_id: UUID) -> list[dict]:
    positions = positions_of(app.recorder, entity_id)
    events = app.events.get(entity_id)
    return [record(event, positions.get(event.originator_version)) for event in events]


def positions_of(recorder, entity_id: UUID) -> dict[int, int]:
    """Version -> position in the log; the recorders keep it as rowid or notification_id."""
    if isinstance(recorder, PostgresApplicationRecorder):
        statement = (f"SELECT originator_version AS v, notification_id AS p FROM {recorder.datastore.schema}."
                     f"{recorder.events_table_name} WHERE originator_id = %s")
        key = entity_id
    else:
        statement = f"SELECT originator_version AS v, rowid AS p FROM {recorder.events_table_name} WHERE originator_id = ?"
        key = entity_id.hex
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(statement, (key,))
        return {row["v"]: row["p"] for row in cursor.fetchall()}


def contest_history(app, contest) -> dict:
    """A contest's own events, and each sheet's versions side by side: who, when, why, marks before and after."""
    sheets = [app.find_sheet(contest.id, judge, village)
              for village in sorted(contest.participants, key=lambda v: contest.participants[v]["code"])
              for judge in contest.judges]
    return {"contest_id": contest.id, "events": history(app, contest.id),
            "sheets": [sheet_versions(app, sheet) for sheet in sheets if sheet is not None]}


def sheet_versions(app, sheet) -> dict:
    versions = [{"version": e["version"], "position": e["position"], "type": e["type"].split(".")[-1], "at": e["at"],
                 "actor": e["actor"], "reason": e["data"].get("reason"),
                 "before": marked(e["data"]["previous"]) if "previous" in e["data"] else None,
                 "after": marked(e["data"]["marks"])} for e in history(app, sheet.id)]
    return {"sheet_id": sheet.id, "judge_id": sheet.judge_id, "village_id": sheet.village_id, "versions": versions}


def marked(marks: dict) -> dict:
    return {"marks": marks, "total": sum((Decimal(str(v)) for v in marks.values()), Decimal(0))}
