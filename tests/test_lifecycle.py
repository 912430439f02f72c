"""The period's lifecycle (R13) and outcomes a town could sign: each refusal records nothing."""

from .helpers import advance_to, build_judges, build_town, marks_for, schedule
from .periods import closed_town, codes, pair, paired_and_closed, run_month, set_duty

FIGURES = {"D1": (90, 90), "D2": (80, 80), "D3": (70, 70)}


def refused(api, status: int, method: str, path: str, body=None) -> dict:
    """The request is refused with `status` and the event log does not move."""
    before = api.position()
    response = api.call(method, path, body)
    assert response.status_code == status, (response.status_code, response.body)
    assert api.position() == before
    return response.body


def test_a_month_not_yet_over_cannot_close_nor_can_a_year_be_closed_by_it(api):
    town = build_town(api, per_track=(3, 0, 0))
    for village_id in town["villages"].values():
        set_duty(api, village_id, "2099-01", 50)
    body = refused(api, 409, "POST", f"/towns/{town['town']}/months/2099-01/close")
    assert "not over" in body["message"] and body["errors"]["month"]
    refused(api, 409, "POST", f"/towns/{town['town']}/months/2099-12/close")
    assert api.ok("GET", f"/towns/{town['town']}/assessments/2099")["status"] == "provisional"


def test_a_month_with_no_duty_lists_cannot_close_and_the_409_names_the_villages(api):
    town = build_town(api, per_track=(3, 2, 0))
    set_duty(api, town["villages"]["D1"], "2023-01", 88)
    body = refused(api, 409, "POST", f"/towns/{town['town']}/months/2023-01/close")
    assert body["errors"]["villages"] == ["D2", "D3", "E1", "E2"]
    assert "duty list" in body["message"]


def test_months_close_in_order_from_the_first_closed_month(api):
    town = build_town(api, per_track=(3, 0, 0))
    judges = build_judges(api, 3)
    tid = town["town"]
    for month in ("2023-01", "2023-02", "2023-03"):
        run_month(api, town, judges, month, FIGURES)
    api.ok("POST", f"/towns/{tid}/months/2023-02/close")
    assert "first closed month is 2023-02" in refused(api, 409, "POST", f"/towns/{tid}/months/2023-01/close")["message"]
    api.ok("POST", f"/towns/{tid}/months/2023-03/close")
    api.ok("POST", f"/towns/{tid}/months/2023-02/reopen", {"reason": "复核"})
    run_month(api, town, judges, "2023-04", FIGURES)
    body = refused(api, 409, "POST", f"/towns/{tid}/months/2023-04/close")
    assert body["errors"]["month"] == ["close 2023-02 first: months close in order"]
    api.ok("POST", f"/towns/{tid}/months/2023-02/close")
    api.ok("POST", f"/towns/{tid}/months/2023-04/close")


def test_a_participant_nobody_scored_blocks_publication(api):
    town = build_town(api, per_track=(3, 0, 0))
    judges = build_judges(api, 3)
    contest = schedule(api, town["town"], judges, month="2023-01", tracks=["demonstration"])
    advance_to(api, contest["id"], "evaluation")
    sheets = [{"judge_id": j["id"], "village_id": town["villages"][code], "marks": marks_for(80)}
              for code in ("D1", "D2") for j in judges]
    api.ok("POST", f"/contests/{contest['id']}/sheets/batch", {"sheets": sheets}, 201)
    body = refused(api, 409, "POST", f"/contests/{contest['id']}/publish")
    assert body["errors"] == {"villages": ["D3"]}
    api.ok("POST", f"/contests/{contest['id']}/absences", {"village_id": town["villages"]["D3"], "excused": False,
                                                           "reason": "未到场"})
    results = api.ok("POST", f"/contests/{contest['id']}/publish")
    assert {r["village_id"]: r["flags"] for r in results["results"]}[town["villages"]["D3"]] == ["absent"]


