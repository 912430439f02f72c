"""After publication: the organiser's amendments within the appeal window (R8) and appeals (申诉, R14)."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from uuid import uuid4

import pytest

from domain.contest import Contest
from domain.errors import InvalidError, NotFoundError, RuleError
from domain.rulebook import Rulebook, first_rulebook

ORGANISER, SECRETARY = uuid4(), uuid4()
BOOK = first_rulebook()  # appeal window: 3 days
PUBLISHED = datetime(2023, 5, 28, 10, 0, tzinfo=timezone.utc)
VILLAGES = {"v-a": {"track": "excellence", "code": "B01"}, "v-b": {"track": "excellence", "code": "B02"}}


def unpublished() -> Contest:
    match = Contest(town_id=uuid4(), month="2023-05", theme="村级活动场所规范情况", domain="party_building",
                    form="meeting", venue="镇会议室", judges=["j1", "j2", "j3"],
                    criteria=[{"key": "overall", "max": "100"}], participants=dict(VILLAGES), by=ORGANISER)
    for _ in range(4):
        match.advance(ORGANISER)
    for judge_id, a, b in [("j1", "80", "70"), ("j2", "82", "72"), ("j3", "84", "74")]:
        match.record_sheet(judge_id, "v-a", Decimal(a), ORGANISER)
        match.record_sheet(judge_id, "v-b", Decimal(b), ORGANISER)
    return match


def published() -> Contest:
    match = unpublished()
    match.publish(BOOK, PUBLISHED, ORGANISER)
    return match


def after(**delta) -> datetime:
    return PUBLISHED + timedelta(**delta)


def score_of(match: Contest, village_id: str) -> Decimal:
    return next(r["score"] for r in match.results if r["village_id"] == village_id)


def lodge(match: Contest, village_id="v-b", at=None, reason="j1 的评分表把 72 录成了 70") -> str:
    appeal_id = str(uuid4())
    match.lodge_appeal(appeal_id, village_id, reason, BOOK, at or after(days=1), SECRETARY)
    return appeal_id


def resolved(outcome: str) -> Contest:
    """Published, with v-b's appeal lodged and resolved with `outcome` two days later."""
    match = published()
    match.resolve_appeal(lodge(match), outcome, "已核对原始评分表", after(days=2), ORGANISER)
    return match


# Amendments (R8)

def test_the_organiser_amends_a_sheet_within_the_window_and_the_results_become_a_new_revision():
    match = published()
    match.amend_sheet("j1", "v-b", Decimal("76"), BOOK, after(days=2), ORGANISER)
    assert match.revision == 2
    assert score_of(match, "v-b") == Decimal("74.00")  # (76 + 72 + 74) / 3


def test_an_amendment_keeps_the_original_sheet_and_first_publication_in_the_history():
    match = published()
    match.amend_sheet("j1", "v-b", Decimal("76"), BOOK, after(days=2), ORGANISER)
    events = match.collect_events()
    recorded = [e.total for e in events if isinstance(e, Contest.SheetRecorded) and e.judge_id == "j1" and e.village_id == "v-b"]
    amended = [e.total for e in events if isinstance(e, Contest.SheetAmended)]
    revisions = [e.revision for e in events if isinstance(e, Contest.Published)]
    assert (recorded, amended, revisions) == ([Decimal("70")], [Decimal("76")], [1, 2])


def test_an_amendment_on_the_last_moment_of_the_window_is_accepted():
    match = published()
    match.amend_sheet("j1", "v-b", Decimal("76"), BOOK, after(days=3), ORGANISER)
    assert match.revision == 2


def test_an_amendment_after_the_appeal_window_is_refused():
    match = published()
    with pytest.raises(RuleError, match="appeal window"):
        match.amend_sheet("j1", "v-b", Decimal("76"), BOOK, after(days=3, minutes=1), ORGANISER)
    assert match.revision == 1 and score_of(match, "v-b") == Decimal("72.00")


def test_a_longer_appeal_window_in_the_rulebook_allows_a_later_amendment():
    match = published()
    generous = Rulebook.of({**first_rulebook().as_dict(), "appeal_days": 7})
    match.amend_sheet("j1", "v-b", Decimal("76"), generous, after(days=6), ORGANISER)
    assert match.revision == 2


def test_an_amendment_before_publication_is_refused():
    match = unpublished()
    with pytest.raises(RuleError, match="not published"):
        match.amend_sheet("j1", "v-b", Decimal("76"), BOOK, PUBLISHED, ORGANISER)


def test_the_window_runs_from_the_first_publication_not_from_the_latest_revision():
    match = published()
    match.amend_sheet("j1", "v-b", Decimal("76"), BOOK, after(days=2), ORGANISER)
    assert match.published_at == PUBLISHED
    with pytest.raises(RuleError, match="appeal window"):
        match.amend_sheet("j2", "v-b", Decimal("75"), BOOK, after(days=4), ORGANISER)


