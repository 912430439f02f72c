"""Follow-ups recorded as events: pairings and compliance, shortfalls, the daily jobs, delivery and its failures."""

import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
from eventsourcing.persistence import IntegrityError

from domain.followup import ClaimedError, FollowUp
from service.application import BOOTSTRAP_ID
from workers.channels import WebhookChannel
from workers.delivery import deliver

from .helpers import advance_to, build_judges, build_town, open_account, schedule
from .periods import run_month
from .receiver import Receiver
from .test_refusals import refused

FIGURES = {"D1": (90, 90), "D2": (80, 80), "D3": (70, 70), "D4": (60, 60)}


@pytest.fixture
def town(api):
    return build_town(api, per_track=(4, 0, 0))


def pair(api, town, advanced="D1", lagging="D4", from_month="2023-05"):
    body = {"advanced_village_id": town["villages"][advanced], "lagging_village_id": town["villages"][lagging],
            "from_month": from_month}
    return api.ok("POST", "/pairings", body, 201)


def exchange(api, pairing, on, mode="offline", **kw):
    return api.ok("POST", f"/pairings/{pairing['id']}/exchanges", {"date": on, "mode": mode, "summary": "交流人居环境整治经验"},
                  201, **kw)


def compliance(api, town, month):
    return {c["pairing_id"]: (c["offline"], c["required"], c["compliant"])
            for c in api.ok("GET", f"/towns/{town['town']}/pairings/compliance/{month}")}


def test_compliance_counts_offline_exchanges_of_the_month(api, town):
    first, second = pair(api, town), pair(api, town, "D2", "D3")
    secretary = open_account(api, "书记D4", "secretary", town["villages"]["D4"])
    exchange(api, first, "2023-05-03", token=secretary["token"])
    exchange(api, first, "2023-05-20")
    exchange(api, first, "2023-06-01")
    exchange(api, second, "2023-05-04")
    exchange(api, second, "2023-05-09", mode="online")
    assert compliance(api, town, "2023-05") == {first["id"]: (2, 2, True), second["id"]: (1, 2, False)}
    assert compliance(api, town, "2023-04") == {}


def test_a_month_that_closes_short_records_a_shortfall_and_a_notice(api, town):
    judges = build_judges(api, 3)
    short, full = pair(api, town), pair(api, town, "D2", "D3")
    exchange(api, short, "2023-05-10")
    exchange(api, full, "2023-05-10")
    exchange(api, full, "2023-05-11")
    run_month(api, town, judges, "2023-05", FIGURES)
    api.ok("POST", f"/towns/{town['town']}/months/2023-05/close")
    assert api.ok("GET", f"/pairings/{short['id']}")["shortfalls"] == {"2023-05": {"offline": 1, "required": 2}}
    assert api.ok("GET", f"/pairings/{full['id']}")["shortfalls"] == {}
    notices = [f for f in api.ok("GET", f"/followups?town_id={town['town']}") if f["kind"] == "pairing_shortfall"]
    assert len(notices) == 1 and "结对交流不足" in notices[0]["subject"] and notices[0]["status"] == "pending"
    assert notices[0]["recipient"] == "书记D1、书记D4"


def test_closing_a_month_records_interview_and_sharing_notices_in_chinese(api, town):
    judges = build_judges(api, 3)
    run_month(api, town, judges, "2023-05", FIGURES)
    api.ok("POST", f"/towns/{town['town']}/months/2023-05/close")
    followups = api.ok("GET", f"/followups?town_id={town['town']}&status=pending")
    kinds = sorted(f["kind"] for f in followups if f["kind"] != "sheets_pending")
    # Four villages: each side takes at most two (R5), on the contest ranking (R9).
    assert kinds == ["interview_conductor"] * 2 + ["interview_required"] * 2 + ["sharing_invited"] * 2
    assert {f["recipient"] for f in followups if f["kind"] == "interview_conductor"} == {"党委副书记"}
    d4 = next(f for f in followups if f["kind"] == "interview_required" and "D4村" in f["subject"])
    assert d4["recipient"] == "书记D4（D4村）" and d4["subject"] == "2023-05月度约谈：D4村"
    assert api.ok("GET", f"/followups?town_id={town['town']}&status=delivered") == []