def test_a_closed_month_is_read_only_until_it_is_reopened(api):
    town = build_town(api, per_track=(3, 0, 0))
    judges = build_judges(api, 3)
    tid, villages = town["town"], town["villages"]
    pairing = paired_and_closed(api, town, judges, "D1", "D3", "2023-01", FIGURES)
    contest = api.ok("GET", f"/contests?town_id={tid}&month=2023-01")[0]

    refused(api, 409, "PUT", f"/villages/{villages['D2']}/duty/2023-01", {"items": [{"item": "职责清单", "score": 1, "max": 100}]})
    refused(api, 409, "POST", f"/villages/{villages['D2']}/track",
            {"track": "excellence", "effective_from": "2023-01", "reason": "调整赛道"})
    refused(api, 409, "PUT", f"/towns/{tid}/rulebook", {"effective_from": "2023-01", "top_n": 1})
    refused(api, 409, "POST", "/pairings", {"advanced_village_id": villages["D2"], "lagging_village_id": villages["D3"],
                                            "from_month": "2023-01"})
    refused(api, 409, "POST", f"/pairings/{pairing['id']}/exchanges",
            {"date": "2023-01-20", "mode": "offline", "summary": "补记交流"})
    refused(api, 409, "POST", f"/contests/{contest['id']}/absences",
            {"village_id": villages["D2"], "excused": True, "reason": "补记请假"})
    refused(api, 409, "POST", "/contests", {"town_id": tid, "month": "2023-01", "theme": "补办擂台", "domain": "industry",
                                            "form": "meeting", "venue": "镇会议室", "tracks": ["demonstration"],
                                            "judges": [j["id"] for j in judges], "criteria": [{"key": "k", "label": "实绩", "max": 10}]})
    # Later months stay open, and after a reopen the month takes changes again.
    api.ok("POST", f"/villages/{villages['D2']}/track", {"track": "excellence", "effective_from": "2023-02", "reason": "调整赛道"})
    api.ok("POST", f"/towns/{tid}/months/2023-01/reopen", {"reason": "补记交流"})
    api.ok("POST", f"/pairings/{pairing['id']}/exchanges", {"date": "2023-01-20", "mode": "offline", "summary": "补记交流"}, 201)


def test_an_exchange_dated_in_the_future_is_refused(api):
    town = build_town(api, per_track=(2, 0, 0))
    pairing = pair(api, town, "D1", "D2", "2023-01")
    refused(api, 422, "POST", f"/pairings/{pairing['id']}/exchanges",
            {"date": "2099-01-05", "mode": "offline", "summary": "未来的交流"})


def test_a_rulebook_must_keep_the_composite_on_its_scale_and_keep_a_sheet(api):
    town = build_town(api, per_track=(2, 0, 0))
    tid = town["town"]
    body = refused(api, 422, "PUT", f"/towns/{tid}/rulebook", {"effective_from": "2023-01",
                                                               "weights": {"duty": 0.8, "contest": 0.3}})
    assert "weights" in body["errors"]
    refused(api, 422, "PUT", f"/towns/{tid}/rulebook", {"effective_from": "2023-01", "weights": {"duty": 0.8}})
    refused(api, 422, "PUT", f"/towns/{tid}/rulebook", {"effective_from": "2023-01", "trim": {"min_judges": 4, "drop": 2}})
    refused(api, 422, "PUT", f"/towns/{tid}/rulebook", {"effective_from": "2023-01", "monthly_basis": "duty"})
    refused(api, 422, "PUT", f"/towns/{tid}/rulebook", {"effective_from": "2023-01", "trim": "all"})
    tiers = [{"min_judges": 5, "drop": 1}, {"min_judges": 7, "drop": 2}]
    adopted = api.ok("PUT", f"/towns/{tid}/rulebook", {"effective_from": "2023-01", "trim": tiers,
                                                       "weights": {"duty": 0.6, "contest": 0.4}})
    assert adopted["trim"] == tiers and adopted["monthly_basis"] == "contest"


