"""A contest's four steps, its sheets, absences, recusals and publication (R1, R13)."""

from datetime import datetime, timezone
from decimal import Decimal
from uuid import uuid4

import pytest

from domain.contest import Contest, check_contest_terms
from domain.errors import ForbiddenError, InvalidError, NotFoundError, RuleError
from domain.rulebook import first_rulebook, next_rulebook

ORGANISER = uuid4()
BOOK = first_rulebook()
NOW = datetime(2023, 5, 28, 10, 0, tzinfo=timezone.utc)
CRITERIA = [{"key": "environment", "max": "60"}, {"key": "presentation", "max": "40"}]
VILLAGES = {"v-a": {"track": "demonstration", "code": "A01"},
            "v-b": {"track": "demonstration", "code": "A02"},
            "v-c": {"track": "demonstration", "code": "A03"}}


def contest(stage="scheduled", judges=("j1", "j2", "j3"), participants=None, recusals=None) -> Contest:
    match = Contest(town_id=uuid4(), month="2023-05", theme="人居环境整治", domain="environment", form="on_site",
                    venue="大曹村", judges=list(judges), criteria=CRITERIA, participants=participants or dict(VILLAGES),
                    by=ORGANISER, recusals=recusals)
    while match.stage != stage:
        match.advance(ORGANISER)
    return match


def score(match: Contest, village_id: str, *totals: str) -> None:
    for judge_id, total in zip(match.judges, totals, strict=True):
        match.record_sheet(judge_id, village_id, Decimal(total), ORGANISER)


def published_with_an_absence(excused: bool, reason: str) -> Contest:
    """v-a (A01) and v-b (A02) scored by the whole panel, v-c (A03) recorded absent, then published."""
    match = contest("evaluation")
    score(match, "v-a", "40", "41", "42")
    score(match, "v-b", "10", "11", "12")
    match.record_absence("v-c", excused, reason, ORGANISER)
    match.publish(BOOK, NOW, ORGANISER)
    return match


def result(match: Contest, village_id: str) -> dict:
    return next(r for r in match.results if r["village_id"] == village_id)


# The four steps

def test_a_contest_walks_through_observation_presentation_commentary_and_evaluation_in_order():
    match = contest()
    seen = []
    for _ in range(4):
        match.advance(ORGANISER)
        seen.append(match.stage)
    assert seen == ["observation", "presentation", "commentary", "evaluation"]


def test_evaluation_is_the_last_step_so_the_contest_moves_on_only_by_publishing():
    match = contest("evaluation")
    with pytest.raises(RuleError, match="publish"):
        match.advance(ORGANISER)
    assert match.stage == "evaluation"


def test_a_secretary_commentary_is_recorded_for_its_village_in_the_commentary_step():
    match = contest("commentary")
    remark = "垃圾分类做得扎实，但公厕管护还需加强"
    match.comment("v-b", remark, ORGANISER)
    assert [(c["village_id"], c["text"]) for c in match.commentaries] == [("v-b", remark)]


@pytest.mark.parametrize("stage", ["observation", "presentation", "evaluation"])
def test_commentary_is_refused_outside_the_commentary_step(stage):
    match = contest(stage)
    with pytest.raises(RuleError, match="not commentary"):
        match.comment("v-a", "点评", ORGANISER)
    assert match.commentaries == []


def test_commentary_on_a_village_that_does_not_take_part_is_not_found():
    match = contest("commentary")
    with pytest.raises(NotFoundError):
        match.comment("v-elsewhere", "点评", ORGANISER)


@pytest.mark.parametrize("stage", ["scheduled", "observation", "presentation", "commentary"])
def test_a_sheet_is_refused_before_the_evaluation_step(stage):
    match = contest(stage)
    with pytest.raises(RuleError, match="not evaluation"):
        match.record_sheet("j1", "v-a", Decimal("80"), ORGANISER)
    assert match.totals == {}


def test_a_judge_off_the_panel_cannot_submit_a_sheet():
    match = contest("evaluation")
    with pytest.raises(ForbiddenError):
        match.record_sheet("j-stranger", "v-a", Decimal("80"), ORGANISER)
    assert match.totals == {}


