"""The read-only web view (网页查看) for town leaders: boards, villages, contests, interviews and pairings.

Server-rendered pages over the Application's own queries; signed in with an account's token, kept
in a signed cookie session. Nothing here writes to the event store.
"""

import json
import logging
import os
import secrets
from datetime import datetime, timedelta
from decimal import Decimal
from urllib.parse import urlsplit
from uuid import UUID

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, session, url_for
from werkzeug.exceptions import HTTPException

from domain.account import Account
from domain.boards import BASIS_LABELS, FLAG_LABELS
from domain.consequences import LEVEL_LABELS
from domain.contest import DOMAIN_LABELS, FORM_LABELS, STAGE_LABELS, STAGES, Contest
from domain.errors import DomainError, NotFoundError
from domain.pairing import Pairing
from domain.periods import is_month, is_quarter, is_year, months_of_quarter, months_of_year, previous_month, quarter_of
from domain.town import Town
from domain.village import TRACK_LABELS, TRACKS, Village
from projections.assessment import closed_periods

from . import log as event_log
from .analytics import contest_analytics
from .api.boards import GRADE_LABELS
from .application import BOOTSTRAP_ID, token_hash
from .auth import Principal, resolve
from .followups import SHANGHAI, today

blp = Blueprint("web", __name__, url_prefix="/web", template_folder="templates")
logger = logging.getLogger("leitai.web")

SEES_ALL = ("organizer", "auditor")  # as in the API: history, analytics and every judge's marks before publication
ROLE_LABELS = {"organizer": "组织办", "judge": "评委", "secretary": "村党组织书记", "auditor": "审计 / 镇领导"}
STATUS_LABELS = {"provisional": "暂定", "closed": "已关账"}
INTERVIEW_LABELS = {"required": "待约谈", "scheduled": "已安排", "held": "已约谈", "waived": "已免除", "withdrawn": "已撤回"}
SHARING_LABELS = {"invited": "已邀请", "delivered": "已通知", "held": "已分享", "withdrawn": "已撤回"}
REASON_LABELS = {"top": "排名前列", "improved": "进步明显"}
MODE_LABELS = {"offline": "线下", "online": "线上"}
BLOCKER_LABELS = {"closed": "已关账", "not_over": "月份未结束", "out_of_order": "关账顺序",
                  "previous_open": "前一月份未关账", "duty_lists_missing": "缺少职责清单",
                  "contests_unsettled": "擂台未公布", "appeals_open": "申诉未处理"}
WITHDRAWN_LABELS = {"interview": "约谈", "sharing": "经验分享"}
APPEAL_LABELS = {"open": "待处理", "upheld": "申诉成立", "rejected": "申诉驳回"}


def leitai():
    return current_app.extensions["leitai"]


# Signing in

def register(app, settings) -> None:
    """The pages under /web, a session key every worker shares, and the cookie's terms."""
    app.secret_key = app.secret_key or secret_key(settings.data_dir)
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("PERMANENT_SESSION_LIFETIME", timedelta(hours=12))
    app.register_blueprint(blp)
    app.add_url_rule("/", "home", lambda: redirect(url_for("web.towns")))


def secret_key(data_dir) -> str:
    """LEITAI_SECRET_KEY, or a random key kept in the data folder: several gunicorn workers must sign alike.

    The key is written to a private draft first and linked into place, so a worker racing another
    either wins or reads the winner's complete key, never a half-written one.
    """
    if os.environ.get("LEITAI_SECRET_KEY"):
        return os.environ["LEITAI_SECRET_KEY"]
    path = data_dir / "secret-key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        draft = data_dir / f".secret-key.{os.getpid()}.{secrets.token_hex(4)}"
        with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as file:
            file.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


@blp.before_request
def signed_in():
    if request.endpoint in ("web.sign_in", "web.sign_out"):
        return None
    g.viewer = viewer()
    if g.viewer is None:
        return redirect(url_for("web.sign_in", next=request.full_path.rstrip("?")))
    return None


def viewer() -> Principal | None:
    """The signed-in account, checked again on every page: a disabled account or a changed bootstrap token signs out."""
    kept = session.get("viewer")
    if not kept:
        return None
    if kept["id"] == str(BOOTSTRAP_ID):
        bootstrap = current_app.config.get("BOOTSTRAP_TOKEN")
        valid = bool(bootstrap) and secrets.compare_digest(token_hash(bootstrap), kept["key"])
        return Principal(BOOTSTRAP_ID, "引导令牌", "organizer") if valid else None
    account = leitai().find(Account, kept["id"])
    if account is None or account.disabled or account.token_hash != kept["key"]:
        return None
    return Principal(account.id, account.name, account.role, account.village_id)


@blp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    target = safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("web/sign_in.html", next=target)
    token = request.form.get("token", "").strip()
    principal = resolve(token) if token else None
    if principal is None:
        logger.warning("failed web sign-in from %s", request.remote_addr)
        return render_template("web/sign_in.html", next=target, failed=True), 401
    session.clear()
    session.permanent = True
    session["viewer"] = {"id": str(principal.id), "key": token_hash(token)}
    return redirect(target)


