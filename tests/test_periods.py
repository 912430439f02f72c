"""Three months of a town, closed one by one, checked against figures worked out by hand."""

from .helpers import build_judges, build_town, marks_for
from .periods import board_rows, closed_month, codes, run_month, set_duty

# (duty, contest) per village. Composite = 0.7 × duty + 0.3 × contest (R10, default weights).
JANUARY = {
    "D1": (90, 90), "D2": (80, 80), "D3": (80, 80), "D4": (70, 70), "D5": (60, 60),
    "E1": (85, 95), "E2": (75, 65), "E3": (70, 80), "E4": (65, 55),
    "F1": (70, 0), "F2": (60, 100), "F3": (50, 40),
}
FEBRUARY = {**JANUARY, "D2": (85, 85), "D4": (78, 78), "E2": (80, 80), "F1": (70, 70)}
MARCH = {**FEBRUARY, "D5": (65, 65)}


def test_three_months_closed_give_hand_checked_boards_and_consequences(api):
    town = build_town(api, per_track=(5, 4, 3))
    judges = build_judges(api, 5)
    tid, code_of = town["town"], {v: c for c, v in town["villages"].items()}

    run_month(api, town, judges, "2023-01", JANUARY, excused=["F1"])
    provisional = api.ok("GET", f"/towns/{tid}/boards/monthly/2023-01")
    assert provisional["status"] == "provisional"
    closed = api.ok("POST", f"/towns/{tid}/months/2023-01/close")
    assert closed["status"] == "closed" and closed["rulebook_version"] == 1
    # D: 0.7×90+0.3×90 = 90; D2 = D3 = 80 share rank 2; D4 70; D5 60.
    # E: E1 59.5+28.5 = 88; E3 49+24 = 73; E2 52.5+19.5 = 72; E4 45.5+16.5 = 62.
    # F: F1 excused, so its composite is its duty score 70; F2 42+30 = 72; F3 35+12 = 47.
    assert board_rows(closed, code_of) == {
        "D1": ("90.00", 1, None, False), "D2": ("80.00", 2, None, False), "D3": ("80.00", 2, None, False),
        "D4": ("70.00", 4, None, False), "D5": ("60.00", 5, None, False),
        "E1": ("88.00", 1, None, False), "E3": ("73.00", 2, None, False), "E2": ("72.00", 3, None, False),
        "E4": ("62.00", 4, None, False),
        "F2": ("72.00", 1, None, False), "F1": ("70.00", 2, None, False), "F3": ("47.00", 3, None, False)}
    assert [code_of[r["village_id"]] for r in closed["tracks"]["demonstration"]] == ["D1", "D2", "D3", "D4", "D5"]
    assert api.ok("GET", f"/towns/{tid}/boards/monthly/2023-01") == closed

    # The consequences follow the contest ranking (R9), each side at most half the track (R5).
    # D (5 villages, 2 places a side): D2 and D3 tie at the top line, so the top holds three; bottom D5, D4.
    # E (4): contest E1 95, E3 80, E2 65, E4 55. F: F1 is excused, so it is left out: F2 top, F3 bottom.
    assert closed["basis"] == "contest" and closed["top"]["demonstration"] == [town["villages"][c] for c in ("D1", "D2", "D3")]
    january = api.ok("GET", f"/interviews?town_id={tid}&level=monthly")
    assert codes([i["village_id"] for i in january], code_of) == {"D4", "D5", "E2", "E4", "F3"}
    assert {i["conductor"] for i in january} == {"党委副书记"} and {i["status"] for i in january} == {"required"}
    d4 = next(i for i in january if code_of[i["village_id"]] == "D4")
    assert (d4["rank"], f"{d4['score']:.2f}", d4["secretary"], d4["period"]) == (4, "70.00", "书记D4", "2023-01")
    sharings = api.ok("GET", f"/sharings?town_id={tid}&period=2023-01")
    assert {(code_of[s["village_id"]], s["reason"]) for s in sharings} == {
        ("D1", "top"), ("D2", "top"), ("D3", "top"), ("E1", "top"), ("E3", "top"), ("F2", "top")}
    assert api.post(f"/towns/{tid}/months/2023-01/close").status_code == 409

    run_month(api, town, judges, "2023-02", FEBRUARY)
    february = api.ok("POST", f"/towns/{tid}/months/2023-02/close")
    # D4: contest 78 against 70 in January, +8.00 ≥ 5.00 points, but it is at the bottom (4th of 5): not improved.
    # E2: 80, up 15 points, ties E3 at the top line, so it shares as a top village instead (R7: neither side).
    # F1 had no contest rank in January (excused): nothing to compare against, so not improved.
    assert board_rows(february, code_of) == {
        "D1": ("90.00", 1, 1, False), "D2": ("85.00", 2, 2, False), "D3": ("80.00", 3, 2, False),
        "D4": ("78.00", 4, 4, False), "D5": ("60.00", 5, 5, False),
        "E1": ("88.00", 1, 1, False), "E2": ("80.00", 2, 3, False), "E3": ("73.00", 3, 2, False),
        "E4": ("62.00", 4, 4, False),
        "F2": ("72.00", 1, 1, False), "F1": ("70.00", 2, 2, False), "F3": ("47.00", 3, 3, False)}
    shared = {(code_of[s["village_id"]], s["reason"]) for s in api.ok("GET", f"/sharings?town_id={tid}&period=2023-02")}
    assert shared == {("D1", "top"), ("D2", "top"), ("E1", "top"), ("E2", "top"), ("E3", "top"), ("F2", "top")}
    assert api.ok("GET", f"/interviews?town_id={tid}&level=quarterly") == []

    run_month(api, town, judges, "2023-03", MARCH)
    api.ok("POST", f"/towns/{tid}/months/2023-03/close")
    quarter = api.ok("GET", f"/towns/{tid}/boards/quarterly/2023-Q1")
    # Means of the three closed months: D2 (80+85+85)/3 = 83.33; D4 (70+78+78)/3 = 75.33;
    # D5 (60+60+65)/3 = 61.67; E2 (72+80+80)/3 = 77.33.
    scores = {code_of[r["village_id"]]: (f"{r['score']:.2f}", r["rank"], r["months"])
              for rows in quarter["tracks"].values() for r in rows}
    assert quarter["status"] == "closed"
    assert scores == {"D1": ("90.00", 1, 3), "D2": ("83.33", 2, 3), "D3": ("80.00", 3, 3), "D4": ("75.33", 4, 3),
                      "D5": ("61.67", 5, 3), "E1": ("88.00", 1, 3), "E2": ("77.33", 2, 3), "E3": ("73.00", 3, 3),
                      "E4": ("62.00", 4, 3), "F2": ("72.00", 1, 3), "F1": ("70.00", 2, 3), "F3": ("47.00", 3, 3)}
    # The quarter ranks by composite; each side at most half the track: D5, D4; E4, E3; F3 (of 3).
    quarterly = api.ok("GET", f"/interviews?town_id={tid}&level=quarterly")
    assert codes([i["village_id"] for i in quarterly], code_of) == {"D4", "D5", "E3", "E4", "F3"}
    assert {i["conductor"] for i in quarterly} == {"镇党委副书记、镇长"}


