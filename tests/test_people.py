"""People and process (R14): tenure, peer judges, appeals, retired villages, sharing sessions, pledges, pairings."""

from .helpers import advance_to, build_judges, build_town, marks_for, open_account, schedule
from .periods import closed_town, codes, paired_and_closed, run_month, set_duty
from .test_refusals import refused

FIGURES = {"D1": (90, 90), "D2": (80, 80), "D3": (70, 70), "D4": (60, 60)}


def published_contest(api, town, judges, month="2023-01", scores=None):
    """A demonstration-track contest of `month`, every judge giving each village its score, published."""
    scores = scores or {code: contest for code, (_, contest) in FIGURES.items()}
    contest = schedule(api, town["town"], judges, month=month, tracks=["demonstration"])
    advance_to(api, contest["id"], "evaluation")
    sheets = [{"judge_id": j["id"], "village_id": town["villages"][code], "marks": marks_for(score)}
              for code, score in scores.items() for j in judges]
    api.ok("POST", f"/contests/{contest['id']}/sheets/batch", {"sheets": sheets}, 201)
    api.ok("POST", f"/contests/{contest['id']}/publish")
    return contest


# Tenure

def test_an_interview_names_the_secretary_in_office_on_the_last_day_of_its_month(api):
    town = build_town(api, per_track=(4, 0, 0))
    judges = build_judges(api, 3)
    tid, d4 = town["town"], town["villages"]["D4"]
    old = open_account(api, "书记D4", "secretary", d4)
    new = open_account(api, "王新", "secretary", d4)
    api.ok("POST", f"/villages/{d4}/secretary", {"name": "王新", "since": "2023-03-01"})
    refused(api, 409, "POST", f"/villages/{d4}/secretary", {"name": "李某", "since": "2023-02-01"})
    for month in ("2023-02", "2023-03"):
        run_month(api, town, judges, month, FIGURES)
        api.ok("POST", f"/towns/{tid}/months/{month}/close")

    # A tenure beginning in a closed month would rename who answered for it: refused until it is reopened.
    refused(api, 409, "POST", f"/villages/{d4}/secretary", {"name": "赵某", "since": "2023-03-20"})
    interviews = {i["period"]: i for i in api.ok("GET", f"/interviews?town_id={tid}") if i["village_id"] == d4}
    assert (interviews["2023-02"]["secretary"], interviews["2023-03"]["secretary"]) == ("书记D4", "王新")
    notices = [f for f in api.ok("GET", f"/followups?town_id={tid}") if f["kind"] == "interview_required"
               and "月度约谈：D4村" in f["subject"]]
    assert {(f["subject"][:7], f["recipient"], f["recipient_account_id"]) for f in notices} == {
        ("2023-02", "书记D4（D4村）", old["id"]), ("2023-03", "王新（D4村）", new["id"])}
    conductor = [f for f in api.ok("GET", f"/followups?town_id={tid}") if f["kind"] == "interview_conductor"]
    assert {f["recipient"] for f in conductor} == {"党委副书记", "镇党委副书记、镇长"} and len(conductor) == 6


# Peer judges (回避)