@blp.route("/sign-out", methods=["POST"])
def sign_out():
    session.clear()
    return redirect(url_for("web.sign_in"))


def safe_next(target: str | None) -> str:
    """Only a page of this view: never a redirect to another site."""
    parts = urlsplit(target or "")
    if not parts.scheme and not parts.netloc and parts.path.startswith("/web/") and "\\" not in target:
        return target
    return url_for("web.towns")


@blp.errorhandler(DomainError)
def domain_error(error: DomainError):
    status = 404 if isinstance(error, NotFoundError) else 409
    return render_template("web/error.html", message="找不到这一页的内容" if status == 404 else error.message), status


@blp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    return render_template("web/error.html", message=error.description), error.code


# The town: boards of a month, a quarter and a year

@blp.route("/")
def towns():
    found = leitai().towns()
    if len(found) == 1:
        return redirect(url_for("web.town", town_id=found[0]["id"]))
    return render_template("web/towns.html", towns=found)


@blp.route("/towns/<uuid:town_id>")
def town(town_id: UUID):
    place = leitai().load(Town, town_id)
    closed = closed_months(town_id)
    month = request.args.get("month") or default_month(town_id, closed)
    if not is_month(month):
        abort(404, "月份应写作 YYYY-MM")
    board = leitai().monthly_board(town_id, month)
    contests = leitai().contests_of(town_id, month)
    villages = names_of(town_id)
    # a board recorded before the basis was kept (R9) was taken on the composite
    return render_template("web/town.html", town=place, month=month, board=board, contests=contests, closed=closed,
                           villages=villages, basis=board.get("basis", "composite"),
                           preview=close_preview(town_id, month, board, villages),
                           quarters=sorted({quarter_of(m) for m in closed}), years=sorted({m[:4] for m in closed}),
                           before=previous_month(month), after=next_month(month))


@blp.route("/towns/<uuid:town_id>/quarters/<quarter>")
def quarter(town_id: UUID, quarter: str):
    if not is_quarter(quarter):
        abort(404, "季度应写作 YYYY-Qn")
    board = leitai().quarterly_board(town_id, quarter)
    return render_template("web/period.html", town=leitai().load(Town, town_id), board=board, kind="quarter",
                           months=months_of_quarter(quarter), title=f"{quarter[:4]}年第{quarter[-1]}季度")


@blp.route("/towns/<uuid:town_id>/years/<year>")
def year(town_id: UUID, year: str):
    if not is_year(year):
        abort(404, "年份应写作 YYYY")
    board = leitai().annual_assessment(town_id, year)
    return render_template("web/period.html", town=leitai().load(Town, town_id), board=board, kind="year",
                           months=months_of_year(year), title=f"{year}年度考核")


def close_preview(town_id: UUID, month: str, board: dict, villages: dict[str, Village]) -> dict | None:
    """What closing the month would record now and what blocks it, for the organizers who close months (R13).

    The blockers give village codes and the shortfalls pairing ids: the villages behind both come
    along, so the page can name them.
    """
    if g.viewer.role != "organizer" or board["status"] == "closed":
        return None
    preview = leitai().close_preview(town_id, month, g.viewer.id)
    pairs = {row["pairing_id"]: row for row in leitai().compliance(town_id, month)}
    return {**preview, "pairs": pairs, "codes": {v.code: v for v in villages.values()}}


def closed_months(town_id: UUID) -> list[str]:
    leitai().projector.catch_up("assessment")
    return [p for p in closed_periods(leitai().projector.store, str(town_id), "") if is_month(p)]


def default_month(town_id: UUID, closed: list[str]) -> str:
    """The month under way once it has a contest, else the last closed one; a town with nothing closed: this month."""
    current = today().isoformat()[:7]
    if not closed:
        return current
    following = next_month(closed[-1])
    return following if following <= current and leitai().contests_of(town_id, following) else closed[-1]


def next_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    return f"{year + 1}-01" if number == 12 else f"{year}-{number + 1:02d}"


# A village

@blp.route("/villages/<uuid:village_id>")
def village(village_id: UUID):
    place = leitai().load(Village, village_id)
    closed = closed_months(place.town_id)
    current = default_month(place.town_id, closed)
    shown = request.args.get("year") or current[:4]
    if not is_year(shown):
        abort(404, "年份应写作 YYYY")
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
        history=event_log.history(leitai(), village_id) if g.viewer.role in SEES_ALL else None)


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


