"""Properties of the rule functions (R1-R5, R7, R9-R11), checked on many generated cases with Hypothesis."""

from dataclasses import replace
from decimal import ROUND_FLOOR, Decimal

import simplejson
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from domain.boards import Board, Entry, annual_grades, composite, monthly_board, period_board
from domain.rulebook import first_rulebook
from domain.rules import CENT, competition_ranks, panel_score, published, ranked, sides
from domain.village import TRACKS

CHECK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

BOOK = first_rulebook()
cents = st.integers(0, 10_000).map(lambda n: (Decimal(n) / 100).quantize(CENT))  # a published figure, 0.00-100.00
fine = st.decimals(min_value=-1000, max_value=1000, places=6, allow_nan=False, allow_infinity=False)
totals = st.dictionaries(st.uuids().map(str), st.integers(0, 40).map(lambda n: Decimal(n) / 4), max_size=12)
ranked_scores = st.lists(st.integers(0, 6).map(Decimal), max_size=25).map(lambda s: sorted(s, reverse=True))


# R2: rounding

@CHECK
@given(fine)
@example(Decimal("0.005"))
@example(Decimal("2.675"))
@example(Decimal("-0.005"))
def test_published_figures_have_two_places_and_move_at_most_half_a_cent(value):
    shown = published(value)
    assert shown.as_tuple().exponent == -2
    assert abs(shown - value) <= Decimal("0.005")
    assert published(shown) == shown


@CHECK
@given(st.integers(-100_000, 100_000))
def test_a_half_cent_is_rounded_away_from_zero(cents_):
    half = Decimal(cents_) / 100 + (Decimal("0.005") if cents_ >= 0 else Decimal("-0.005"))
    assert abs(published(half)) == abs(Decimal(cents_) / 100) + CENT


@CHECK
@given(fine, fine)
def test_rounding_keeps_the_order_of_figures(a, b):
    low, high = sorted((a, b))
    assert published(low) <= published(high)


# R1: the panel's trimmed mean

@CHECK
@given(totals, st.integers(1, 8), st.integers(0, 3))
def test_a_panel_score_lies_between_the_lowest_and_highest_kept_totals(sheets, min_judges, drop):
    result = panel_score(sheets, ((min_judges, drop),))
    if not sheets:
        assert result.score is None and result.flags == ("no_sheets",)
        return
    kept = [total for judge, total in sheets.items() if judge not in result.trimmed]
    assert min(kept) <= result.score <= max(kept)
    assert min(sheets.values()) <= result.score <= max(sheets.values())


@CHECK
@given(totals, st.integers(1, 8), st.integers(0, 3))
def test_trimming_drops_as_many_highest_as_lowest_and_only_from_min_judges(sheets, min_judges, drop):
    result = panel_score(sheets, ((min_judges, drop),))
    trims = len(sheets) >= min_judges and len(sheets) > 2 * drop
    assert len(result.trimmed) == (2 * drop if trims and sheets else 0)
    assert len(set(result.trimmed)) == len(result.trimmed) and set(result.trimmed) <= set(sheets)
    kept = [total for judge, total in sheets.items() if judge not in result.trimmed]
    if result.trimmed:
        ordered = sorted(sheets.items(), key=lambda item: (item[1], item[0]))
        assert set(result.trimmed) == {j for j, _ in ordered[:drop]} | {j for j, _ in ordered[-drop:]}
        assert all(sheets[j] <= min(kept) or sheets[j] >= max(kept) for j in result.trimmed)


@CHECK
@given(totals, st.integers(1, 8), st.integers(0, 3), st.randoms())
def test_a_panel_score_does_not_depend_on_the_order_sheets_arrive_in(sheets, min_judges, drop, rnd):
    shuffled = list(sheets.items())
    rnd.shuffle(shuffled)
    assert panel_score(dict(shuffled), ((min_judges, drop),)) == panel_score(sheets, ((min_judges, drop),))


