"""A judge's score sheet (评分表): its total and its corrections (R8)."""

from decimal import Decimal
from uuid import uuid4

import pytest

from domain.errors import InvalidError, RuleError
from domain.sheet import ScoreSheet

JUDGE_ACCOUNT, ORGANISER = uuid4(), uuid4()


def sheet(**marks: str) -> ScoreSheet:
    marks = marks or {"environment": "52.5", "presentation": "31"}
    return ScoreSheet(contest_id=uuid4(), judge_id="j1", village_id="v-a",
                      marks={k: Decimal(v) for k, v in marks.items()}, by=JUDGE_ACCOUNT)


def test_a_sheet_total_is_the_exact_sum_of_its_marks():
    assert sheet(environment="52.5", presentation="31.25").total == Decimal("83.75")


def test_a_judge_corrects_a_sheet_with_a_reason_and_the_previous_marks_stay_in_the_history():
    marked = sheet(environment="52.5", presentation="31")
    marked.correct({"environment": Decimal("55"), "presentation": Decimal("31")}, "看错了评分细则", JUDGE_ACCOUNT)
    corrected = marked.collect_events()[-1]
    assert marked.total == Decimal("86")
    assert isinstance(corrected, ScoreSheet.Corrected)
    assert corrected.previous == {"environment": Decimal("52.5"), "presentation": Decimal("31")}
    assert corrected.reason == "看错了评分细则"


@pytest.mark.parametrize("reason", ["", "  "])
def test_a_correction_without_a_reason_is_refused(reason):
    marked = sheet(environment="52.5", presentation="31")
    with pytest.raises(InvalidError):
        marked.correct({"environment": Decimal("55"), "presentation": Decimal("31")}, reason, JUDGE_ACCOUNT)
    assert marked.total == Decimal("83.5")


def test_a_correction_that_changes_no_mark_is_refused():
    marked = sheet(environment="52.5", presentation="31")
    with pytest.raises(RuleError, match="already has these marks"):
        marked.correct({"environment": Decimal("52.50"), "presentation": Decimal("31.0")}, "再确认", JUDGE_ACCOUNT)


def test_an_organiser_amendment_records_the_marks_it_replaced_as_its_own_event():
    marked = sheet(environment="52.5", presentation="31")
    marked.amend({"environment": Decimal("50"), "presentation": Decimal("31")}, "申诉成立，按原始记录更正", ORGANISER)
    amended = marked.collect_events()[-1]
    assert isinstance(amended, ScoreSheet.Amended)
    assert (amended.previous["environment"], amended.marks["environment"]) == (Decimal("52.5"), Decimal("50"))


def test_a_judge_has_one_sheet_per_village_in_a_contest():
    contest_id = uuid4()
    assert ScoreSheet.create_id(contest_id, "j1", "v-a") == ScoreSheet.create_id(contest_id, "j1", "v-a")
    assert ScoreSheet.create_id(contest_id, "j1", "v-a") != ScoreSheet.create_id(contest_id, "j2", "v-a")
    assert ScoreSheet.create_id(contest_id, "j1", "v-a") != ScoreSheet.create_id(uuid4(), "j1", "v-a")