def test_a_correction_after_a_close_is_flagged_and_a_reopen_adjusts_the_consequences(api):
    town = build_town(api, per_track=(5, 4, 3))
    judges = build_judges(api, 5)
    tid, code_of = town["town"], {v: c for c, v in town["villages"].items()}
    api.ok("PUT", f"/towns/{tid}/rulebook", {"effective_from": "2023-01", "monthly_basis": "composite"})
    for month, figures in (("2023-01", JANUARY), ("2023-02", FEBRUARY), ("2023-03", MARCH)):
        run_month(api, town, judges, month, figures)
        api.ok("POST", f"/towns/{tid}/months/{month}/close")

    # A closed month is read-only: the duty list must wait for a reopen, and nothing is recorded.
    before = api.position()
    assert api.put(f"/villages/{town['villages']['D1']}/duty/2023-03",
                   {"items": [{"item": "职责清单", "score": 0, "max": 100}]}).status_code == 409
    assert api.position() == before

    assert api.post(f"/towns/{tid}/months/2023-03/reopen", {"reason": ""}).status_code == 422
    reopened = api.ok("POST", f"/towns/{tid}/months/2023-03/reopen", {"reason": "D1职责清单复核后更正"})
    assert reopened["status"] == "provisional"
    set_duty(api, town["villages"]["D1"], "2023-03", 0)
    # Until it closes again the board is provisional: D1 0.7 × 0 + 0.3 × 90 = 27.00.
    assert board_rows(api.ok("GET", f"/towns/{tid}/boards/monthly/2023-03"), code_of)["D1"][:2] == ("27.00", 5)
    again = api.ok("POST", f"/towns/{tid}/months/2023-03/close")
    assert again["revision"] == 2 and again["stale"] is False and again["basis"] == "composite"
    assert board_rows(again, code_of)["D1"][:2] == ("27.00", 5)

    # March, by composite: D2 85, D3 80, D4 78, D5 65, D1 27: D1 replaces D4 at the bottom and D3 D1 at the top.
    monthly = api.ok("GET", f"/interviews?town_id={tid}&level=monthly")
    march = {code_of[i["village_id"]]: i["status"] for i in monthly if i["period"] == "2023-03" and i["track"] == "demonstration"}
    assert march == {"D1": "required", "D4": "withdrawn", "D5": "required"}
    shared = {code_of[s["village_id"]]: s["status"] for s in api.ok("GET", f"/sharings?town_id={tid}&period=2023-03")
              if code_of[s["village_id"]].startswith("D")}
    assert shared == {"D1": "withdrawn", "D2": "invited", "D3": "invited"}
    # The quarter is recorded again: D1 (90 + 90 + 27) / 3 = 69.00 falls below D4 (75.33), which is withdrawn.
    quarterly = {code_of[i["village_id"]]: i["status"] for i in api.ok("GET", f"/interviews?town_id={tid}&level=quarterly")
                 if i["track"] == "demonstration"}
    assert quarterly == {"D1": "required", "D4": "withdrawn", "D5": "required"}
    quarter = api.ok("GET", f"/towns/{tid}/boards/quarterly/2023-Q1?track=demonstration")
    assert quarter["revision"] == 2 and list(quarter["tracks"]) == ["demonstration"]
    d4 = next(i["id"] for i in monthly if code_of[i["village_id"]] == "D4" and i["period"] == "2023-03")
    history = api.ok("GET", f"/history/{d4}")
    assert [e["type"] for e in history] == ["Interview.Required", "Interview.Withdrawn"]
    assert "不再位列后" in history[1]["data"]["reason"]