@CHECK
@given(st.lists(st.uuids().map(str), min_size=1, max_size=12, unique=True), st.integers(0, 40), st.integers(0, 3))
def test_a_unanimous_panel_scores_its_common_total(judges, quarter_points, drop):
    total = Decimal(quarter_points) / 4
    result = panel_score(dict.fromkeys(judges, total), ((1, drop),))
    assert result.score == total
    assert ("few_sheets" in result.flags) == (len(judges) < 3)


@CHECK
@given(st.lists(st.uuids().map(str), min_size=5, max_size=9, unique=True), st.integers(0, 100))
def test_among_equal_totals_the_smaller_id_is_dropped_low_and_the_larger_high(judges, points):
    result = panel_score(dict.fromkeys(judges, Decimal(points)), ((5, 1),))
    assert result.trimmed == (min(judges), max(judges))


@CHECK
@given(totals)
def test_the_largest_tier_the_sheets_reach_sets_how_many_are_dropped(sheets):
    result = panel_score(sheets, ((5, 1), (7, 2)))
    expected = 2 if len(sheets) >= 7 else 1 if len(sheets) >= 5 else 0
    assert len(result.trimmed) == (2 * expected if sheets else 0)


# R3-R5: ranks and cut-offs

@CHECK
@given(ranked_scores)
def test_a_competition_rank_is_one_plus_the_number_of_better_scores(scores):
    ranks = competition_ranks(scores, lambda s: s)
    assert ranks == [1 + sum(other > s for other in scores) for s in scores]


@CHECK
@given(st.lists(st.tuples(st.integers(0, 5), st.text("ABC", min_size=1, max_size=3)), max_size=20))
def test_ranked_rows_come_in_display_order_with_ties_sharing_a_rank(items):
    rows = ranked(items, lambda item: Decimal(item[0]), lambda item: (-item[0], item[1]))
    assert [item for _, item in rows] == sorted(items, key=lambda item: (-item[0], item[1]))
    for (rank_a, a), (rank_b, b) in zip(rows, rows[1:]):
        assert rank_a <= rank_b and (rank_a == rank_b) == (a[0] == b[0])


def rows_of(scores):
    return list(zip(competition_ranks(scores, lambda s: s), range(len(scores))))


def whole_ties(chosen, rows):
    ranks = {rank for rank, item in rows if item in chosen}
    return {item for rank, item in rows if rank in ranks} == set(chosen)


def sides_of(scores, top_n, bottom_n):
    rows = rows_of(scores)
    leaders, laggards = sides(rows, top_n, bottom_n)
    return rows, leaders, laggards


track_scores = st.lists(st.integers(0, 8).map(Decimal), min_size=1, max_size=60).map(lambda s: sorted(s, reverse=True))


@CHECK
@given(track_scores, st.integers(1, 10), st.integers(1, 10))
@example([Decimal(5)] * 3, 3, 3)
@example([Decimal(9), Decimal(5), Decimal(1)], 3, 3)
def test_no_village_is_on_both_sides_and_each_side_holds_at_most_half_unless_a_top_tie_carries_it(scores, top_n, bottom_n):
    rows, leaders, laggards = sides_of(scores, top_n, bottom_n)
    half = len(rows) // 2
    assert not set(leaders) & set(laggards)
    assert whole_ties(leaders, rows) and whole_ties(laggards, rows)
    if len(leaders) > half:
        line = max(rank for rank, item in rows if item in leaders)
        assert line <= min(top_n, half) and sum(1 for rank, _ in rows if rank < line) < half
    assert len(laggards) <= min(half, max(bottom_n, len(laggards)))
    assert len(laggards) <= half