def test_a_judge_from_a_village_may_not_score_it_and_the_rest_of_the_panel_does(api):
    town = build_town(api, per_track=(3, 0, 0))
    judges = build_judges(api, 4)
    villages = town["villages"]
    peer = open_account(api, "评委（D1村书记）", "judge", villages["D1"])
    contest = schedule(api, town["town"], judges + [peer], month="2023-01", tracks=["demonstration"])
    assert contest["recusals"] == {peer["id"]: villages["D1"]}
    advance_to(api, contest["id"], "evaluation")
    refused(api, 409, "PUT", f"/contests/{contest['id']}/sheets/{villages['D1']}", {"marks": marks_for(100)},
            token=peer["token"])
    refused(api, 409, "POST", f"/contests/{contest['id']}/sheets/batch",
            {"sheets": [{"judge_id": peer["id"], "village_id": villages["D1"], "marks": marks_for(100)}]})
    totals = {"D1": [60, 70, 80, 90], "D2": [70, 70, 70, 70, 95], "D3": [50, 50, 50, 50, 50]}
    for code, marks in totals.items():
        panel = judges if code == "D1" else judges + [peer]
        for judge, total in zip(panel, marks):
            api.ok("PUT", f"/contests/{contest['id']}/sheets/{villages[code]}", {"marks": marks_for(total)}, 201,
                   token=judge["token"])
    results = {r["village_id"]: r for r in api.ok("POST", f"/contests/{contest['id']}/publish")["results"]}
    # D1: four sheets, below the 5-judge tier, so nothing is dropped: (60 + 70 + 80 + 90) / 4 = 75.00, complete.
    assert f"{results[villages['D1']]['score']:.2f}" == "75.00" and results[villages["D1"]]["flags"] == []
    # D2: five sheets, one dropped at each end: (70 + 70 + 70) / 3 = 70.00.
    assert f"{results[villages['D2']]['score']:.2f}" == "70.00"


def test_an_organizer_or_auditor_account_cannot_carry_a_village(api):
    town = build_town(api, per_track=(1, 0, 0))
    refused(api, 422, "POST", "/accounts", {"name": "审计", "role": "auditor", "village_id": town["villages"]["D1"]})


# Appeals (申诉)

def test_a_secretary_appeals_their_village_result_and_the_organizer_answers_it(api):
    town = build_town(api, per_track=(4, 0, 0))
    judges = build_judges(api, 3)
    villages, tid = town["villages"], town["town"]
    run_month(api, town, judges, "2023-01", FIGURES)
    contest = api.ok("GET", f"/contests?town_id={tid}&month=2023-01")[0]
    cid = contest["id"]
    d4_secretary = open_account(api, "书记D4", "secretary", villages["D4"])
    d3_secretary = open_account(api, "书记D3", "secretary", villages["D3"])
    judge, auditor = judges[0], open_account(api, "审计", "auditor")
    body = {"village_id": villages["D4"], "reason": "现场观摩环节计分有误"}

    refused(api, 403, "POST", f"/contests/{cid}/appeals", body, token=d3_secretary["token"])
    refused(api, 403, "POST", f"/contests/{cid}/appeals", body, token=judge["token"])
    refused(api, 403, "POST", f"/contests/{cid}/appeals", body, token=auditor["token"])
    appeal = api.ok("POST", f"/contests/{cid}/appeals", body, 201, token=d4_secretary["token"])
    assert (appeal["status"], appeal["village_id"], appeal["lodged_by"]) == ("open", villages["D4"], d4_secretary["id"])
    refused(api, 409, "POST", f"/contests/{cid}/appeals", body, token=d4_secretary["token"])

    blocked = refused(api, 409, "POST", f"/towns/{tid}/months/2023-01/close")
    assert blocked["errors"]["appeals"] == [appeal["id"]]
    outcome = {"outcome": "upheld", "reason": "复核属实"}
    refused(api, 403, "POST", f"/appeals/{appeal['id']}/resolve", outcome, token=judge["token"])
    refused(api, 403, "POST", f"/appeals/{appeal['id']}/resolve", outcome, token=auditor["token"])
    refused(api, 403, "POST", f"/appeals/{appeal['id']}/resolve", outcome, token=d4_secretary["token"])
    resolved = api.ok("POST", f"/appeals/{appeal['id']}/resolve", outcome)
    assert (resolved["status"], resolved["outcome_reason"]) == ("upheld", "复核属实")
    refused(api, 409, "POST", f"/appeals/{appeal['id']}/resolve", {"outcome": "rejected", "reason": "再议"})

    api.ok("POST", f"/contests/{cid}/sheets/{villages['D4']}/corrections",
           {"marks": marks_for(75), "reason": "申诉成立，更正评分", "judge_id": judges[0]["id"]})
    api.ok("POST", f"/towns/{tid}/months/2023-01/close")
    assert [a["status"] for a in api.ok("GET", f"/contests/{cid}/appeals", token=auditor["token"])] == ["upheld"]
    types = [e["type"] for e in api.ok("GET", f"/contests/{cid}/history")["events"]]
    assert types.index("Contest.AppealLodged") < types.index("Contest.AppealResolved") < types.index("Contest.SheetAmended")


