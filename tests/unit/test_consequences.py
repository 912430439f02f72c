"""Consequences of a closed period: interviews and pledges (约谈, 表态发言), sharing sessions (经验分享)."""

from datetime import datetime, timezone
from decimal import Decimal
from uuid import uuid4

import pytest

from domain.consequences import Interview, Sharing
from domain.errors import InvalidError, RuleError

ORGANISER = uuid4()
HELD = datetime(2023, 6, 8, 9, 30, tzinfo=timezone.utc)


def interview(level="monthly", period="2023-05") -> Interview:
    return Interview(town_id=uuid4(), level=level, period=period, village_id="v-c", secretary="王建国",
                     track="foundation", rank=9, score=Decimal("61.40"), by=ORGANISER)


def sharing() -> Sharing:
    return Sharing(town_id=uuid4(), period="2023-05", village_id="v-a", reason="top", by=ORGANISER)


@pytest.mark.parametrize("level, conductor", [("monthly", "党委副书记"), ("quarterly", "镇党委副书记、镇长"),
                                              ("annual", "全镇大会（表态发言）")])
def test_the_interview_is_conducted_by_whoever_the_level_calls_for(level, conductor):
    assert interview(level).conductor == conductor


def test_a_monthly_interview_is_held_with_its_minutes():
    talk = interview()
    talk.hold(HELD, "分析了人居环境短板，明确整改时限", ORGANISER)
    assert talk.status == "held" and talk.pledge is None


def test_a_scheduled_interview_can_then_be_held():
    talk = interview()
    talk.schedule(HELD, ORGANISER)
    talk.hold(HELD, "整改措施三条", ORGANISER)
    assert talk.status == "held"


@pytest.mark.parametrize("minutes", ["", "   "])
def test_an_interview_without_minutes_is_refused(minutes):
    talk = interview()
    with pytest.raises(InvalidError) as refused:
        talk.hold(HELD, minutes, ORGANISER)
    assert "minutes" in refused.value.errors and talk.status == "required"


def test_the_annual_pledge_meeting_is_held_only_with_the_pledge_made():
    pledge = interview("annual", "2023")
    with pytest.raises(InvalidError) as refused:
        pledge.hold(HELD, "全镇大会发言", ORGANISER)
    assert "pledge" in refused.value.errors and pledge.status == "required"


def test_the_annual_pledge_is_recorded_when_the_meeting_is_held():
    pledge = interview("annual", "2023")
    pledge.hold(HELD, "全镇大会发言", ORGANISER, pledge="明年进入中游，人居环境整治全面达标")
    assert (pledge.status, pledge.pledge) == ("held", "明年进入中游，人居环境整治全面达标")


@pytest.mark.parametrize("level", ["monthly", "quarterly"])
def test_an_interview_below_the_annual_level_takes_no_pledge(level):
    talk = interview(level, "2023-05" if level == "monthly" else "2023-Q2")
    with pytest.raises(InvalidError) as refused:
        talk.hold(HELD, "约谈记录", ORGANISER, pledge="保证整改")
    assert "pledge" in refused.value.errors and talk.status == "required"


def test_a_held_interview_cannot_be_held_again_nor_waived():
    talk = interview()
    talk.hold(HELD, "约谈记录", ORGANISER)
    with pytest.raises(RuleError, match="held"):
        talk.hold(HELD, "第二次记录", ORGANISER)
    with pytest.raises(RuleError, match="held"):
        talk.waive("不再需要", ORGANISER)


def test_an_interview_withdrawn_after_the_standings_changed_cannot_be_held():
    talk = interview()
    talk.withdraw("重新排名后不在后三名", ORGANISER)
    with pytest.raises(RuleError, match="withdrawn"):
        talk.hold(HELD, "约谈记录", ORGANISER)


def test_an_interview_required_again_can_be_held():
    talk = interview()
    talk.withdraw("重新排名后不在后三名", ORGANISER)
    talk.require_again(10, Decimal("58.00"), ORGANISER)
    talk.hold(HELD, "约谈记录", ORGANISER)
    assert (talk.status, talk.rank) == ("held", 10)


def test_a_village_is_interviewed_once_per_level_and_period():
    town_id = uuid4()
    assert Interview.create_id(town_id, "monthly", "2023-05", "v-c") == Interview.create_id(town_id, "monthly", "2023-05", "v-c")
    assert Interview.create_id(town_id, "monthly", "2023-05", "v-c") != Interview.create_id(town_id, "monthly", "2023-06", "v-c")


def test_a_sharing_session_is_recorded_with_what_was_shared():
    session = sharing()
    session.hold("2023-06-10", "垃圾分类积分超市的做法", ORGANISER)
    assert (session.status, session.held_on, session.summary) == ("held", "2023-06-10", "垃圾分类积分超市的做法")


def test_a_sharing_session_without_a_summary_is_refused():
    session = sharing()
    with pytest.raises(InvalidError):
        session.hold("2023-06-10", "  ", ORGANISER)
    assert session.status == "invited"


def test_a_sharing_session_is_held_once():
    session = sharing()
    session.hold("2023-06-10", "垃圾分类积分超市的做法", ORGANISER)
    with pytest.raises(RuleError, match="held"):
        session.hold("2023-06-17", "再讲一次", ORGANISER)
    assert session.held_on == "2023-06-10"


def test_a_withdrawn_invitation_cannot_be_held():
    session = sharing()
    session.withdraw("重新排名后不在前三", ORGANISER)
    with pytest.raises(RuleError, match="withdrawn"):
        session.hold("2023-06-10", "经验介绍", ORGANISER)
