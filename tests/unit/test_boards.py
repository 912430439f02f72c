"""Boards worked by hand: the monthly composite and its bases (R9, R10), improvement (R7), quarters and the year (R11)."""

from decimal import Decimal

from domain.boards import Board, Entry, MonthRow, Row, annual_grades, composite, monthly_board, period_board
from domain.rulebook import Rulebook, first_rulebook

CONTEST_BASIS = first_rulebook()
COMPOSITE_BASIS = Rulebook.of({**first_rulebook().as_dict(), "monthly_basis": "composite"})


def book(**changes) -> Rulebook:
    return Rulebook.of({**first_rulebook().as_dict(), **changes})


def entry(code: str, duty: str, contest: str | None, track="demonstration", flags=()) -> Entry:
    return Entry(village_id=f"v-{code}", code=code, name=f"{code}村", track=track, duty=Decimal(duty),
                 contest=None if contest is None else Decimal(contest), flags=tuple(flags))


def contests(codes: str, scores: str, rules: Rulebook, before: Board | None = None) -> Board:
    """A month where villages `codes` all have a duty score of 80 and the given contest scores."""
    month = [entry(code, "80", score) for code, score in zip(codes, scores.split(), strict=True)]
    return monthly_board(month, rules, previous(before) if before else {})


def ids(*codes: str) -> tuple[str, ...]:
    return tuple(f"v-{code}" for code in codes)


def rows_of(board: Board, track="demonstration") -> tuple[Row, ...]:
    return board.tracks[track]


def previous(board: Board) -> dict[str, MonthRow]:
    """The rows of a closed month, as the next month's board receives them."""
    return board.rows()


# Composite 0.7 × duty + 0.3 × contest:
#   A  duty 90, contest 70  ->  63.00 + 21.00 = 84.00
#   B  duty 80, contest 95  ->  56.00 + 28.50 = 84.50
#   C  duty 70, contest 60  ->  49.00 + 18.00 = 67.00
#   D  duty 60, contest 90  ->  42.00 + 27.00 = 69.00
# By composite: B, A, D, C.   By contest: B 95, D 90, A 70, C 60.
# A track of 4 has at most 2 on each side.
MAY = [entry("A", "90", "70"), entry("B", "80", "95"), entry("C", "70", "60"), entry("D", "60", "90")]


def test_the_composite_is_seven_tenths_duty_and_three_tenths_contest():
    board = monthly_board(MAY, CONTEST_BASIS, {})
    assert {r.code: r.composite for r in rows_of(board)} == {
        "A": Decimal("84.00"), "B": Decimal("84.50"), "C": Decimal("67.00"), "D": Decimal("69.00")}


def test_the_board_lists_villages_by_composite_rank_whatever_the_basis():
    board = monthly_board(MAY, CONTEST_BASIS, {})
    assert [(r.code, r.rank, r.contest_rank) for r in rows_of(board)] == [
        ("B", 1, 1), ("A", 2, 3), ("D", 3, 2), ("C", 4, 4)]


def test_on_the_contest_basis_the_top_and_bottom_follow_the_month_contest_ranking():
    board = monthly_board(MAY, CONTEST_BASIS, {})
    assert board.basis == "contest"
    assert (board.top["demonstration"], board.bottom["demonstration"]) == (ids("B", "D"), ids("C", "A"))


def test_on_the_composite_basis_the_top_and_bottom_follow_the_composite():
    board = monthly_board(MAY, COMPOSITE_BASIS, {})
    assert (board.top["demonstration"], board.bottom["demonstration"]) == (ids("B", "A"), ids("C", "D"))


def test_a_village_without_a_contest_that_counts_has_its_duty_score_as_composite():
    assert composite(Decimal("77.35"), None, CONTEST_BASIS) == Decimal("77.35")


def test_the_composite_is_rounded_half_up_from_the_published_figures():
    # 0.7 × 70.00 + 0.3 × 83.33 = 49.000 + 24.999 = 73.999
    assert composite(Decimal("70.00"), Decimal("83.33"), CONTEST_BASIS) == Decimal("74.00")


def test_equal_composites_share_a_rank_and_the_higher_duty_score_is_shown_first():
    # X: 56.00 + 18.00 = 74.00;  Y: 49.00 + 24.999 = 73.999 -> 74.00
    board = monthly_board([entry("Y", "70.00", "83.33"), entry("X", "80.00", "60.00")], COMPOSITE_BASIS, {})
    assert [(r.code, r.rank) for r in rows_of(board)] == [("X", 1), ("Y", 1)]


