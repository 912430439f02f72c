"""Accounts and their roles; follow-ups (后续通知) and the words they carry."""

from uuid import uuid4

import pytest

from domain.account import Account
from domain.errors import InvalidError, RuleError
from domain.followup import FollowUp
from domain.notices import interview_required, sharing_invited

ORGANISER, SYSTEM = uuid4(), uuid4()
HOUDIAN = {"name": "后店村", "secretary": "王建国", "track": "foundation"}


def account(role: str, village_id=None) -> Account:
    return Account(name="张三", role=role, village_id=village_id, token_hash="sha256:abc", by=ORGANISER)


def test_a_secretary_account_belongs_to_a_village():
    with pytest.raises(InvalidError) as refused:
        account("secretary")
    assert "village_id" in refused.value.errors


@pytest.mark.parametrize("role", ["organizer", "auditor"])
def test_an_organiser_or_auditor_account_belongs_to_no_village(role):
    with pytest.raises(InvalidError):
        account(role, uuid4())


def test_a_judge_may_come_from_a_village_or_from_outside():
    village_id = uuid4()
    assert (account("judge", village_id).village_id, account("judge").village_id) == (village_id, None)


def test_an_unknown_role_is_refused():
    with pytest.raises(InvalidError):
        account("mayor")


def test_a_disabled_account_stays_disabled_and_needs_a_reason_once():
    judge = account("judge")
    with pytest.raises(InvalidError):
        judge.disable(" ", ORGANISER)
    judge.disable("调离", ORGANISER)
    with pytest.raises(RuleError, match="already disabled"):
        judge.disable("再次停用", ORGANISER)
    assert judge.disabled


def followup() -> FollowUp:
    return FollowUp(key="interview:2023-05:v-c", town_id=uuid4(), kind="interview_required", recipient="王建国（后店村）",
                    subject="约谈通知", body="……", about_id=None, by=SYSTEM)


def test_the_same_notice_for_the_same_occasion_has_the_same_id():
    assert FollowUp.create_id("interview:2023-05:v-c") == FollowUp.create_id("interview:2023-05:v-c")
    assert FollowUp.create_id("interview:2023-05:v-c") != FollowUp.create_id("interview:2023-06:v-c")


def test_a_failed_attempt_with_retries_left_keeps_the_notice_pending():
    notice = followup()
    notice.attempt_failed("webhook", 1, "timeout", False, SYSTEM)
    assert (notice.status, notice.attempts) == ("pending", 1)


def test_the_final_failed_attempt_marks_the_notice_failed():
    notice = followup()
    notice.attempt_failed("webhook", 3, "timeout", True, SYSTEM)
    assert notice.status == "failed"


def test_a_delivered_notice_records_the_attempt_that_reached_its_recipient():
    notice = followup()
    notice.attempt_failed("webhook", 1, "timeout", False, SYSTEM)
    notice.delivered("webhook", 2, SYSTEM)
    assert (notice.status, notice.attempts) == ("delivered", 2)


def test_a_monthly_interview_notice_names_the_secretary_the_rank_and_who_conducts_it():
    kind, recipient, subject, body = interview_required("monthly", "2023-05", HOUDIAN, 9, "61.40", "党委副书记")
    assert (kind, recipient) == ("interview_required", "王建国（后店村）")
    assert "月度约谈" in subject
    assert "强基村赛道排名第9位（得分61.40）" in body and "接受党委副书记约谈" in body


def test_an_annual_notice_asks_for_a_pledge_at_the_town_wide_meeting_rather_than_an_interview():
    _, _, subject, body = interview_required("annual", "2023", HOUDIAN, 10, "58.00", "全镇大会（表态发言）")
    assert "年度表态发言" in subject and "在全镇大会作表态发言" in body and "约谈" not in body


@pytest.mark.parametrize("reason, why", [("top", "排名前列"), ("improved", "进步明显")])
def test_a_sharing_invitation_says_why_the_village_was_chosen(reason, why):
    assert why in sharing_invited("2023-05", HOUDIAN, reason)[3]