def test_an_appeal_is_lodged_only_after_publication_and_within_the_window(api):
    town = build_town(api, per_track=(2, 0, 0))
    judges = build_judges(api, 3)
    villages, tid = town["villages"], town["town"]
    contest = schedule(api, tid, judges, month="2023-01", tracks=["demonstration"])
    body = {"village_id": villages["D1"], "reason": "计分有误"}
    refused(api, 409, "POST", f"/contests/{contest['id']}/appeals", body)
    api.ok("PUT", f"/towns/{tid}/rulebook", {"effective_from": "2023-02", "appeal_days": 0})
    late = published_contest(api, town, judges, month="2023-02", scores={"D1": 80, "D2": 70})
    refused(api, 409, "POST", f"/contests/{late['id']}/appeals", body)
    refused(api, 404, "POST", "/appeals/5a0c1f6e-2f4b-4e8e-9d0b-6c1a2f3e4d5b/resolve", {"outcome": "rejected", "reason": "无"})


# Retired villages (撤并)

def test_a_retired_village_leaves_the_boards_duty_lists_and_contests_from_its_month(api):
    town, judges = closed_town(api, "2023-01", FIGURES)
    villages, tid = town["villages"], town["town"]
    code_of = {v: c for c, v in villages.items()}
    refused(api, 409, "POST", f"/villages/{villages['D4']}/retire", {"effective_from": "2023-01", "reason": "村庄撤并"})
    retired = api.ok("POST", f"/villages/{villages['D4']}/retire", {"effective_from": "2023-02", "reason": "村庄撤并"})
    assert retired["retired_from"] == "2023-02"
    refused(api, 409, "POST", f"/villages/{villages['D4']}/retire", {"effective_from": "2023-03", "reason": "again"})

    february = {code: figures for code, figures in FIGURES.items() if code != "D4"}
    run_month(api, town, judges, "2023-02", february)
    contest = api.ok("GET", f"/contests?town_id={tid}&month=2023-02")[0]
    assert villages["D4"] not in contest["participants"]
    board = api.ok("POST", f"/towns/{tid}/months/2023-02/close")
    assert codes([r["village_id"] for r in board["tracks"]["demonstration"]], code_of) == {"D1", "D2", "D3"}
    assert villages["D4"] in [r["village_id"] for r in api.ok("GET", f"/towns/{tid}/boards/monthly/2023-01")["tracks"]["demonstration"]]


# Sharing sessions and pledges

def test_a_sharing_session_is_recorded_as_held_once(api):
    town, _ = closed_town(api, "2023-01", FIGURES)
    tid = town["town"]
    sharing = api.ok("GET", f"/sharings?town_id={tid}&period=2023-01")[0]
    body = {"date": "2023-02-10", "summary": "介绍人居环境整治“门前三包”做法"}
    refused(api, 422, "POST", f"/sharings/{sharing['id']}/held", {**body, "summary": " "})
    held = api.ok("POST", f"/sharings/{sharing['id']}/held", body)
    assert (held["status"], held["held_on"], held["summary"]) == ("held", "2023-02-10", body["summary"])
    refused(api, 409, "POST", f"/sharings/{sharing['id']}/held", body)
    assert {s["id"]: s["status"] for s in api.ok("GET", f"/sharings?town_id={tid}")}[sharing["id"]] == "held"