def test_a_track_with_no_contest_that_month_has_no_monthly_consequences_on_the_contest_basis():
    quiet = [entry("A", "90", None, flags=["no_contest"]), entry("B", "60", None, flags=["no_contest"])]
    board = monthly_board(quiet, CONTEST_BASIS, {})
    assert (board.top["demonstration"], board.bottom["demonstration"]) == ((), ())
    assert [r.rank for r in rows_of(board)] == [1, 2]


def test_the_same_quiet_month_still_has_a_top_and_bottom_on_the_composite_basis():
    quiet = [entry("A", "90", None, flags=["no_contest"]), entry("B", "60", None, flags=["no_contest"])]
    board = monthly_board(quiet, COMPOSITE_BASIS, {})
    assert (board.top["demonstration"], board.bottom["demonstration"]) == (ids("A"), ids("B"))


def test_an_excused_village_is_left_out_of_the_contest_ranking_and_its_consequences():
    month = [entry("A", "90", "88"), entry("B", "85", "80"), entry("C", "50", None, flags=["excused"]),
             entry("D", "70", "75")]
    board = monthly_board(month, CONTEST_BASIS, {})
    excused = next(r for r in rows_of(board) if r.code == "C")
    assert (excused.contest_rank, excused.composite, excused.flags) == (None, Decimal("50"), ("excused",))
    assert (board.top["demonstration"], board.bottom["demonstration"]) == (ids("A"), ids("D"))


def test_an_unexcused_absence_counts_as_zero_and_lands_at_the_bottom_of_the_contest_ranking():
    month = [entry("A", "70", "88"), entry("B", "75", "80"), entry("C", "99", "0.00", flags=["absent"])]
    board = monthly_board(month, CONTEST_BASIS, {})
    absent = next(r for r in rows_of(board) if r.code == "C")
    assert (absent.contest_rank, absent.composite) == (3, Decimal("69.30"))
    assert board.bottom["demonstration"] == ids("C")


def test_each_track_is_ranked_and_cut_on_its_own():
    month = MAY + [entry("X", "80", "70", track="foundation"), entry("Y", "60", "50", track="foundation")]
    board = monthly_board(month, CONTEST_BASIS, {})
    assert [r.rank for r in rows_of(board, "foundation")] == [1, 2]
    assert (board.top["foundation"], board.bottom["foundation"]) == (ids("X"), ids("Y"))
    assert "excellence" not in board.tracks


# R7: improvement against the previous closed month, on the basis.
# Top 1 and bottom 1 leave three villages in the middle of a track of five.
NARROW = dict(top_n=1, bottom_n=1)


def test_climbing_three_places_on_the_contest_ranking_is_notable_improvement():
    may = contests("ABCDEF", "95 90 85 80 75 70", book(**NARROW))
    # E climbs from 5th to 2nd on 4.50 more points; B, C and D slip one place each.
    june = contests("ABCDEF", "95 79 78 77 79.50 70", book(**NARROW), may)
    assert june.improved["demonstration"] == ids("E")
    e = next(r for r in rows_of(june) if r.code == "E")
    assert (e.previous_contest_rank, e.contest_rank) == (5, 2)


def test_five_more_contest_points_is_notable_improvement_without_a_change_of_place():
    may = contests("ABCDE", "95 80 75 70 60", book(**NARROW))
    june = contests("ABCDE", "98 85.00 75 70 60", book(**NARROW), may)
    assert june.improved["demonstration"] == ids("B")


def test_four_point_nine_nine_more_points_in_the_same_place_is_not_notable():
    may = contests("ABCDE", "95 80 75 70 60", book(**NARROW))
    june = contests("ABCDE", "98 84.99 75 70 60", book(**NARROW), may)
    assert june.improved["demonstration"] == ()


# X raises its duty list from 60 to 80 with the same contest score of 80:
#   May  A 91.50, B 86.50, C 73.50, X 66.00 (4th), D 50.00    contest: A 95, B 90, X 80 (3rd), C 70, D 50
#   June A 91.50, B 86.50, X 80.00 (3rd), C 73.50, D 50.00    contest: unchanged
DUTY_JUMP_MAY = [entry("A", "90", "95"), entry("B", "85", "90"), entry("X", "60", "80"), entry("C", "75", "70"),
                 entry("D", "50", "50")]
DUTY_JUMP_JUNE = [entry("A", "90", "95"), entry("B", "85", "90"), entry("X", "80", "80"), entry("C", "75", "70"),
                  entry("D", "50", "50")]