def test_a_contest_entering_evaluation_tells_each_judge_their_pending_sheets(api, town):
    judges = build_judges(api, 2)
    contest = schedule(api, town["town"], judges, tracks=["demonstration"])
    advance_to(api, contest["id"], "evaluation")
    pending = [f for f in api.ok("GET", f"/followups?town_id={town['town']}") if f["kind"] == "sheets_pending"]
    assert sorted(f["recipient"] for f in pending) == ["评委1", "评委2"]
    assert "4份评分表" in api.ok("GET", f"/history/{pending[0]['id']}")[0]["data"]["body"]


def test_pairing_reminders_follow_the_calendar_and_run_once_a_day(api, town, leitai):
    none, one, two = pair(api, town, "D1", "D4"), pair(api, town, "D2", "D3"), pair(api, town, "D1", "D3")
    exchange(api, one, "2023-05-05")
    exchange(api, two, "2023-05-05")
    exchange(api, two, "2023-05-06")

    def reminded(day):
        leitai.daily(day, BOOTSTRAP_ID)
        notices = [f for f in api.ok("GET", f"/followups?town_id={town['town']}") if f["kind"] == "pairing_reminder"]
        return sorted(api.ok("GET", f"/history/{f['id']}")[0]["data"]["about_id"] for f in notices)

    assert reminded(date(2023, 5, 14)) == []
    assert reminded(date(2023, 5, 15)) == [none["id"]]
    assert reminded(date(2023, 5, 15)) == [none["id"]]
    exchange(api, none, "2023-05-20")
    assert sorted(reminded(date(2023, 5, 25))) == sorted([none["id"], none["id"], one["id"]])
    before = api.position()
    reminded(date(2023, 5, 25))
    assert api.position() == before


def test_an_interview_not_held_in_time_is_overdue_once(api, town, leitai):
    judges = build_judges(api, 3)
    run_month(api, town, judges, "2023-05", FIGURES)
    api.ok("POST", f"/towns/{town['town']}/months/2023-05/close")
    interviews = api.ok("GET", f"/interviews?town_id={town['town']}")
    held = interviews[0]
    api.ok("POST", f"/interviews/{held['id']}/hold", {"held_at": "2026-11-20T10:00:00+08:00", "minutes": "已约谈，书记表态整改"})
    required_on = datetime.now(timezone.utc).astimezone(timezone(timedelta(hours=8))).date()

    def overdue_notices():
        return [f for f in api.ok("GET", f"/followups?town_id={town['town']}") if f["kind"] == "interview_overdue"]

    leitai.daily(required_on + timedelta(days=10), BOOTSTRAP_ID)
    assert overdue_notices() == []
    leitai.daily(required_on + timedelta(days=11), BOOTSTRAP_ID)
    assert len(overdue_notices()) == 1  # two required (D3, D4), one of them held
    leitai.daily(required_on + timedelta(days=12), BOOTSTRAP_ID)
    assert len(overdue_notices()) == 1
    assert all(i["overdue"] is False for i in api.ok("GET", f"/interviews?town_id={town['town']}"))