def test_with_seven_judges_the_second_tier_drops_two_highest_and_two_lowest(api):
    town = build_town(api, per_track=(1, 0, 0))
    judges = build_judges(api, 7)
    api.ok("PUT", f"/towns/{town['town']}/rulebook",
           {"effective_from": "2023-01", "trim": [{"min_judges": 5, "drop": 1}, {"min_judges": 7, "drop": 2}]})
    contest = schedule(api, town["town"], judges, month="2023-01", tracks=["demonstration"])
    advance_to(api, contest["id"], "evaluation")
    totals = [50, 60, 70, 80, 90, 95, 100]
    sheets = [{"judge_id": j["id"], "village_id": town["villages"]["D1"], "marks": marks_for(t)}
              for j, t in zip(judges, totals)]
    api.ok("POST", f"/contests/{contest['id']}/sheets/batch", {"sheets": sheets}, 201)
    result = api.ok("POST", f"/contests/{contest['id']}/publish")["results"][0]
    # Kept: 70, 80, 90 → 80.00; dropped: 50, 60 and 95, 100.
    assert f"{result['score']:.2f}" == "80.00" and len(result["trimmed"]) == 4


# Contest ranking against composite ranking (R9)

# Duty lists run opposite to the contest: by composite D1 leads; by the contest D6 does.
OPPOSITE = {"D1": (100, 40), "D2": (95, 50), "D3": (90, 60), "D4": (60, 70), "D5": (55, 80), "D6": (50, 90)}


def test_monthly_consequences_follow_the_contest_ranking_by_default_and_the_composite_when_chosen(api):
    town = build_town(api, per_track=(6, 0, 0))
    judges = build_judges(api, 3)
    tid, code_of = town["town"], {v: c for c, v in town["villages"].items()}
    run_month(api, town, judges, "2023-01", OPPOSITE)
    by_contest = api.ok("POST", f"/towns/{tid}/months/2023-01/close")
    # Composite: D1 82, D2 81.5, D3 81, D4 63, D5 62.5, D6 62 — the contest runs the other way.
    assert by_contest["basis"] == "contest"
    rows = {code_of[r["village_id"]]: (r["rank"], r["contest_rank"]) for r in by_contest["tracks"]["demonstration"]}
    assert rows == {"D1": (1, 6), "D2": (2, 5), "D3": (3, 4), "D4": (4, 3), "D5": (5, 2), "D6": (6, 1)}
    assert codes(by_contest["top"]["demonstration"], code_of) == {"D6", "D5", "D4"}
    assert codes(by_contest["bottom"]["demonstration"], code_of) == {"D1", "D2", "D3"}
    interviews = api.ok("GET", f"/interviews?town_id={tid}&level=monthly")
    assert codes([i["village_id"] for i in interviews], code_of) == {"D1", "D2", "D3"}

    api.ok("PUT", f"/towns/{tid}/rulebook", {"effective_from": "2023-02", "monthly_basis": "composite"})
    run_month(api, town, judges, "2023-02", OPPOSITE)
    by_composite = api.ok("POST", f"/towns/{tid}/months/2023-02/close")
    assert by_composite["basis"] == "composite"
    assert codes(by_composite["top"]["demonstration"], code_of) == {"D1", "D2", "D3"}
    assert codes(by_composite["bottom"]["demonstration"], code_of) == {"D4", "D5", "D6"}
    february = [i for i in api.ok("GET", f"/interviews?town_id={tid}&level=monthly") if i["period"] == "2023-02"]
    assert codes([i["village_id"] for i in february], code_of) == {"D4", "D5", "D6"}


def test_a_track_without_a_contest_that_month_has_no_monthly_consequences(api):
    town = build_town(api, per_track=(3, 3, 0))
    judges = build_judges(api, 3)
    tid, code_of = town["town"], {v: c for c, v in town["villages"].items()}
    for code in ("E1", "E2", "E3"):
        set_duty(api, town["villages"][code], "2023-01", {"E1": 90, "E2": 80, "E3": 70}[code])
    run_month(api, town, judges, "2023-01", FIGURES)
    board = api.ok("POST", f"/towns/{tid}/months/2023-01/close")
    assert board["top"].get("excellence", []) == [] and board["bottom"].get("excellence", []) == []
    assert codes(board["top"]["demonstration"], code_of) == {"D1"}
    assert all(r["contest_rank"] is None for r in board["tracks"]["excellence"])


