"""The judge's scoring page (评委打分), made for a phone, and the organiser's paper-sheet page: the same form.

A sheet goes through the same use cases as `PUT /contests/{id}/sheets/{village_id}` and its corrections.
A refusal comes back as a sentence in Chinese beside the field at fault, and nothing is recorded.
"""

import secrets
from uuid import UUID, uuid4

from flask import abort, flash, g, redirect, render_template, request, session, url_for

from domain.account import Account
from domain.contest import Contest
from domain.errors import DomainError, RuleError
from domain.town import Town

from ..keys import recorded, writing
from ..policy import allowed, require
from .blueprint import blp, leitai
from .refusals import read_marks, refusals, sentence_for


@blp.route("/contests/<uuid:contest_id>/score")
def score(contest_id: UUID):
    require(g.viewer, "submit_sheet")
    match = leitai().load(Contest, contest_id)
    judge = judge_of(match, request.args.get("judge"))
    if judge is None:
        return render_template("web/score_judges.html", contest=match, town=leitai().load(Town, match.town_id),
                               judges=[(j, leitai().find(Account, j)) for j in match.judges])
    return score_page(match, judge)


@blp.route("/contests/<uuid:contest_id>/score/<uuid:village_id>", methods=["POST"])
def submit(contest_id: UUID, village_id: UUID):
    require(g.viewer, "submit_sheet")
    check_form_token()
    match = leitai().load(Contest, contest_id)
    village, judge = str(village_id), judge_of(match, request.form.get("judge_id"))
    if village not in match.participants or judge is None:
        abort(404, "本场擂台没有这个村或这位评委")
    entered = {c["key"]: request.form.get(f"mark-{c['key']}", "").strip() for c in match.criteria}
    marks, problems = read_marks(match.criteria, entered)
    existing = leitai().find_sheet(match.id, judge, village)
    reason = request.form.get("reason", "").strip()
    problems |= refusals(match, judge, village, existing, marks, reason, g.viewer)
    if not problems:
        problems = record(match, judge, village, marks, existing, reason)
    if problems:
        return score_page(match, judge, {village: problems}, {village: {**entered, "reason": reason}}), 422
    return redirect(url_for("web.score", contest_id=match.id, judge=paper_judge(judge)) + f"#v-{village}")


def record(match: Contest, judge: str, village: str, marks: dict, existing, reason: str) -> dict:
    """The use case under the form's key: a second tap of the same form records nothing more."""
    account, key = str(g.viewer.id), request.form.get("key", "")[:200]
    if key and recorded(leitai(), account, key):
        return done(village, "这份评分已经提交过，未重复记录。")
    kept = writing.set((account, key) if key else None)
    try:
        sheet = write(match, judge, village, marks, existing, reason)
    except RuleError as error:
        if key and recorded(leitai(), account, key):
            return done(village, "这份评分已经提交过，未重复记录。")
        return {"_": [sentence_for(error)]}
    except DomainError as error:
        return {"_": [sentence_for(error)]}
    finally:
        writing.reset(kept)
    return done(village, f"已记录，合计 {sheet.total:.2f} 分。")


def write(match: Contest, judge: str, village: str, marks: dict, existing, reason: str):
    if existing is None or existing.marks == marks:
        return leitai().submit_sheet(match.id, UUID(judge), UUID(village), marks, g.viewer.id)[0]
    return leitai().correct_sheet(match.id, UUID(judge), UUID(village), marks, reason, g.viewer.id,
                                  may_amend=allowed(g.viewer, "amend_after_publication"))


def done(village: str, message: str) -> dict:
    flash(message, village)
    return {}


def judge_of(match: Contest, requested: str | None) -> str | None:
    """A judge scores as themself; an organiser enters the paper sheet of a judge of the panel they choose."""
    if allowed(g.viewer, "enter_paper_sheet"):
        return requested if requested in match.judges else None
    if requested not in (None, "", str(g.viewer.id)):
        abort(403, "评委只能提交自己的评分表")
    return str(g.viewer.id)


def paper_judge(judge: str) -> str | None:
    return judge if allowed(g.viewer, "enter_paper_sheet") else None


def score_page(match: Contest, judge: str, errors: dict | None = None, entered: dict | None = None):
    sheets = {v: leitai().find_sheet(match.id, judge, v) for v in match.participants}
    return render_template("web/score.html", contest=match, town=leitai().load(Town, match.town_id),
                           judge=leitai().find(Account, judge), judge_id=judge, paper=allowed(g.viewer, "enter_paper_sheet"),
                           sheets={v: s for v, s in sheets.items() if s is not None}, errors=errors or {},
                           entered=entered or {}, villages={str(v.id): v for v in leitai().villages_of(match.town_id)},
                           form_token=form_token(), new_key=lambda: uuid4().hex)


def form_token() -> str:
    """Kept in the signed session: a form posted from another site does not carry it."""
    if "form_token" not in session:
        session["form_token"] = secrets.token_urlsafe(24)
    return session["form_token"]


def check_form_token() -> None:
    sent, kept = request.form.get("form_token", ""), session.get("form_token", "")
    if not kept or not secrets.compare_digest(sent, kept):
        abort(400, "页面已过期，请刷新后重新提交")