@CHECK
@given(track_scores, st.integers(1, 10), st.integers(1, 10))
def test_the_top_is_taken_first_on_ranks_and_the_bottom_from_the_worst_of_the_rest(scores, top_n, bottom_n):
    rows, leaders, laggards = sides_of(scores, top_n, bottom_n)
    half = len(rows) // 2
    assert leaders == [item for rank, item in rows if rank <= min(top_n, half)]
    assert set(laggards) == set([item for _, item in rows][len(rows) - len(laggards):])
    assert [scores[i] for i in laggards] == sorted(scores[i] for i in laggards)
    rest = [item for _, item in rows if item not in leaders]
    groups = [[i for i in rest if scores[i] == value] for value in sorted({scores[i] for i in rest})]
    taken = 0
    for group in groups:  # worst first: a whole group joins while places remain and half is not passed
        if taken >= min(bottom_n, half) or taken + len(group) > half:
            break
        taken += len(group)
    assert len(laggards) == taken


@CHECK
@given(track_scores)
def test_a_track_where_all_tie_has_a_top_and_no_bottom(scores):
    tied = [scores[0]] * len(scores)
    rows, leaders, laggards = sides_of(tied, 3, 3)
    assert laggards == [] and len(leaders) == (len(rows) if len(rows) > 1 else 0)


# R10: the composite; R3-R7: the monthly board

@CHECK
@given(cents, st.one_of(st.none(), cents), st.integers(0, 100))
def test_a_composite_lies_between_the_duty_and_contest_scores(duty, contest, duty_percent):
    weight = Decimal(duty_percent) / 100
    book = replace(BOOK, duty_weight=weight, contest_weight=1 - weight)
    value = composite(duty, contest, book)
    assert value.as_tuple().exponent == -2
    if contest is None:
        assert value == duty
    else:
        assert min(duty, contest) <= value <= max(duty, contest)


entries = st.lists(
    st.tuples(st.sampled_from(TRACKS), cents, st.one_of(st.none(), cents)), max_size=24,
).map(lambda rows: [Entry(f"v{n}", f"C{n:02d}", f"村{n}", track, duty, contest)
                    for n, (track, duty, contest) in enumerate(rows)])


bases = st.sampled_from(("contest", "composite"))


def basis_value(row, basis):
    return row.contest if basis == "contest" else row.composite


@CHECK
@given(entries, st.integers(1, 5), st.integers(1, 5), bases)
def test_a_monthly_board_ranks_by_composite_and_takes_its_sides_on_the_basis(month, top_n, bottom_n, basis):
    book = replace(BOOK, top_n=top_n, bottom_n=bottom_n, monthly_basis=basis)
    board = monthly_board(month, book, previous={})
    assert board.basis == basis
    assert sorted(r.village_id for rows in board.tracks.values() for r in rows) == \
        sorted(e.village_id for e in month)
    for track, rows in board.tracks.items():
        assert all(r.track == track for r in rows)
        for a, b in zip(rows, rows[1:]):
            assert a.composite >= b.composite and a.rank <= b.rank
            assert (a.rank == b.rank) == (a.composite == b.composite)
        ranked_rows = [r for r in rows if basis_value(r, basis) is not None]
        rank_key = "contest_rank" if basis == "contest" else "rank"
        for row in ranked_rows:
            higher = sum(basis_value(o, basis) > basis_value(row, basis) for o in ranked_rows)
            assert getattr(row, rank_key) == 1 + higher
        leaders, laggards = set(board.top[track]), set(board.bottom[track])
        assert not leaders & laggards
        assert leaders | laggards <= {r.village_id for r in ranked_rows}
        assert len(laggards) <= len(ranked_rows) // 2
        worst_leader = min((basis_value(r, basis) for r in rows if r.village_id in leaders), default=None)
        best_laggard = max((basis_value(r, basis) for r in rows if r.village_id in laggards), default=None)
        assert worst_leader is None or best_laggard is None or worst_leader > best_laggard
        assert not any(r.improved for r in rows)


@CHECK
@given(entries, st.randoms(use_true_random=False), bases)
def test_the_sides_do_not_depend_on_the_order_villages_come_in(month, rnd, basis):
    book = replace(BOOK, monthly_basis=basis)
    shuffled = list(month)
    rnd.shuffle(shuffled)
    first, second = monthly_board(month, book, previous={}), monthly_board(shuffled, book, previous={})
    for key in ("top", "bottom", "improved"):
        sides_of = [{t: set(ids) for t, ids in getattr(board, key).items()} for board in (first, second)]
        assert sides_of[0] == sides_of[1]
    assert first.tracks == second.tracks


