"""The hall screen (大屏): how many sheets each village has while the panel scores, then 亮分.

Rendered on the server; a small script (static/web/live.js) follows `GET /api/v1/contests/{id}/live`
from the log position the page was rendered at, fills in the counts, and reloads the page for 亮分.
"""

from uuid import UUID

from flask import g, render_template, url_for

from domain.account import Account
from domain.contest import Contest
from domain.town import Town

from ..live import head_of, sheets_in
from ..policy import require
from .blueprint import blp, leitai


@blp.route("/contests/<uuid:contest_id>/live")
def hall(contest_id: UUID):
    require(g.viewer, "watch_live")
    match = leitai().load(Contest, contest_id)
    results = lit(leitai().results(contest_id)["results"]) if match.stage == "published" else []
    return render_template(
        "web/live.html", contest=match, town=leitai().load(Town, match.town_id), results=results,
        villages={str(v.id): v for v in leitai().villages_of(match.town_id)}, counts=sheets_in(match),
        judges={j: leitai().find(Account, j) for j in match.judges}, position=head_of(leitai(), match.id),
        stream=url_for("live.Live", contest_id=match.id))


def lit(results: list[dict]) -> list[dict]:
    """Each village's marks by judge, for 亮分."""
    return [{**r, "totals": {s["judge_id"]: s["total"] for s in r["sheets"]}} for r in results]