def test_the_preview_shows_what_a_close_would_record_and_what_blocks_it_and_records_nothing(api):
    town = build_town(api, per_track=(4, 0, 0))
    judges = build_judges(api, 3)
    tid, villages = town["town"], town["villages"]
    figures = {**FIGURES, "D4": (60, 60)}
    pairing = pair(api, town, "D1", "D4", "2023-01")
    run_month(api, town, judges, "2023-01", figures)
    contest = schedule(api, tid, judges, month="2023-02", tracks=["demonstration"])
    set_duty(api, villages["D1"], "2023-02", 90)

    before = api.position()
    blocked = api.ok("GET", f"/towns/{tid}/months/2023-02/close-preview")
    assert blocked["can_close"] is False
    kinds = {b["kind"]: b for b in blocked["blockers"]}
    assert set(kinds) == {"duty_lists_missing", "contests_unsettled"}  # nothing closed yet: any month may be the first
    assert kinds["duty_lists_missing"]["villages"] == ["D2", "D3", "D4"]
    assert kinds["contests_unsettled"]["contests"] == [contest["id"]]

    preview = api.ok("GET", f"/towns/{tid}/months/2023-01/close-preview")
    assert api.position() == before
    assert preview["can_close"] is True and preview["blockers"] == [] and preview["board"]["status"] == "provisional"
    assert preview["consequences"]["shortfalls"] == [{"pairing_id": pairing["id"], "offline": 0, "required": 2}]
    closed = api.ok("POST", f"/towns/{tid}/months/2023-01/close")
    interviews = api.ok("GET", f"/interviews?town_id={tid}")
    sharings = api.ok("GET", f"/sharings?town_id={tid}")
    assert {(i["village_id"], i["level"]) for i in preview["consequences"]["interviews"]} == \
        {(i["village_id"], i["level"]) for i in interviews} == {(villages["D3"], "monthly"), (villages["D4"], "monthly")}
    assert {(s["village_id"], s["reason"]) for s in preview["consequences"]["sharings"]} == \
        {(s["village_id"], s["reason"]) for s in sharings}
    assert preview["board"]["tracks"] == closed["tracks"] and preview["board"]["top"] == closed["top"]
    assert api.ok("GET", f"/towns/{tid}/months/2023-01/close-preview")["blockers"][0]["kind"] == "closed"


def test_only_organizers_and_auditors_see_the_preview(api):
    town = build_town(api, per_track=(2, 0, 0))
    judge = build_judges(api, 1)[0]
    path = f"/towns/{town['town']}/months/2023-01/close-preview"
    assert api.call("GET", path, token=judge["token"]).status_code == 403
    auditor = api.ok("POST", "/accounts", {"name": "审计", "role": "auditor"}, 201)
    assert api.call("GET", path, token=auditor["token"]).status_code == 200


def test_a_village_registered_after_a_close_joins_from_the_next_month_and_leaves_the_closed_board_alone(api):
    town = build_town(api, per_track=(3, 0, 0))
    judges = build_judges(api, 3)
    tid = town["town"]
    run_month(api, town, judges, "2023-01", FIGURES)
    closed = api.ok("POST", f"/towns/{tid}/months/2023-01/close")
    body = {"town_id": tid, "code": "D9", "name": "新并村", "track": "demonstration", "secretary": {"name": "书记D9"}}
    refused(api, 409, "POST", "/villages", {**body, "joined_from": "2023-01"})
    joined = api.ok("POST", "/villages", body, 201)
    assert joined["joined_from"] == "2023-02"
    assert api.ok("GET", f"/towns/{tid}/boards/monthly/2023-01") == closed
    february = api.ok("GET", f"/towns/{tid}/months/2023-02/close-preview")
    missing = next(b for b in february["blockers"] if b["kind"] == "duty_lists_missing")
    assert "D9" in missing["villages"]


def test_a_quarter_has_the_monthly_board_shape_ranked_by_composite(api):
    town, _ = closed_town(api, "2023-03", FIGURES, per_track=(3, 0, 0))
    quarter = api.ok("GET", f"/towns/{town['town']}/boards/quarterly/2023-Q1")
    assert quarter["basis"] == "composite" and quarter["improved"] == {"demonstration": []}
    assert set(quarter) >= {"town_id", "period", "status", "rulebook_version", "tracks", "top", "bottom"}