def test_a_sheet_for_a_village_that_does_not_take_part_is_not_found():
    match = contest("evaluation")
    with pytest.raises(NotFoundError):
        match.record_sheet("j1", "v-elsewhere", Decimal("80"), ORGANISER)


@pytest.mark.parametrize("stage", ["scheduled", "observation", "presentation", "commentary"])
def test_results_are_published_only_from_the_evaluation_step(stage):
    match = contest(stage)
    with pytest.raises(RuleError, match="not evaluation"):
        match.publish(BOOK, NOW, ORGANISER)
    assert match.results == [] and match.revision == 0


AFTER_THE_END = {
    "advance": lambda m: m.advance(ORGANISER),
    "comment": lambda m: m.comment("v-a", "点评", ORGANISER),
    "sheet": lambda m: m.record_sheet("j1", "v-a", Decimal("70"), ORGANISER),
    "absence": lambda m: m.record_absence("v-a", True, "病假", ORGANISER),
    "publish": lambda m: m.publish(BOOK, NOW, ORGANISER),
    "cancel": lambda m: m.cancel("天气", ORGANISER),
}


@pytest.mark.parametrize("command", AFTER_THE_END.values(), ids=AFTER_THE_END.keys())
def test_a_published_contest_accepts_no_further_step_sheet_absence_or_cancellation(command):
    match = contest("evaluation")
    for village_id in VILLAGES:
        score(match, village_id, "80", "81", "82")
    match.publish(BOOK, NOW, ORGANISER)
    with pytest.raises(RuleError):
        command(match)
    assert match.stage == "published" and match.revision == 1


@pytest.mark.parametrize("command", AFTER_THE_END.values(), ids=AFTER_THE_END.keys())
def test_a_cancelled_contest_accepts_nothing_more(command):
    match = contest("evaluation")
    match.cancel("暴雨，改期举行", ORGANISER)
    with pytest.raises(RuleError):
        command(match)
    assert match.stage == "cancelled" and match.results == []


# Terms and marks

def test_a_contest_in_an_unknown_domain_or_form_is_refused_naming_both():
    with pytest.raises(InvalidError) as refused:
        check_contest_terms("tourism", "online", CRITERIA)
    assert sorted(refused.value.errors) == ["domain", "form"]


@pytest.mark.parametrize("criteria", [[], [{"key": "overall", "max": "50"}, {"key": "overall", "max": "50"}],
                                      [{"key": "overall", "max": "0"}]], ids=["none", "a key twice", "a zero maximum"])
def test_criteria_need_each_key_once_and_a_maximum_above_zero(criteria):
    with pytest.raises(InvalidError) as refused:
        check_contest_terms("environment", "on_site", criteria)
    assert list(refused.value.errors) == ["criteria"]


def test_marks_of_zero_and_of_a_criterion_maximum_are_both_accepted():
    contest().check_marks({"environment": Decimal("0"), "presentation": Decimal("40")})


def test_a_mark_above_its_criterion_maximum_is_refused_naming_the_criterion():
    with pytest.raises(InvalidError) as refused:
        contest().check_marks({"environment": Decimal("60.5"), "presentation": Decimal("30")})
    assert refused.value.errors == {"marks": ["criterion environment must be between 0 and 60"]}


def test_a_negative_mark_is_refused():
    with pytest.raises(InvalidError) as refused:
        contest().check_marks({"environment": Decimal("50"), "presentation": Decimal("-1")})
    assert refused.value.errors == {"marks": ["criterion presentation must be between 0 and 40"]}


def test_a_criterion_left_unmarked_is_refused():
    with pytest.raises(InvalidError) as refused:
        contest().check_marks({"environment": Decimal("50")})
    assert refused.value.errors == {"marks": ["criterion presentation is not marked"]}


def test_a_mark_for_a_criterion_the_contest_does_not_have_is_refused():
    with pytest.raises(InvalidError) as refused:
        contest().check_marks({"environment": Decimal("50"), "presentation": Decimal("30"), "charisma": Decimal("5")})
    assert refused.value.errors == {"marks": ["unknown criterion charisma"]}