def test_a_duty_list_jump_is_notable_improvement_on_the_composite_basis():
    rules = book(monthly_basis="composite", **NARROW)
    june = monthly_board(DUTY_JUMP_JUNE, rules, previous(monthly_board(DUTY_JUMP_MAY, rules, {})))
    assert june.improved["demonstration"] == ids("X")


def test_a_duty_list_jump_is_not_improvement_on_the_contest_basis_when_the_contest_ranking_did_not_move():
    rules = book(**NARROW)
    june = monthly_board(DUTY_JUMP_JUNE, rules, previous(monthly_board(DUTY_JUMP_MAY, rules, {})))
    assert june.improved["demonstration"] == ()


def test_a_village_that_changed_track_is_not_compared_with_its_old_track():
    may = monthly_board([entry("A", "80", "95", track="excellence"), entry("B", "80", "60", track="excellence"),
                         entry("X", "80", "50", track="excellence")], book(**NARROW), {})
    june = contests("PQXRS", "95 90 80 70 60", book(**NARROW), may)
    x = next(r for r in rows_of(june) if r.code == "X")
    assert (x.improved, x.previous_rank) == (False, None)


# Quarters and the year

def test_a_period_score_is_the_mean_composite_of_the_months_a_village_took_part_in():
    # A: (84.00 + 80.00) / 2 = 82.00;  B: (84.50 + 76.50) / 2 = 80.50
    april = monthly_board([entry("A", "90", "70"), entry("B", "80", "95")], CONTEST_BASIS, {})
    may = monthly_board([entry("A", "80", "80"), entry("B", "75", "80")], CONTEST_BASIS, {})
    quarter = period_board([april, may], CONTEST_BASIS)
    assert [(r.code, r.score, r.rank, r.months) for r in rows_of(quarter)] == [
        ("A", Decimal("82.00"), 1, 2), ("B", Decimal("80.50"), 2, 2)]


def test_a_village_that_left_the_programme_is_not_ranked_for_the_period():
    april = monthly_board(MAY, CONTEST_BASIS, {})
    may = monthly_board(MAY, CONTEST_BASIS, {})
    quarter = period_board([april, may], CONTEST_BASIS, members=set(ids("A", "C", "D")))
    assert [(r.code, r.rank) for r in rows_of(quarter)] == [("A", 1), ("D", 2), ("C", 3)]
    assert quarter.top["demonstration"] == ids("A")


def test_a_village_is_ranked_for_the_period_on_the_track_of_its_latest_month():
    april = monthly_board([entry("A", "90", "90", track="excellence"), entry("B", "50", "50", track="excellence")],
                          CONTEST_BASIS, {})
    may = monthly_board([entry("A", "90", "90", track="demonstration"), entry("B", "50", "50", track="excellence")],
                        CONTEST_BASIS, {})
    quarter = period_board([april, may], CONTEST_BASIS)
    assert ([r.code for r in rows_of(quarter)], [r.code for r in rows_of(quarter, "excellence")]) == (["A"], ["B"])


def year_of(scores: str, rules: Rulebook) -> Board:
    """A year of one closed month whose composites are `scores` (duty only, no contest), in track order."""
    month = monthly_board([entry(chr(ord("A") + i), s, None) for i, s in enumerate(scores.split())], rules, {})
    return annual_grades(period_board([month], rules), rules)


def grades(year: Board) -> dict[str, str]:
    return {r.code: r.grade for r in rows_of(year)}


def test_a_track_of_ten_has_two_excellent_three_poor_and_five_good():
    year = year_of("95 90 85 80 75 70 65 60 55 50", CONTEST_BASIS)
    assert "".join(grades(year)[c][0] for c in "ABCDEFGHIJ") == "eegggggppp"
    assert year.awards["demonstration"] == ids("A", "B")
    assert sorted(year.bottom["demonstration"]) == list(ids("H", "I", "J"))


def test_a_small_track_still_has_one_excellent_village():
    # 20% of 4 is 0.8: at least one 优秀 all the same
    assert grades(year_of("90 80 70 60", CONTEST_BASIS)) == {"A": "excellent", "B": "good", "C": "poor", "D": "poor"}


def test_a_lone_village_is_graded_excellent_and_never_poor():
    assert grades(year_of("40", CONTEST_BASIS)) == {"A": "excellent"}


def test_villages_tied_at_the_excellent_line_are_all_excellent():
    assert [grades(year_of("90 90 80 70 60", CONTEST_BASIS))[c] for c in "ABCDE"] == [
        "excellent", "excellent", "good", "poor", "poor"]


