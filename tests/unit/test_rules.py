"""R1 panel tiers and R5 cut-offs on small, hand-checked panels and tracks."""

from decimal import Decimal

import pytest

from domain.rules import panel_score, ranked, sides

TIERS = ((5, 1), (7, 2))  # 1+1 from 5 judges, 2+2 from 7
SHEETS = {"j1": "71", "j2": "95", "j3": "80", "j4": "62", "j5": "88", "j6": "77", "j7": "90"}


def panel(count: int):
    return panel_score({j: Decimal(t) for j, t in list(SHEETS.items())[:count]}, TIERS)


# R1

def test_four_sheets_are_averaged_whole():
    result = panel(4)  # 71 + 95 + 80 + 62 = 308
    assert (result.score, result.trimmed, result.flags) == (Decimal(77), (), ())


def test_five_sheets_drop_the_highest_and_the_lowest():
    result = panel(5)  # drops 62 (j4) and 95 (j2): 71 + 80 + 88 = 239
    assert result.score == Decimal(239) / 3
    assert set(result.trimmed) == {"j4", "j2"}


def test_six_sheets_still_drop_one_from_each_end():
    result = panel(6)  # drops 62 and 95: 71 + 80 + 88 + 77 = 316
    assert (result.score, set(result.trimmed)) == (Decimal(79), {"j4", "j2"})


def test_seven_sheets_reach_the_second_tier_and_drop_two_from_each_end():
    result = panel(7)  # drops 62, 71 and 90, 95: 80 + 88 + 77 = 245
    assert result.score == Decimal(245) / 3
    assert set(result.trimmed) == {"j4", "j1", "j7", "j2"}


def test_two_sheets_are_averaged_and_flagged_as_too_few():
    result = panel(2)
    assert (result.score, result.flags) == (Decimal(83), ("few_sheets",))


def test_a_village_with_no_sheets_has_no_score_and_says_so():
    result = panel_score({}, TIERS)
    assert (result.score, result.flags) == (None, ("no_sheets",))


def test_without_any_tier_seven_sheets_are_averaged_whole():
    result = panel_score({j: Decimal(t) for j, t in SHEETS.items()}, ())
    assert result.score == Decimal(563) / 7 and result.trimmed == ()


# R5

def standing(scores: str) -> list[tuple[int, tuple[str, Decimal]]]:
    """'90 80 80 70' -> villages A, B, C, D with those scores, ranked."""
    rows = [(chr(ord("A") + i), Decimal(s)) for i, s in enumerate(scores.split())]
    return ranked(rows, lambda r: r[1], lambda r: (-r[1], r[0]))


def codes(items) -> list[str]:
    return [code for code, _ in items]


def cut(scores: str, top_n=3, bottom_n=3) -> tuple[list[str], list[str]]:
    leaders, laggards = sides(standing(scores), top_n, bottom_n)
    return codes(leaders), codes(laggards)


def test_competition_ranks_skip_after_a_tie():
    assert [rank for rank, _ in standing("90 80 80 70")] == [1, 2, 2, 4]


def test_a_lone_village_in_its_track_is_on_neither_side():
    assert cut("75") == ([], [])


def test_a_track_of_two_has_one_top_and_one_bottom():
    assert cut("75 70") == (["A"], ["B"])


def test_a_track_of_three_has_one_top_and_one_bottom_village():
    assert cut("90 80 70") == (["A"], ["C"])


def test_a_track_of_five_puts_two_on_each_side_and_the_middle_on_neither():
    assert cut("90 80 70 60 50") == (["A", "B"], ["E", "D"])


def test_a_track_of_six_puts_three_on_each_side():
    assert cut("90 80 70 60 50 40") == (["A", "B", "C"], ["F", "E", "D"])


def test_a_track_where_all_are_tied_has_everyone_on_top_and_no_bottom():
    assert cut("80 80 80 80") == (["A", "B", "C", "D"], [])


def test_a_tie_at_the_top_line_carries_the_top_past_half_and_the_bottom_comes_from_the_rest():
    assert cut("90 80 80 70 60") == (["A", "B", "C"], ["E", "D"])


def test_everyone_tied_at_the_bottom_line_is_included():
    leaders, laggards = cut("95 90 85 80 70 70 70 60")
    assert (leaders, laggards[0], sorted(laggards[1:])) == (["A", "B", "C"], "H", ["E", "F", "G"])


def test_a_tied_group_that_would_put_more_than_half_the_track_at_the_bottom_is_left_out_whole():
    assert cut("90 85 80 50 50 50 50 50") == (["A", "B", "C"], [])


@pytest.mark.parametrize("top_n, bottom_n, expected", [(1, 1, (["A"], ["F"])), (3, 1, (["A", "B", "C"], ["F"])),
                                                       (1, 2, (["A"], ["F", "E"]))])
def test_the_number_on_each_side_follows_the_rulebook(top_n, bottom_n, expected):
    assert cut("90 80 70 60 50 40", top_n, bottom_n) == expected
