"""Judge analytics on a small panel worked by hand: severity, the corridor, Kendall's W."""

from decimal import Decimal

from domain.analytics import judge_profile, kendall_w

NO_TRIM = ()


def totals(table: dict[str, dict[str, str]]) -> dict[str, dict[str, Decimal]]:
    return {village: {judge: Decimal(t) for judge, t in sheets.items()} for village, sheets in table.items()}


# j1 is 11 below the others' mean at A (70 vs 81) and 5 below at B (75 vs 80): severity -8.
STRICT = totals({"A": {"j1": "70", "j2": "80", "j3": "82"}, "B": {"j1": "75", "j2": "80", "j3": "80"}})


def test_a_judge_who_marks_below_the_rest_of_the_panel_has_a_negative_severity():
    assert judge_profile(STRICT, "j1", Decimal(100), NO_TRIM).severity == Decimal(-8)


def test_a_mark_within_fifteen_percent_of_the_scale_from_the_others_is_inside_the_corridor():
    assert judge_profile(STRICT, "j1", Decimal(100), NO_TRIM).outside_corridor == ()


def test_a_mark_more_than_fifteen_percent_of_the_scale_from_the_others_is_outside_the_corridor():
    # On a 60-point scale the corridor is 9 points: j1's 70 at A is 11 below the others' 81
    profile = judge_profile(STRICT, "j1", Decimal(60), NO_TRIM)
    assert [(m.village_id, m.total, m.others_mean) for m in profile.outside_corridor] == [("A", Decimal(70), Decimal(81))]


def test_a_judge_with_no_sheets_to_compare_has_no_severity():
    assert judge_profile(STRICT, "j9", Decimal(100), NO_TRIM).severity is None


def test_judges_ranking_the_villages_in_the_same_order_agree_fully():
    agreeing = totals({"A": {"j1": "90", "j2": "80"}, "B": {"j1": "70", "j2": "75"}, "C": {"j1": "50", "j2": "60"}})
    assert kendall_w(agreeing) == 1


def test_two_judges_ranking_the_villages_in_opposite_orders_do_not_agree_at_all():
    opposed = totals({"A": {"j1": "90", "j2": "50"}, "B": {"j1": "70", "j2": "70"}, "C": {"j1": "50", "j2": "90"}})
    assert kendall_w(opposed) == 0


def test_agreement_is_not_measured_with_a_single_judge():
    assert kendall_w(totals({"A": {"j1": "90"}, "B": {"j1": "70"}})) is None