def test_interview_steps_and_their_refusals(api, town):
    judges = build_judges(api, 3)
    run_month(api, town, judges, "2023-05", FIGURES)
    api.ok("POST", f"/towns/{town['town']}/months/2023-05/close")
    first, second = api.ok("GET", f"/interviews?town_id={town['town']}")[:2]
    scheduled = api.ok("POST", f"/interviews/{first['id']}/schedule", {"at": "2023-06-02T09:00:00+08:00"})
    assert scheduled["status"] == "scheduled"
    refused(api, 422, "POST", f"/interviews/{first['id']}/hold", {"held_at": "2023-06-02T09:00:00+08:00", "minutes": " "})
    refused(api, 422, "POST", f"/interviews/{first['id']}/schedule", {"at": "2023-06-02T09:00:00"})
    api.ok("POST", f"/interviews/{first['id']}/hold", {"held_at": "2023-06-02T09:30:00+08:00", "minutes": "约谈记录"})
    refused(api, 409, "POST", f"/interviews/{first['id']}/waive", {"reason": "已约谈"})
    api.ok("POST", f"/interviews/{second['id']}/waive", {"reason": "书记因公外出学习，经党委同意免于约谈"})
    refused(api, 404, "POST", f"/interviews/{uuid.uuid4()}/waive", {"reason": "x"})
    secretary = open_account(api, "书记", "secretary", town["villages"]["D1"])
    refused(api, 403, "POST", f"/interviews/{second['id']}/waive", {"reason": "x"}, token=secretary["token"])
    statuses = {i["id"]: i["status"] for i in api.ok("GET", f"/interviews?town_id={town['town']}")}
    assert statuses[first["id"]] == "held" and statuses[second["id"]] == "waived"
    assert [i["id"] for i in api.ok("GET", f"/interviews?town_id={town['town']}&status=held")] == [first["id"]]


def test_pairing_refusals_record_nothing(api, town):
    villages = town["villages"]
    refused(api, 422, "POST", "/pairings", {"advanced_village_id": villages["D1"], "lagging_village_id": villages["D1"],
                                            "from_month": "2023-05"})
    refused(api, 404, "POST", "/pairings", {"advanced_village_id": villages["D1"], "lagging_village_id": str(uuid.uuid4()),
                                            "from_month": "2023-05"})
    refused(api, 422, "POST", "/pairings", {"advanced_village_id": villages["D1"], "lagging_village_id": villages["D2"],
                                            "from_month": "2023-5"})
    pairing = pair(api, town)
    path = f"/pairings/{pairing['id']}/exchanges"
    refused(api, 409, "POST", path, {"date": "2023-04-30", "mode": "offline", "summary": "早于结对"})
    refused(api, 422, "POST", path, {"date": "2023-05-32", "mode": "offline", "summary": "x"})
    refused(api, 422, "POST", path, {"date": "2023-05-10", "mode": "telepathy", "summary": "x"})
    outsider = open_account(api, "书记D2", "secretary", villages["D2"])
    refused(api, 403, "POST", path, {"date": "2023-05-10", "mode": "offline", "summary": "x"}, token=outsider["token"])
    judge = open_account(api, "评委", "judge")
    refused(api, 403, "POST", path, {"date": "2023-05-10", "mode": "offline", "summary": "x"}, token=judge["token"])
    api.ok("POST", f"/pairings/{pairing['id']}/dissolve", {"reason": "两村合并"})
    refused(api, 409, "POST", f"/pairings/{pairing['id']}/dissolve", {"reason": "again"})
    refused(api, 404, "GET", f"/towns/{uuid.uuid4()}/pairings/compliance/2023-05")
    refused(api, 422, "GET", f"/towns/{town['town']}/pairings/compliance/2023-13")
    refused(api, 422, "GET", f"/followups?town_id={town['town']}&status=lost")


def delivered_pending(api, town, leitai):
    judges = build_judges(api, 3)
    run_month(api, town, judges, "2023-05", FIGURES)
    api.ok("POST", f"/towns/{town['town']}/months/2023-05/close")
    return next(f for f in api.ok("GET", f"/followups?town_id={town['town']}") if f["kind"] == "interview_required")