def test_no_more_than_half_a_track_is_graded_poor():
    assert list(grades(year_of("90 80 70 60 50", CONTEST_BASIS)).values()).count("poor") == 2


def test_a_village_in_the_excellent_share_is_never_graded_poor():
    # Top 1 and bottom 2 of four, but 75% of the track is 优秀: C is in both and stays 优秀
    rules = book(excellent_share=Decimal("0.75"), top_n=1, bottom_n=2)
    year = year_of("90 80 70 60", rules)
    assert grades(year) == {"A": "excellent", "B": "excellent", "C": "excellent", "D": "poor"}
    assert year.bottom["demonstration"] == ids("D")


# The boundary: what a Standings event records and the API shows, and what a read model decodes

def test_a_monthly_board_records_as_the_plain_board_it_always_was():
    recorded = monthly_board(MAY[:2], CONTEST_BASIS, {}).as_dict()
    assert list(recorded) == ["basis", "tracks", "top", "bottom", "improved"]
    assert recorded["tracks"]["demonstration"][0] == {
        "village_id": "v-B", "code": "B", "name": "B村", "track": "demonstration", "duty": Decimal("80"),
        "contest": Decimal("95"), "composite": Decimal("84.50"), "rank": 1, "contest_rank": 1, "previous_rank": None,
        "previous_contest_rank": None, "improved": False, "flags": []}
    assert (recorded["top"], recorded["bottom"], recorded["improved"]) == (
        {"demonstration": ["v-B"]}, {"demonstration": ["v-A"]}, {"demonstration": []})


def test_a_year_records_its_grades_and_awards_and_a_quarter_neither():
    quarter = period_board([monthly_board(MAY, CONTEST_BASIS, {})], CONTEST_BASIS).as_dict()
    year = year_of("90 80 70 60", CONTEST_BASIS).as_dict()
    assert list(quarter) == ["tracks", "top", "bottom"] and "grade" not in quarter["tracks"]["demonstration"][0]
    assert list(year) == ["tracks", "top", "bottom", "awards"]
    assert year["tracks"]["demonstration"][0] == {"village_id": "v-A", "code": "A", "name": "A村",
                                                  "track": "demonstration", "score": Decimal("90"), "rank": 1,
                                                  "months": 1, "grade": "excellent"}


def test_a_recorded_board_decodes_to_the_board_it_was_recorded_from():
    may = monthly_board(MAY, CONTEST_BASIS, {})
    june = contests("ABCD", "70 95 60 90", CONTEST_BASIS, may)
    for board in (may, june, period_board([may, june], CONTEST_BASIS), year_of("95 90 85 80 75", CONTEST_BASIS)):
        assert Board.from_dict(board.as_dict()) == board


def test_a_board_recorded_before_the_basis_and_contest_ranks_were_kept_still_decodes():
    old = {"tracks": {"demonstration": [{"village_id": "v-A", "code": "A", "name": "A村", "track": "demonstration",
                                         "duty": "80.00", "contest": "70.00", "composite": "77.00", "rank": 1,
                                         "previous_rank": None, "improved": False, "flags": []}]},
           "top": {"demonstration": ["v-A"]}, "bottom": {"demonstration": []}, "improved": {"demonstration": []}}
    board = Board.from_dict(old)
    row = board.rows()["v-A"]
    assert (board.basis, row.contest_rank, row.composite) == (None, None, Decimal("77.00"))
    june = monthly_board([entry("A", "80", "90")], COMPOSITE_BASIS, board.rows())
    assert (rows_of(june)[0].previous_rank, rows_of(june)[0].previous_contest_rank) == (1, None)


def test_a_month_row_records_its_fields_in_order_however_it_was_made():
    from dataclasses import replace

    may = monthly_board(MAY, CONTEST_BASIS, {})
    june = contests("ABCD", "70 95 60 90", CONTEST_BASIS, may)
    rows = [r for board in (may, june) for rows in board.tracks.values() for r in rows]
    rows += [MonthRow.from_dict(r.as_dict()) for r in rows] + [replace(rows[0], flags=("no_contest", "excused"))]
    for row in rows:
        expected = {**{name: getattr(row, name) for name in (
            "village_id", "code", "name", "track", "duty", "contest", "composite", "rank", "contest_rank",
            "previous_rank", "previous_contest_rank", "improved")}, "flags": list(row.flags)}
        assert list(row.as_dict().items()) == list(expected.items())
    odd = MonthRow.from_dict(rows[0].as_dict())
    object.__setattr__(odd, "cached", 1)  # anything else on the instance is not recorded
    assert list(odd.as_dict().items()) == list(rows[0].as_dict().items())
