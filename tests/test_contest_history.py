"""A contest's history: each sheet's submission, correction and amendment side by side, for auditors."""

from decimal import Decimal

from .helpers import advance_to, build_judges, build_town, marks_for, open_account, schedule


def test_a_sheet_shows_its_correction_and_amendment_with_marks_before_and_after(api):
    town = build_town(api, per_track=(2, 0, 0))
    judges = build_judges(api, 3)
    contest = schedule(api, town["town"], judges, tracks=["demonstration"])
    cid, d1, d2 = contest["id"], town["villages"]["D1"], town["villages"]["D2"]
    advance_to(api, cid, "evaluation")
    for village in (d1, d2):
        for judge in judges:
            api.ok("PUT", f"/contests/{cid}/sheets/{village}", {"marks": marks_for(70)}, 201, token=judge["token"])
    api.ok("POST", f"/contests/{cid}/sheets/{d1}/corrections",
           {"marks": marks_for(79), "reason": "误将工作实绩记为31分"}, token=judges[1]["token"])
    api.ok("POST", f"/contests/{cid}/publish")
    api.ok("POST", f"/contests/{cid}/sheets/{d1}/corrections",
           {"marks": marks_for(76), "reason": "申诉复核，思路举措改为6分", "judge_id": judges[1]["id"]})

    history = api.ok("GET", f"/contests/{cid}/history")
    assert history["contest_id"] == cid
    assert [e["type"] for e in history["events"]][:2] == ["Contest.Scheduled", "Contest.Advanced"]
    assert history["events"][-1]["type"] == "Contest.Published" and history["events"][-1]["data"]["revision"] == 2
    assert [(s["village_id"], s["judge_id"]) for s in history["sheets"]] == \
        [(village, judge["id"]) for village in (d1, d2) for judge in judges]

    corrected = history["sheets"][1]
    assert [v["type"] for v in corrected["versions"]] == ["Submitted", "Corrected", "Amended"]
    submitted, correction, amendment = corrected["versions"]
    assert submitted["before"] is None and submitted["after"]["total"] == 70 and submitted["reason"] is None
    assert (correction["actor"], correction["reason"]) == (judges[1]["id"], "误将工作实绩记为31分")
    assert (correction["before"]["total"], correction["after"]["total"]) == (70, 79)
    assert correction["before"]["marks"] == {k: Decimal(v) for k, v in marks_for(70).items()}
    assert correction["after"]["marks"] == {k: Decimal(v) for k, v in marks_for(79).items()}
    assert (amendment["before"], amendment["after"]["total"]) == (correction["after"], 76)
    assert amendment["reason"] == "申诉复核，思路举措改为6分" and amendment["actor"] != judges[1]["id"]
    assert submitted["at"] < correction["at"] < amendment["at"]
    assert submitted["position"] < correction["position"] < amendment["position"]
    assert all(len(s["versions"]) == 1 for i, s in enumerate(history["sheets"]) if i != 1)


def test_only_organizers_and_auditors_read_a_contests_history(api):
    town = build_town(api, per_track=(1, 0, 0))
    judges = build_judges(api, 1)
    contest = schedule(api, town["town"], judges, tracks=["demonstration"])
    auditor = open_account(api, "纪检监察", "auditor")
    assert api.get(f"/contests/{contest['id']}/history", token=judges[0]["token"]).status_code == 403
    assert api.ok("GET", f"/contests/{contest['id']}/history", token=auditor["token"])["sheets"] == []
    assert api.get("/contests/00000000-0000-0000-0000-000000000000/history").status_code == 404