def test_delivering_twice_posts_once_and_records_one_delivery(api, town, leitai):
    followup = delivered_pending(api, town, leitai)
    robot = Receiver()
    try:
        channel = WebhookChannel(robot.url)
        assert deliver(leitai, followup["id"], channel, attempt=1, final=False) is True
        assert deliver(leitai, followup["id"], channel, attempt=1, final=False) is False
        assert robot.counts() == {followup["id"]: 1}
        assert robot.received[0]["json"]["text"]["content"].startswith(followup["subject"])
    finally:
        robot.close()
    types = [e["type"] for e in api.ok("GET", f"/history/{followup['id']}")]
    assert types == ["FollowUp.Issued", "FollowUp.Claimed", "FollowUp.Delivered"]


def test_a_follow_up_claimed_by_a_live_worker_is_not_sent_by_another_until_the_lease_ends(api, town, leitai):
    followup = delivered_pending(api, town, leitai)
    assert leitai.claimed_followup(followup["id"], "node-a:1:1", timedelta(seconds=30), uuid.uuid4()) is not None
    robot = Receiver()
    try:
        with pytest.raises(ClaimedError) as refused:
            deliver(leitai, followup["id"], WebhookChannel(robot.url), attempt=1, final=False)
        assert refused.value.claimant == "node-a:1:1"
        assert robot.counts() == {}
    finally:
        robot.close()


def test_a_claim_left_by_a_dead_worker_is_taken_over_once_its_lease_has_run_out(api, town, leitai):
    followup = delivered_pending(api, town, leitai)
    assert leitai.claimed_followup(followup["id"], "node-a:1:1", timedelta(seconds=-1), uuid.uuid4()) is not None
    robot = Receiver()
    try:
        assert deliver(leitai, followup["id"], WebhookChannel(robot.url), attempt=2, final=False) is True
        assert robot.counts() == {followup["id"]: 1}
    finally:
        robot.close()
    types = [e["type"] for e in api.ok("GET", f"/history/{followup['id']}")]
    assert types == ["FollowUp.Issued", "FollowUp.Claimed", "FollowUp.Claimed", "FollowUp.Delivered"]


def test_a_worker_whose_lease_ran_out_and_was_taken_over_records_no_second_delivery(api, town, leitai):
    followup = delivered_pending(api, town, leitai)
    stalled = leitai.claimed_followup(followup["id"], "node-a:1:1", timedelta(seconds=-1), uuid.uuid4())
    robot = Receiver()
    try:
        assert deliver(leitai, followup["id"], WebhookChannel(robot.url), attempt=1, final=False) is True
    finally:
        robot.close()
    assert leitai.record_claimed_delivery(stalled, "webhook", 1, uuid.uuid4()) is False
    types = [e["type"] for e in api.ok("GET", f"/history/{followup['id']}")]
    assert types == ["FollowUp.Issued", "FollowUp.Claimed", "FollowUp.Claimed", "FollowUp.Delivered"]


def test_of_two_workers_claiming_the_same_version_one_is_refused_and_backs_off(leitai, api, town):
    followup = delivered_pending(api, town, leitai)
    first, second = (leitai.load(FollowUp, followup["id"]) for _ in range(2))
    at = datetime.now(timezone.utc)
    for copy, name in ((first, "a"), (second, "b")):
        copy.claim(name, at, at + timedelta(seconds=30), uuid.uuid4())
    leitai.save(first)
    with pytest.raises(IntegrityError):
        leitai.save(second)
    with pytest.raises(ClaimedError):
        leitai.claimed_followup(followup["id"], "b", timedelta(seconds=30), uuid.uuid4())


def test_when_retries_run_out_the_follow_up_shows_failed(api, town, leitai):
    followup = delivered_pending(api, town, leitai)
    robot = Receiver()
    robot.fail_with = 500
    try:
        channel = WebhookChannel(robot.url)
        for attempt, final in ((1, False), (2, False), (3, True)):
            with pytest.raises(Exception):
                deliver(leitai, followup["id"], channel, attempt=attempt, final=final)
    finally:
        robot.close()
    shown = next(f for f in api.ok("GET", f"/followups?town_id={town['town']}") if f["id"] == followup["id"])
    assert (shown["status"], shown["attempts"]) == ("failed", 3)