@CHECK
@given(entries, entries.map(lambda month: {e.village_id: e for e in month}), st.integers(1, 4), bases)
def test_an_improved_village_climbed_or_gained_on_the_basis_and_is_on_neither_side(month, before, places, basis):
    book = replace(BOOK, improve_rank_places=places, monthly_basis=basis)
    previous_board = monthly_board(list(before.values()), book, previous={})
    previous = previous_board.rows()
    board = monthly_board(month, book, previous)
    rank_key = "contest_rank" if basis == "contest" else "rank"
    for track, rows in board.tracks.items():
        for row in rows:
            earlier = previous.get(row.village_id)
            if row.improved:
                assert earlier is not None and earlier.track == track and getattr(earlier, rank_key) is not None
                assert getattr(earlier, rank_key) - getattr(row, rank_key) >= places or \
                    basis_value(row, basis) - basis_value(earlier, basis) >= book.improve_points
                assert row.village_id not in board.top[track] + board.bottom[track]
            assert row.previous_rank == (earlier.rank if earlier and earlier.track == track else None)
        assert set(board.improved[track]) == {r.village_id for r in rows if r.improved}


# R9, R11: quarters, the year and its grades

def monthly_boards(draw_months):
    return [monthly_board(month, BOOK, previous={}) for month in draw_months]


@CHECK
@given(st.lists(entries, min_size=1, max_size=4))
def test_a_period_score_is_the_rounded_mean_of_the_months_a_village_appears_in(months):
    boards = monthly_boards(months)
    result = period_board(boards, BOOK)
    for rows in result.tracks.values():
        for row in rows:
            seen = [r.composite for b in boards for rs in b.tracks.values() for r in rs
                    if r.village_id == row.village_id]
            assert row.months == len(seen)
            assert row.score == published(sum(seen, Decimal(0)) / len(seen))
            assert min(seen) <= row.score <= max(seen)


@CHECK
@given(st.lists(entries, min_size=1, max_size=3), st.integers(0, 100), st.integers(1, 5))
def test_grades_give_excellent_to_the_top_share_and_poor_to_the_bottom_n(months, share_percent, bottom_n):
    book = replace(BOOK, excellent_share=Decimal(share_percent) / 100, bottom_n=bottom_n)
    year = annual_grades(period_board(monthly_boards(months), book), book)
    for track, rows in year.tracks.items():
        grades = [r.grade for r in rows]
        quota = max(1, int((book.excellent_share * len(rows)).to_integral_value(rounding=ROUND_FLOOR)))
        excellent = [r for r in rows if r.grade == "excellent"]
        poor = [r for r in rows if r.grade == "poor"]
        assert len(excellent) >= min(quota, len(rows)) and all(r.rank <= quota for r in excellent)
        assert grades == sorted(grades, key=["excellent", "good", "poor"].index)
        assert year.awards[track] == tuple(r.village_id for r in excellent)
        assert year.bottom[track] == tuple(r.village_id for r in poor)
        assert not {r.village_id for r in excellent} & {r.village_id for r in poor}
        assert len(poor) <= len(rows) // 2
        distinct_ranks = len({r.rank for r in rows}) == len(rows)
        if distinct_ranks:
            assert len(excellent) == min(quota, len(rows))
            half = len(rows) // 2
            assert len(poor) == min(bottom_n, half, len(rows) - max(len(excellent), min(book.top_n, half)))


@CHECK
@given(st.lists(entries, min_size=1, max_size=3))
def test_every_board_reads_back_as_itself_from_the_json_its_event_records(months):
    boards = monthly_boards(months)
    quarter = period_board(boards, BOOK)
    for board in [*boards, quarter, annual_grades(quarter, BOOK)]:
        stored = simplejson.dumps(board.as_dict(), use_decimal=True)
        assert Board.from_dict(simplejson.loads(stored, use_decimal=True)) == board
