"""A contest scored end to end over HTTP: 12 villages, 7 judges, 4 criteria, every step."""

from decimal import Decimal
from pathlib import Path

from .helpers import Api, advance_to, build_judges, build_town, marks_for, schedule

DATA = Path(__file__).parent / "data" / "contest_totals.txt"

# Seven judges' totals per village (in DATA). Trimming drops one highest and one lowest total (R1).
TOTALS = {code: [Decimal(t) for t in totals]
          for code, *totals in (line.split() for line in DATA.read_text().splitlines() if not line.startswith("#"))}

# Worked by hand: after judge 4 corrects D1 from 79 to 86, D1's totals are 80..86; dropping 80 and 86
# leaves 81+82+83+84+85 = 415, / 5 = 83.00. D2: 70+71+72+73+74 = 360 / 5 = 72.00, tied with D3 (72.00).
EXPECTED = {
    "D1": ("83.00", 1), "D2": ("72.00", 2), "D3": ("72.00", 2), "D4": ("67.00", 4),
    "E1": ("90.00", 1), "E2": ("85.00", 2), "E3": ("62.00", 3), "E4": ("58.00", 4),
    "F1": ("62.00", 3), "F2": ("70.00", 2), "F3": ("43.00", 4), "F4": ("78.00", 1),
}


def run_contest(api: Api, codes=None):
    """Every village takes part, or only those of `codes` (publication needs each scored or absent, R13)."""
    town = build_town(api)
    judges = build_judges(api, 7)
    extra = {} if codes is None else {"participants": [town["villages"][code] for code in codes]}
    contest = schedule(api, town["town"], judges, **extra)
    return town, judges, contest


def test_a_contest_runs_through_every_step_and_publishes_hand_checked_results(api: Api):
    town, judges, contest = run_contest(api)
    villages, cid = town["villages"], contest["id"]
    assert contest["stage"] == "scheduled" and len(contest["participants"]) == 12

    advance_to(api, cid, "commentary")
    api.ok("POST", f"/contests/{cid}/commentaries", {"village_id": villages["D1"], "text": "环境整治成效明显"}, 201)
    advance_to(api, cid, "evaluation")

    for code, totals in TOTALS.items():
        for judge, total in zip(judges, totals):
            api.ok("PUT", f"/contests/{cid}/sheets/{villages[code]}", {"marks": marks_for(total)}, 201,
                   token=judge["token"])
    sheet = api.ok("POST", f"/contests/{cid}/sheets/{villages['D1']}/corrections",
                   {"marks": marks_for(86), "reason": "误将工作实绩记为33分"}, token=judges[3]["token"])
    assert sheet["total"] == 86 and sheet["version"] == 2

    published = api.ok("POST", f"/contests/{cid}/publish")
    assert published == api.ok("GET", f"/contests/{cid}/results")
    assert published["revision"] == 1 and published["rulebook_version"] == 1
    code_of = {vid: code for code, vid in villages.items()}
    got = {code_of[r["village_id"]]: (f"{r['score']:.2f}", r["rank"]) for r in published["results"]}
    assert got == EXPECTED

    d1 = next(r for r in published["results"] if r["village_id"] == villages["D1"])
    assert d1["trimmed"] == sorted([judges[0]["id"], judges[3]["id"]], key=lambda j: j != judges[0]["id"])
    assert len(d1["sheets"]) == 7

    history = api.ok("GET", f"/history/{sheet['id']}")
    assert [e["type"] for e in history] == ["ScoreSheet.Submitted", "ScoreSheet.Corrected"]
    assert all(e["actor"] == judges[3]["id"] for e in history)
    assert history[1]["data"]["reason"] == "误将工作实绩记为33分"
    assert sum(Decimal(str(v)) for v in history[1]["data"]["previous"].values()) == 79
    assert history[0]["position"] < history[1]["position"]


def test_results_are_ranked_within_each_track(api: Api):
    town, judges, contest = run_contest(api, codes=("D1", "E1", "E2", "F1"))
    cid = contest["id"]
    advance_to(api, cid, "evaluation")
    for code in ("E1", "E2", "F1"):
        for judge in judges[:5]:
            api.ok("PUT", f"/contests/{cid}/sheets/{town['villages'][code]}",
                   {"marks": marks_for(60 + len(code))}, 201, token=judge["token"])
    # D1 has no sheet and no recorded absence: publishing would rank it on duty alone, so it is refused.
    before = api.position()
    refused = api.post(f"/contests/{cid}/publish")
    assert refused.status_code == 409 and refused.body["errors"] == {"villages": ["D1"]}
    assert api.position() == before and api.ok("GET", f"/contests/{cid}")["stage"] == "evaluation"
    api.ok("POST", f"/contests/{cid}/absences", {"village_id": town["villages"]["D1"], "excused": True, "reason": "请假"})
    results = api.ok("POST", f"/contests/{cid}/publish")["results"]
    ranks = {r["village_id"]: (r["track"], r["rank"], r["flags"]) for r in results}
    assert ranks[town["villages"]["F1"]] == ("foundation", 1, ["incomplete"])
    assert ranks[town["villages"]["E1"]][1] == ranks[town["villages"]["E2"]][1] == 1
    assert ranks[town["villages"]["D1"]] == ("demonstration", None, ["excused"])