def test_every_problem_with_a_sheet_marks_is_reported_at_once():
    with pytest.raises(InvalidError) as refused:
        contest().check_marks({"environment": Decimal("99"), "charisma": Decimal("5")})
    assert sorted(refused.value.errors["marks"]) == ["criterion environment must be between 0 and 60",
                                                     "criterion presentation is not marked",
                                                     "unknown criterion charisma"]


# Publication and absences

def test_publication_is_refused_while_a_participant_has_no_sheet_and_no_absence():
    match = contest("evaluation")
    score(match, "v-a", "80", "81", "82")
    with pytest.raises(RuleError) as refused:
        match.publish(BOOK, NOW, ORGANISER)
    assert refused.value.errors == {"villages": ["A02", "A03"]}
    assert match.stage == "evaluation"


def test_a_recorded_absence_lets_the_contest_be_published_without_that_village_sheets():
    match = published_with_an_absence(excused=False, reason="未到场")
    assert match.stage == "published" and match.revision == 1 and match.published_at == NOW


def test_an_absence_may_be_recorded_before_the_contest_day():
    match = contest("scheduled")
    match.record_absence("v-c", True, "书记住院", ORGANISER)
    assert match.absences == {"v-c": {"excused": True, "reason": "书记住院"}}


def test_the_published_score_is_the_panel_mean_rounded_half_up_to_two_places():
    match = contest("evaluation")
    score(match, "v-a", "80", "85", "86")  # 251 / 3 = 83.666…
    score(match, "v-b", "70", "70", "70.03")  # 210.03 / 3 = 70.01
    score(match, "v-c", "60", "60", "60.05")  # 180.05 / 3 = 60.01666…
    match.publish(BOOK, NOW, ORGANISER)
    assert [(r["code"], r["score"], r["rank"]) for r in match.results] == [
        ("A01", Decimal("83.67"), 1), ("A02", Decimal("70.01"), 2), ("A03", Decimal("60.02"), 3)]


def test_an_unexcused_absence_scores_zero_and_ranks_below_every_scored_village():
    match = published_with_an_absence(excused=False, reason="未请假缺席")
    absent = result(match, "v-c")
    assert (absent["score"], absent["rank"], absent["flags"]) == (Decimal("0.00"), 3, ["absent"])


def test_an_excused_absence_is_published_without_a_score_or_rank():
    match = published_with_an_absence(excused=True, reason="抗洪抢险")
    assert [(r["code"], r["rank"]) for r in match.results] == [("A01", 1), ("A02", 2), ("A03", None)]
    assert result(match, "v-c")["score"] is None and result(match, "v-c")["flags"] == ["excused"]


def test_each_track_of_a_contest_is_ranked_on_its_own():
    villages = {**VILLAGES, "v-x": {"track": "foundation", "code": "C01"}, "v-y": {"track": "foundation", "code": "C02"}}
    match = contest("evaluation", participants=villages)
    for village_id, total in [("v-a", "90"), ("v-b", "80"), ("v-c", "70"), ("v-x", "60"), ("v-y", "65")]:
        score(match, village_id, total, total, total)
    match.publish(BOOK, NOW, ORGANISER)
    assert [(r["track"], r["code"], r["rank"]) for r in match.results] == [
        ("demonstration", "A01", 1), ("demonstration", "A02", 2), ("demonstration", "A03", 3),
        ("foundation", "C02", 1), ("foundation", "C01", 2)]


def test_a_village_scored_by_two_judges_of_three_is_flagged_few_sheets_and_incomplete():
    match = contest("evaluation")
    match.record_sheet("j1", "v-a", Decimal("80"), ORGANISER)
    match.record_sheet("j2", "v-a", Decimal("90"), ORGANISER)
    score(match, "v-b", "70", "70", "70")
    match.record_absence("v-c", True, "病假", ORGANISER)
    match.publish(BOOK, NOW, ORGANISER)
    assert result(match, "v-a")["flags"] == ["few_sheets", "incomplete"]
    assert result(match, "v-a")["score"] == Decimal("85.00")


