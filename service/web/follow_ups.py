"""The town's follow-ups: interviews (约谈) with their minutes, sharings, and pairings (结对) month by month."""

from uuid import UUID

from flask import g, render_template, request

from domain.consequences import LEVEL_LABELS
from domain.pairing import Pairing
from domain.periods import months_of_year, previous_month
from domain.town import Town

from .. import log as event_log
from ..policy import allowed
from .blueprint import blp, leitai, names_of
from .labels import INTERVIEW_LABELS
from .months import asked_month, closed_months, next_month


@blp.route("/towns/<uuid:town_id>/interviews")
def interviews(town_id: UUID):
    """Every interview, or those of one status (`overdue`: required or scheduled and past the rulebook's days)."""
    everyone = leitai().interviews(town_id, None, None)
    shown = request.args.get("status")
    found = [i for i in everyone if has_status(i, shown)]
    counts = {key: sum(has_status(i, key) for i in everyone) for key in [None, *INTERVIEW_LABELS, "overdue"]}
    minutes = {}
    if allowed(g.viewer, "read_history"):  # the minutes are kept only in the interview's history
        minutes = {i["id"]: held(i["id"]) for i in found if i["status"] == "held"}
    return render_template("web/interviews.html", town=leitai().load(Town, town_id), interviews=found, shown=shown,
                           counts=counts, minutes=minutes, sharings=leitai().sharings(town_id, None),
                           villages=names_of(town_id), levels=LEVEL_LABELS)


def has_status(interview: dict, status: str | None) -> bool:
    return status in (None, interview["status"]) or (status == "overdue" and interview["overdue"])


def held(interview_id: str) -> dict:
    """When an interview was held and its minutes, as recorded in its history."""
    events = [e for e in event_log.history(leitai(), UUID(interview_id)) if e["type"].endswith(".Held")]
    return events[-1]["data"] if events else {}


@blp.route("/towns/<uuid:town_id>/pairings")
def pairings(town_id: UUID):
    place = leitai().load(Town, town_id)
    closed = closed_months(town_id)
    month = asked_month(town_id, closed)
    until = max(month, closed[-1] if closed else month)
    return render_template("web/pairings.html", town=place, month=month,
                           months=[m for m in months_of_year(month[:4]) if m <= until],
                           compliance=leitai().compliance(town_id, month),
                           pairings=pairings_of(town_id, month[:4], until),
                           villages=names_of(town_id), before=previous_month(month), after=next_month(month))


def pairings_of(town_id: UUID, year: str, until: str) -> list[dict]:
    """Every pairing active in the year up to a month, with its compliance month by month (R12)."""
    by_pairing: dict[str, dict] = {}
    for month in [m for m in months_of_year(year) if m <= until]:
        for row in leitai().compliance(town_id, month):
            by_pairing.setdefault(row["pairing_id"], {})[month] = row
    found = []
    for pairing_id, months in by_pairing.items():
        pairing = leitai().load(Pairing, pairing_id)
        found.append({"pairing": pairing, "months": months,
                      "villages": (pairing.advanced_village_id, pairing.lagging_village_id)})
    return found