def test_the_same_sheet_again_is_accepted_once(api: Api):
    town, judges, contest = run_contest(api)
    advance_to(api, contest["id"], "evaluation")
    path = f"/contests/{contest['id']}/sheets/{town['villages']['D1']}"
    first = api.ok("PUT", path, {"marks": marks_for(70)}, 201, token=judges[0]["token"])
    before = api.position()
    again = api.ok("PUT", path, {"marks": marks_for(70)}, 200, token=judges[0]["token"])
    assert again == first and api.position() == before


def test_an_organizer_enters_a_paper_batch_all_or_nothing(api: Api):
    town, judges, contest = run_contest(api)
    advance_to(api, contest["id"], "evaluation")
    good = [{"judge_id": j["id"], "village_id": town["villages"]["D2"], "marks": marks_for(66)} for j in judges]
    bad = good[:3] + [{"judge_id": judges[3]["id"], "village_id": town["villages"]["D2"], "marks": {"work": 99}}]
    before = api.position()
    refused = api.post(f"/contests/{contest['id']}/sheets/batch", {"sheets": bad})
    assert refused.status_code == 422 and api.position() == before
    sheets = api.ok("POST", f"/contests/{contest['id']}/sheets/batch", {"sheets": good}, 201)
    assert len(sheets) == 7 and all(s["total"] == 66 for s in sheets)


def test_before_publication_a_judge_sees_only_their_own_sheets_and_a_secretary_none(api: Api):
    town, judges, contest = run_contest(api, codes=("D1",))
    advance_to(api, contest["id"], "evaluation")
    village = town["villages"]["D1"]
    for judge in judges[:2]:
        api.ok("PUT", f"/contests/{contest['id']}/sheets/{village}", {"marks": marks_for(70)}, 201, token=judge["token"])
    secretary = api.ok("POST", "/accounts", {"name": "书记D1", "role": "secretary", "village_id": village}, 201)
    path = f"/contests/{contest['id']}/sheets/{village}"
    assert [s["judge_id"] for s in api.ok("GET", path, token=judges[0]["token"])["sheets"]] == [judges[0]["id"]]
    assert api.ok("GET", path, token=secretary["token"])["sheets"] == []
    assert len(api.ok("GET", path)["sheets"]) == 2
    api.ok("POST", f"/contests/{contest['id']}/publish")
    assert len(api.ok("GET", path, token=secretary["token"])["sheets"]) == 2


def test_an_organizer_amends_a_sheet_after_publication_as_a_new_revision(api: Api):
    town, judges, contest = run_contest(api, codes=("E1",))
    cid, village = contest["id"], town["villages"]["E1"]
    advance_to(api, cid, "evaluation")
    for judge in judges[:3]:
        api.ok("PUT", f"/contests/{cid}/sheets/{village}", {"marks": marks_for(60)}, 201, token=judge["token"])
    api.ok("POST", f"/contests/{cid}/publish")
    late = api.post(f"/contests/{cid}/sheets/{village}/corrections", {"marks": marks_for(63), "reason": "迟到"},
                    token=judges[0]["token"])
    assert late.status_code == 403
    api.ok("POST", f"/contests/{cid}/sheets/{village}/corrections",
           {"marks": marks_for(63), "reason": "计分错误，经复核更正", "judge_id": judges[0]["id"]})
    results = api.ok("GET", f"/contests/{cid}/results")
    assert results["revision"] == 2
    assert next(r for r in results["results"] if r["village_id"] == village)["score"] == 61


def test_an_absent_village_scores_zero_unless_excused(api: Api):
    town, judges, contest = run_contest(api, codes=("D1", "D2"))
    cid = contest["id"]
    api.ok("POST", f"/contests/{cid}/absences", {"village_id": town["villages"]["D1"], "excused": False, "reason": "未到场"})
    api.ok("POST", f"/contests/{cid}/absences", {"village_id": town["villages"]["D2"], "excused": True, "reason": "抗洪抢险"})
    advance_to(api, cid, "evaluation")
    results = {r["village_id"]: r for r in api.ok("POST", f"/contests/{cid}/publish")["results"]}
    assert results[town["villages"]["D1"]]["score"] == 0 and results[town["villages"]["D1"]]["flags"] == ["absent"]
    assert results[town["villages"]["D2"]]["score"] is None and results[town["villages"]["D2"]]["rank"] is None


def test_a_second_contest_for_a_track_in_the_same_month_is_refused_until_the_first_is_cancelled(api: Api):
    town, judges, contest = run_contest(api)
    before = api.position()
    again = api.post("/contests", {**contest_body(town, judges), "tracks": ["foundation"]})
    assert again.status_code == 409 and api.position() == before
    api.ok("POST", f"/contests/{contest['id']}/cancel", {"reason": "天气原因改期"})
    api.ok("POST", "/contests", {**contest_body(town, judges), "tracks": ["foundation"]}, 201)
    assert len(api.ok("GET", f"/contests?town_id={town['town']}&month=2023-05")) == 2


def contest_body(town, judges):
    from .helpers import CRITERIA
    return {"town_id": town["town"], "month": "2023-05", "theme": "村级活动场所规范情况", "domain": "party_building",
            "form": "meeting", "venue": "镇会议室", "judges": [j["id"] for j in judges], "criteria": CRITERIA}