def line_chart(points: list[tuple[str, object]], ranks: int | None = None, width=420, height=170) -> dict | None:
    """An inline SVG line chart's geometry; with `ranks`, rank 1 at the top and the track's size at the bottom."""
    if not points:
        return None
    left, right, top, bottom = 30, 18, 18, 24
    values = [Decimal(str(v)) for _, v in points]
    if ranks:
        low, high = Decimal(1), Decimal(max(ranks, 2))
        ticks = sorted({1, ranks} | ({(ranks + 1) // 2} if ranks > 2 else set()))
    else:
        low = max(Decimal(0), (min(values) - 5) // 10 * 10)
        high = min(Decimal(100), -((-max(values) - 5) // 10) * 10)
        high = high if high > low else low + 10
        ticks = [low + (high - low) * n / 4 for n in range(5)]

    def y(value) -> float:
        share = (Decimal(str(value)) - low) / (high - low)
        return round(top + float(share if ranks else 1 - share) * (height - top - bottom), 1)

    step = (width - left - right) / max(len(points) - 1, 1)
    xs = [round(left + (n * step if len(points) > 1 else (width - left - right) / 2), 1) for n in range(len(points))]
    dots = [{"x": x, "y": y(v), "label": label, "value": v} for x, (label, v) in zip(xs, points)]
    return {"width": width, "height": height, "left": left, "right": width - right, "bottom": height - bottom,
            "dots": dots, "line": " ".join(f"{d['x']},{d['y']}" for d in dots),
            "ticks": [{"y": y(t), "label": f"{t:.0f}"} for t in ticks]}


# A contest

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
        analytics=contest_analytics(leitai(), contest_id) if g.viewer.role in SEES_ALL else None)


def marks_of(match: Contest, results: dict | None) -> list[dict]:
    """Per village, every judge's sheet the viewer may see (as in the API), with R1's trimmed judges marked."""
    trimmed = {r["village_id"]: set(r["trimmed"]) for r in (results or {"results": []})["results"]}
    shown = []
    order = sorted(match.participants, key=lambda v: (match.participants[v]["track"], match.participants[v]["code"]))
    for village_id in order:
        sheets = leitai().sheets_for(match, village_id)
        if match.stage != "published" and g.viewer.role not in SEES_ALL:
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


def account_name(account_id: str | None) -> str:
    """The bootstrap token acts without an account, so it has no name of its own."""
    if account_id is None:
        return ""
    if account_id == str(BOOTSTRAP_ID):
        return "引导令牌"
    account = leitai().find(Account, account_id)
    return account.name if account else account_id


# Interviews, sharings and pairings

@blp.route("/towns/<uuid:town_id>/interviews")
def interviews(town_id: UUID):
    """Every interview, or those of one status (`overdue`: required or scheduled and past the rulebook's days)."""
    everyone = leitai().interviews(town_id, None, None)
    shown = request.args.get("status")
    found = [i for i in everyone if has_status(i, shown)]
    counts = {key: sum(has_status(i, key) for i in everyone) for key in [None, *INTERVIEW_LABELS, "overdue"]}
    minutes = {i["id"]: held(i["id"]) for i in found if i["status"] == "held"} if g.viewer.role in SEES_ALL else {}
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
    month = request.args.get("month") or default_month(town_id, closed)
    if not is_month(month):
        abort(404, "月份应写作 YYYY-MM")
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


def names_of(town_id: UUID) -> dict[str, Village]:
    return {str(v.id): v for v in leitai().villages_of(town_id)}


# What every template may use

@blp.app_template_filter("fig")
def figure(value) -> str:
    """A published figure at 2 places."""
    return "—" if value is None else f"{Decimal(str(value)):.2f}"


@blp.app_template_filter("data")
def event_data(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, indent=1)


@blp.app_template_filter("local")
def local_time(value) -> str:
    if not value:
        return ""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


@blp.app_template_global()
def movement(row: dict) -> tuple[str, str]:
    """Rank change against the previous closed month: ↑ up, ↓ down."""
    before = row.get("previous_rank")
    if before is None or row.get("rank") is None:
        return "new", "—"
    places = before - row["rank"]
    return ("up", f"↑{places}") if places > 0 else ("down", f"↓{-places}") if places < 0 else ("same", "–")


@blp.context_processor
def labels() -> dict:
    return {"TRACK_LABELS": TRACK_LABELS, "TRACKS": TRACKS, "GRADE_LABELS": GRADE_LABELS,
            "STATUS_LABELS": STATUS_LABELS, "STAGE_LABELS": STAGE_LABELS, "DOMAIN_LABELS": DOMAIN_LABELS, "FORM_LABELS": FORM_LABELS,
            "INTERVIEW_LABELS": INTERVIEW_LABELS, "SHARING_LABELS": SHARING_LABELS, "REASON_LABELS": REASON_LABELS,
            "MODE_LABELS": MODE_LABELS, "FLAG_LABELS": FLAG_LABELS, "ROLE_LABELS": ROLE_LABELS,
            "LEVEL_LABELS": LEVEL_LABELS, "BASIS_LABELS": BASIS_LABELS, "BLOCKER_LABELS": BLOCKER_LABELS,
            "WITHDRAWN_LABELS": WITHDRAWN_LABELS, "APPEAL_LABELS": APPEAL_LABELS, "SEES_ALL": SEES_ALL,
            "viewer": g.get("viewer"), "quarter_of": quarter_of}