def test_an_amendment_after_a_close_is_flagged_until_the_month_is_reopened(api):
    town = build_town(api, per_track=(3, 0, 0))
    judges = build_judges(api, 5)
    tid, code_of = town["town"], {v: c for c, v in town["villages"].items()}
    run_month(api, town, judges, "2023-01", {"D1": (90, 90), "D2": (80, 80), "D3": (70, 70)})
    api.ok("POST", f"/towns/{tid}/months/2023-01/close")
    contest = api.ok("GET", f"/contests?town_id={tid}&month=2023-01")[0]
    api.ok("POST", f"/contests/{contest['id']}/sheets/{town['villages']['D3']}/corrections",
           {"marks": marks_for(100), "reason": "复核计分", "judge_id": judges[0]["id"]})
    # R1 drops the 100 as the highest: D3 still scores 70 and nothing is stale. A second amendment counts.
    assert api.ok("GET", f"/towns/{tid}/boards/monthly/2023-01")["stale"] is False
    api.ok("POST", f"/contests/{contest['id']}/sheets/{town['villages']['D3']}/corrections",
           {"marks": marks_for(100), "reason": "复核计分", "judge_id": judges[1]["id"]})
    board = api.ok("GET", f"/towns/{tid}/boards/monthly/2023-01")
    # Kept: 70, 70, 100 → 80.00; composite 0.7 × 70 + 0.3 × 80 = 73.00, recorded 70.00; the close stands.
    assert board["status"] == "closed" and board["stale"] is True
    assert [(code_of[c["village_id"]], f"{c['recorded']:.2f}", f"{c['live']:.2f}") for c in board["changes"]] == \
        [("D3", "70.00", "73.00")]


def test_a_month_with_a_contest_still_running_cannot_close(api):
    town = build_town(api, per_track=(2, 0, 0))
    judges = build_judges(api, 3)
    from .helpers import schedule
    schedule(api, town["town"], judges, month="2023-04", tracks=["demonstration"])
    before = api.position()
    refused = api.post(f"/towns/{town['town']}/months/2023-04/close")
    assert refused.status_code == 409 and api.position() == before
    assert api.post(f"/towns/{town['town']}/months/2023-13/close").status_code == 422
    assert api.post(f"/towns/{town['town']}/months/2023-04/reopen", {"reason": "x"}).status_code == 409


def test_the_next_month_is_compared_with_the_revision_a_reclosed_month_recorded(api):
    town = build_town(api, per_track=(3, 0, 0))
    judges = build_judges(api, 5)
    tid, code_of = town["town"], {v: c for c, v in town["villages"].items()}
    api.ok("PUT", f"/towns/{tid}/rulebook", {"effective_from": "2023-01", "monthly_basis": "composite"})
    closed_month(api, town, judges, "2023-01", {"D1": (90, 90), "D2": (80, 80), "D3": (70, 70)})
    run_month(api, town, judges, "2023-02", {"D1": (90, 90), "D2": (80, 80), "D3": (70, 70)})
    assert board_rows(api.ok("GET", f"/towns/{tid}/boards/monthly/2023-02"), code_of)["D3"][2] == 3

    api.ok("POST", f"/towns/{tid}/months/2023-01/reopen", {"reason": "D1职责清单复核后更正"})
    set_duty(api, town["villages"]["D1"], "2023-01", 0)
    api.ok("POST", f"/towns/{tid}/months/2023-01/close")
    # January's second revision: D2 80, D3 70, D1 0.7 × 0 + 0.3 × 90 = 27. February is compared with it.
    february = board_rows(api.ok("POST", f"/towns/{tid}/months/2023-02/close"), code_of)
    assert {code: row[2] for code, row in february.items()} == {"D1": 3, "D2": 1, "D3": 2}
