"""A contest's page: its steps, every judge's marks the viewer may see, its appeals and the panel's analytics."""

from uuid import UUID

from flask import g, render_template

from domain.account import Account
from domain.contest import STAGES, Contest
from domain.town import Town

from ..analytics import contest_analytics
from ..policy import allowed
from .blueprint import account_name, blp, leitai


@blp.route("/contests/<uuid:contest_id>")
def contest(contest_id: UUID):
    match = leitai().load(Contest, contest_id)
    published = match.stage == "published"
    results = leitai().results(contest_id) if published else None
    villages = {str(v.id): v for v in leitai().villages_of(match.town_id)}
    judges = {j: leitai().find(Account, j) for j in match.judges}
    return render_template(
        "web/contest.html", contest=match, town=leitai().load(Town, match.town_id), villages=villages, judges=judges,
        results=results, marks=marks_of(match, results), stages=list(STAGES) + ["published"],
        appeals=appeals_of(match),
        analytics=contest_analytics(leitai(), contest_id) if allowed(g.viewer, "read_analytics") else None)


def marks_of(match: Contest, results: dict | None) -> list[dict]:
    """Per village, every judge's sheet the viewer may see (as in the API), with R1's trimmed judges marked."""
    trimmed = {r["village_id"]: set(r["trimmed"]) for r in (results or {"results": []})["results"]}
    sees_all = match.stage == "published" or allowed(g.viewer, "see_marks_before_publication")
    shown = []
    order = sorted(match.participants, key=lambda v: (match.participants[v]["track"], match.participants[v]["code"]))
    for village_id in order:
        sheets = leitai().sheets_for(match, village_id)
        if not sees_all:
            sheets = [s for s in sheets if s.judge_id == str(g.viewer.id)]
        by_judge = {s.judge_id: s for s in sheets}
        shown.append({"village_id": village_id, "track": match.participants[village_id]["track"],
                      "sheets": by_judge, "trimmed": trimmed.get(village_id, set())})
    return shown


def appeals_of(match: Contest) -> list[dict]:
    """The contest's appeals in the order lodged, with who lodged and who answered each by name.

    Not secret: an appeal contests a published result, so every signed-in role sees them.
    """
    return [{**a, "lodger": account_name(a["lodged_by"]), "resolver": account_name(a["resolved_by"])}
            for a in match.appeals.values()]