def test_a_seven_judge_panel_under_tiered_trim_drops_two_highest_and_two_lowest():
    tiered = next_rulebook(first_rulebook(), {"trim": [{"min_judges": 5, "drop": 1},
                                                       {"min_judges": 7, "drop": 2}]}, "2023-01")
    judges = [f"j{n}" for n in range(1, 8)]
    match = contest("evaluation", judges=judges, participants={"v-a": VILLAGES["v-a"]})
    score(match, "v-a", "60", "95", "70", "80", "75", "90", "50")  # keeps 70, 75, 80: mean 75
    match.publish(tiered, NOW, ORGANISER)
    assert result(match, "v-a")["score"] == Decimal("75.00")
    assert sorted(result(match, "v-a")["trimmed"]) == ["j1", "j2", "j6", "j7"]


# Recusal (回避)

def test_a_judge_from_a_village_is_recused_from_scoring_it():
    match = contest("evaluation", recusals={"j2": "v-b"})
    with pytest.raises(RuleError, match="回避"):
        match.check_can_score("j2", "v-b")
    with pytest.raises(RuleError, match="回避"):
        match.record_sheet("j2", "v-b", Decimal("99"), ORGANISER)
    assert match.totals == {}


def test_a_recused_judge_still_scores_the_other_villages():
    match = contest("evaluation", recusals={"j2": "v-b"})
    match.record_sheet("j2", "v-a", Decimal("77"), ORGANISER)
    assert match.totals == {"v-a": {"j2": Decimal("77")}}


def test_a_village_panel_is_the_whole_panel_less_the_judge_recused_from_it():
    match = contest("evaluation", recusals={"j2": "v-b"})
    assert match.panel_for("v-b") == ["j1", "j3"]
    assert match.panel_for("v-a") == ["j1", "j2", "j3"]


def test_a_village_scored_by_everyone_but_its_recused_judge_is_not_flagged_incomplete():
    match = contest("evaluation", recusals={"j2": "v-b"})
    score(match, "v-a", "80", "80", "80")
    match.record_sheet("j1", "v-b", Decimal("70"), ORGANISER)
    match.record_sheet("j3", "v-b", Decimal("74"), ORGANISER)
    score(match, "v-c", "60", "60", "60")
    match.publish(BOOK, NOW, ORGANISER)
    # two sheets are still too few for R1, but no sheet is missing
    assert result(match, "v-b")["flags"] == ["few_sheets"]
    assert result(match, "v-b")["score"] == Decimal("72.00")


def test_a_village_missing_a_sheet_from_a_judge_who_is_not_recused_is_flagged_incomplete():
    match = contest("evaluation", recusals={"j2": "v-b"})
    score(match, "v-a", "80", "80", "80")
    match.record_sheet("j1", "v-b", Decimal("70"), ORGANISER)
    score(match, "v-c", "60", "60", "60")
    match.publish(BOOK, NOW, ORGANISER)
    assert "incomplete" in result(match, "v-b")["flags"]


# The copy a command changes

def test_a_copy_of_a_contest_changed_by_every_kind_of_event_leaves_the_original_as_it_was():
    import copy

    match = contest("evaluation")
    score(match, "v-a", "40", "41", "42")
    match.collect_events()
    kept = copy.deepcopy(vars(match))
    changed = copy.deepcopy(match)
    changed.record_sheet("j1", "v-b", Decimal("30"), ORGANISER)
    changed.record_absence("v-c", True, "病假", ORGANISER)
    changed._amend_sheet("j1", "v-a", Decimal("1"), ORGANISER)
    changed.publish(BOOK, NOW, ORGANISER)
    changed.lodge_appeal("ap-1", "v-a", "复核", BOOK, NOW, ORGANISER)
    changed.resolve_appeal("ap-1", "rejected", "已核对", NOW, ORGANISER)
    assert vars(match) == kept and match.version == 8 and changed.version == 14
    assert changed.has_sheet("j1", "v-b") and not match.has_sheet("j1", "v-b")