def test_an_upheld_appeal_lets_the_organiser_amend_that_village_after_the_window():
    match = resolved("upheld")
    match.amend_sheet("j1", "v-b", Decimal("72"), BOOK, after(days=10), ORGANISER)
    assert match.revision == 2 and score_of(match, "v-b") == Decimal("72.67")  # (72 + 72 + 74) / 3


def test_an_upheld_appeal_for_one_village_does_not_open_amendments_for_another():
    match = resolved("upheld")
    with pytest.raises(RuleError, match="appeal window"):
        match.amend_sheet("j1", "v-a", Decimal("90"), BOOK, after(days=10), ORGANISER)


def test_a_rejected_appeal_does_not_reopen_the_window():
    match = resolved("rejected")
    with pytest.raises(RuleError, match="appeal window"):
        match.amend_sheet("j1", "v-b", Decimal("72"), BOOK, after(days=10), ORGANISER)


# Appeals (R14)

def test_a_secretary_appeals_a_published_result_within_the_window():
    match = published()
    appeal_id = lodge(match, at=after(days=1))
    appeal = match.appeals[appeal_id]
    assert (appeal["village_id"], appeal["status"], appeal["lodged_by"]) == ("v-b", "open", str(SECRETARY))


def test_an_appeal_before_publication_is_refused():
    match = unpublished()
    with pytest.raises(RuleError, match="not published"):
        lodge(match, at=PUBLISHED)
    assert match.appeals == {}


def test_an_appeal_after_the_window_is_refused():
    match = published()
    with pytest.raises(RuleError, match="appeal window"):
        lodge(match, at=after(days=3, seconds=1))
    assert match.appeals == {}


def test_a_village_has_at_most_one_open_appeal_on_a_contest():
    match = published()
    lodge(match, "v-b")
    with pytest.raises(RuleError, match="already has an open appeal"):
        lodge(match, "v-b", reason="另一个理由")
    assert len(match.appeals) == 1


def test_another_village_may_appeal_while_one_appeal_is_open():
    match = published()
    lodge(match, "v-b")
    lodge(match, "v-a", reason="现场观摩分数偏低")
    assert sorted(a["village_id"] for a in match.appeals.values()) == ["v-a", "v-b"]


def test_a_village_may_appeal_again_within_the_window_once_its_first_appeal_is_resolved():
    match = published()
    first = lodge(match, "v-b")
    match.resolve_appeal(first, "rejected", "无依据", after(days=1, hours=2), ORGANISER)
    second = lodge(match, "v-b", at=after(days=2), reason="补充了原始记录照片")
    assert match.appeals[second]["status"] == "open" and match.appeals[first]["status"] == "rejected"


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_appeal_without_a_reason_is_refused(reason):
    match = published()
    with pytest.raises(InvalidError) as refused:
        lodge(match, reason=reason)
    assert "reason" in refused.value.errors and match.appeals == {}


def test_an_appeal_for_a_village_not_in_the_contest_is_not_found():
    match = published()
    with pytest.raises(NotFoundError):
        lodge(match, "v-elsewhere")


def test_the_organiser_upholds_an_appeal_with_a_reason_and_both_are_kept():
    match = published()
    appeal_id = lodge(match)
    match.resolve_appeal(appeal_id, "upheld", "录入错误属实", after(days=2), ORGANISER)
    appeal = match.appeals[appeal_id]
    assert (appeal["status"], appeal["outcome_reason"], appeal["resolved_by"]) == ("upheld", "录入错误属实", str(ORGANISER))
    assert appeal["reason"] == "j1 的评分表把 72 录成了 70"


def test_an_appeal_is_resolved_once():
    match = published()
    appeal_id = lodge(match)
    match.resolve_appeal(appeal_id, "rejected", "无依据", after(days=2), ORGANISER)
    with pytest.raises(RuleError, match="already rejected"):
        match.resolve_appeal(appeal_id, "upheld", "改变主意", after(days=2), ORGANISER)
    assert match.appeals[appeal_id]["status"] == "rejected"


@pytest.mark.parametrize(("outcome", "reason"), [("withdrawn", "书记撤回"), ("rejected", " ")],
                         ids=["an outcome other than upheld or rejected", "no reason"])
def test_a_resolution_with_an_unknown_outcome_or_without_a_reason_is_refused(outcome, reason):
    match = published()
    appeal_id = lodge(match)
    with pytest.raises(InvalidError):
        match.resolve_appeal(appeal_id, outcome, reason, after(days=2), ORGANISER)
    assert match.appeals[appeal_id]["status"] == "open"


def test_resolving_an_appeal_that_was_never_lodged_is_not_found():
    with pytest.raises(NotFoundError):
        published().resolve_appeal("no-such-appeal", "upheld", "理由", after(days=2), ORGANISER)
