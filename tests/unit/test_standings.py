"""Official standings: a period closes, reopens with a reason, and closes again as a new revision."""

from uuid import uuid4

import pytest

from domain.errors import InvalidError, RuleError
from domain.standings import Standings

ORGANISER = uuid4()
BOARD = {"top": {"demonstration": ["v-a"], "foundation": ["v-x", "v-y"]}, "bottom": {"demonstration": ["v-c"]}}


def may() -> Standings:
    return Standings(town_id=uuid4(), period="2023-05", by=ORGANISER)


def test_a_month_starts_provisional_and_closing_it_records_its_board_and_rulebook():
    standings = may()
    assert not standings.closed
    standings.close(BOARD, 2, ORGANISER)
    assert (standings.status, standings.revision, standings.rulebook_version) == ("closed", 1, 2)
    assert standings.listed("top") == {"v-a", "v-x", "v-y"}


def test_a_closed_month_cannot_be_closed_again():
    standings = may()
    standings.close(BOARD, 1, ORGANISER)
    with pytest.raises(RuleError, match="2023-05 is already closed"):
        standings.close({}, 1, ORGANISER)
    assert standings.board == BOARD and standings.revision == 1


def test_reopening_a_month_needs_a_reason():
    standings = may()
    standings.close(BOARD, 1, ORGANISER)
    with pytest.raises(InvalidError):
        standings.reopen("  ", ORGANISER)
    assert standings.closed


def test_a_month_that_is_not_closed_cannot_be_reopened():
    standings = may()
    standings.close(BOARD, 1, ORGANISER)
    standings.reopen("补录后店村职责清单", ORGANISER)
    with pytest.raises(RuleError, match="not closed"):
        standings.reopen("再次打开", ORGANISER)
    assert standings.status == "provisional"


def test_closing_again_after_a_reopen_records_a_new_revision_and_keeps_the_first_in_the_history():
    standings = may()
    standings.close(BOARD, 1, ORGANISER)
    standings.reopen("补录后店村职责清单", ORGANISER)
    standings.close({"top": {"demonstration": ["v-b"]}}, 1, ORGANISER)
    closes = [e for e in standings.collect_events() if isinstance(e, Standings.Closed)]
    assert standings.revision == 2 and standings.listed("top") == {"v-b"}
    assert [(e.revision, e.board) for e in closes] == [(1, BOARD), (2, {"top": {"demonstration": ["v-b"]}})]


def test_a_town_has_one_standings_record_per_period():
    town_id = uuid4()
    assert Standings.create_id(town_id, "2023-05") == Standings.create_id(town_id, "2023-05")
    assert Standings.create_id(town_id, "2023-05") != Standings.create_id(town_id, "2023-Q2")