def test_the_annual_pledge_is_recorded_when_the_town_meeting_is_held(api):
    town, _ = closed_town(api, "2023-12", FIGURES)
    tid = town["town"]
    annual = api.ok("GET", f"/interviews?town_id={tid}&level=annual")[0]
    monthly = api.ok("GET", f"/interviews?town_id={tid}&level=monthly")[0]
    held = {"held_at": "2024-01-15T09:00:00+08:00", "minutes": "全镇大会表态发言"}
    refused(api, 422, "POST", f"/interviews/{annual['id']}/hold", held)
    refused(api, 422, "POST", f"/interviews/{monthly['id']}/hold", {**held, "pledge": "保证整改"})
    done = api.ok("POST", f"/interviews/{annual['id']}/hold", {**held, "pledge": "一季度内补齐短板，争先进位"})
    assert (done["status"], done["pledge"]) == ("held", "一季度内补齐短板，争先进位")


# Pairings (结对共建)

def test_two_villages_are_paired_once_and_an_exchange_is_recorded_once(api):
    town = build_town(api, per_track=(4, 0, 0))
    villages = town["villages"]
    body = {"advanced_village_id": villages["D1"], "lagging_village_id": villages["D4"], "from_month": "2023-01"}
    pairing = api.ok("POST", "/pairings", body, 201)
    refused(api, 409, "POST", "/pairings", body)
    refused(api, 409, "POST", "/pairings", {**body, "advanced_village_id": villages["D4"],
                                            "lagging_village_id": villages["D1"]})
    exchange = {"date": "2023-01-12", "mode": "offline", "summary": "实地交流产业发展"}
    api.ok("POST", f"/pairings/{pairing['id']}/exchanges", exchange, 201)
    refused(api, 409, "POST", f"/pairings/{pairing['id']}/exchanges", exchange)
    refused(api, 422, "POST", f"/pairings/{pairing['id']}/exchanges", {**exchange, "date": "2099-01-12"})
    compliance = api.ok("GET", f"/towns/{town['town']}/pairings/compliance/2023-01")
    assert [(c["offline"], c["compliant"]) for c in compliance] == [(1, False)]


def test_a_pairing_is_dissolved_from_a_month_and_never_in_a_closed_one(api):
    town = build_town(api, per_track=(4, 0, 0))
    judges = build_judges(api, 3)
    villages, tid = town["villages"], town["town"]
    pairing = paired_and_closed(api, town, judges, "D1", "D4", "2023-01", FIGURES)
    refused(api, 409, "POST", f"/pairings/{pairing['id']}/dissolve", {"reason": "调整结对", "effective_from": "2023-01"})
    dissolved = api.ok("POST", f"/pairings/{pairing['id']}/dissolve", {"reason": "调整结对", "effective_from": "2023-03"})
    assert dissolved["dissolved_on"] == "2023-03-01"
    assert len(api.ok("GET", f"/towns/{tid}/pairings/compliance/2023-02")) == 1
    assert api.ok("GET", f"/towns/{tid}/pairings/compliance/2023-03") == []
    set_duty(api, villages["D1"], "2023-02", 90)


def test_a_village_retired_during_the_year_is_not_ranked_in_its_quarter_or_year(api):
    town, judges = closed_town(api, "2023-11", FIGURES)
    villages, tid = town["villages"], town["town"]
    api.ok("POST", f"/villages/{villages['D4']}/retire", {"effective_from": "2023-12", "reason": "村庄撤并"})
    run_month(api, town, judges, "2023-12", {code: f for code, f in FIGURES.items() if code != "D4"})
    api.ok("POST", f"/towns/{tid}/months/2023-12/close")
    for path in (f"/towns/{tid}/boards/quarterly/2023-Q4", f"/towns/{tid}/assessments/2023"):
        ranked = [r["village_id"] for r in api.ok("GET", path)["tracks"]["demonstration"]]
        assert villages["D4"] not in ranked and len(ranked) == 3
    pledges = api.ok("GET", f"/interviews?town_id={tid}&level=annual")
    assert villages["D4"] not in [p["village_id"] for p in pledges]
