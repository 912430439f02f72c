"""A village's page: its year month by month, its contest results, pairings, interviews, sharings and secretaries."""

from uuid import UUID

from flask import g, render_template, request

from domain.periods import is_year
from domain.town import Town
from domain.village import Village

from .. import log as event_log
from ..followups import today
from ..policy import allowed
from .blueprint import blp, leitai, names_of
from .charts import line_chart
from .follow_ups import pairings_of
from .months import checked, closed_months, default_month


@blp.route("/villages/<uuid:village_id>")
def village(village_id: UUID):
    place = leitai().load(Village, village_id)
    closed = closed_months(place.town_id)
    current = default_month(place.town_id, closed)
    shown = checked(request.args.get("year") or current[:4], is_year, "年份应写作 YYYY")
    months = month_by_month(place, shown, closed, current)
    vid = str(village_id)
    return render_template(
        "web/village.html", village=place, town=leitai().load(Town, place.town_id), year=shown, months=months,
        years=sorted({m[:4] for m in closed} | {shown}),
        composite_chart=line_chart([(m["month"], m["row"]["composite"]) for m in months if m["closed"]]),
        rank_chart=line_chart([(m["month"], m["row"]["rank"]) for m in months if m["closed"]],
                              ranks=max((m["size"] for m in months), default=1)),
        results=village_results(place),
        pairings=[p for p in pairings_of(place.town_id, shown, current) if vid in p["villages"]],
        interviews=[i for i in leitai().interviews(place.town_id, None, None) if i["village_id"] == vid],
        sharings=[s for s in leitai().sharings(place.town_id, None) if s["village_id"] == vid],
        names=names_of(place.town_id), tenures=tenures_of(place),
        history=event_log.history(leitai(), village_id) if allowed(g.viewer, "read_history") else None)


def tenures_of(place: Village) -> list[dict]:
    """Each secretary's tenure, marked current or to come: a successor may be recorded before taking office.

    The one in office today is the latest whose tenure has begun, as `Village.secretary_on` has it; found
    by place in the list, not by name, since a secretary may return after another's tenure.
    """
    day = today().isoformat()
    begun = [n for n, s in enumerate(place.secretaries) if s["since"] is None or s["since"] <= day]
    current = begun[-1] if begun else 0
    return [{**s, "current": n == current, "to_come": n > current} for n, s in enumerate(place.secretaries)]


def month_by_month(place: Village, year: str, closed: list[str], current: str) -> list[dict]:
    """The village's row of each closed month of the year, and of the month under way once it has a contest."""
    months = [m for m in closed if m.startswith(year)]
    if current.startswith(year) and current not in closed and leitai().contests_of(place.town_id, current):
        months.append(current)
    found = []
    for month in months:
        board = leitai().monthly_board(place.town_id, month)
        for track, rows in board["tracks"].items():
            row = next((r for r in rows if r["village_id"] == str(place.id)), None)
            if row is not None:
                found.append({"month": month, "closed": board["status"] == "closed", "row": row, "track": track,
                              "size": len(rows)})
    return found


def village_results(place: Village) -> list[dict]:
    """Its published contest results, newest month first."""
    found = []
    for contest in reversed(leitai().contests_of(place.town_id, None)):
        if str(place.id) not in contest.participants:
            continue
        rows = leitai().results(contest.id)["results"] if contest.stage == "published" else []
        row = next((r for r in rows if r["village_id"] == str(place.id)), None)
        size = sum(1 for r in rows if row is not None and r["track"] == row["track"])
        found.append({"contest": contest, "row": row, "size": size})
    return sorted(found, key=lambda f: f["contest"].month, reverse=True)
