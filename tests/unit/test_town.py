"""A town: one contest per track per month (一周期一比武), its rulebook versions, its village codes."""

from uuid import uuid4

import pytest

from domain.errors import RuleError
from domain.town import Town

ORGANISER = uuid4()


def town() -> Town:
    return Town(name="大曹镇", county="宁津县", by=ORGANISER)


def test_a_second_contest_for_a_track_in_the_same_month_is_refused():
    daocao = town()
    daocao.register_contest(uuid4(), "2023-05", ["demonstration"], ORGANISER)
    with pytest.raises(RuleError, match="demonstration already has a contest in 2023-05"):
        daocao.register_contest(uuid4(), "2023-05", ["demonstration"], ORGANISER)
    assert len(daocao.contest_ids("2023-05")) == 1


def test_a_contest_sharing_one_of_several_tracks_with_another_that_month_is_refused():
    daocao = town()
    daocao.register_contest(uuid4(), "2023-05", ["excellence", "foundation"], ORGANISER)
    with pytest.raises(RuleError, match="foundation"):
        daocao.register_contest(uuid4(), "2023-05", ["demonstration", "foundation"], ORGANISER)


def test_each_track_may_have_its_own_contest_in_the_same_month():
    daocao = town()
    for track in ("demonstration", "excellence", "foundation"):
        daocao.register_contest(uuid4(), "2023-05", [track], ORGANISER)
    assert len(daocao.contest_ids("2023-05")) == 3


def test_a_track_has_a_new_contest_the_next_month():
    daocao = town()
    daocao.register_contest(uuid4(), "2023-05", ["demonstration"], ORGANISER)
    daocao.register_contest(uuid4(), "2023-06", ["demonstration"], ORGANISER)
    assert len(daocao.contest_ids()) == 2 and len(daocao.contest_ids("2023-06")) == 1


def test_a_cancelled_contest_frees_its_track_for_another_that_month():
    daocao, first, second = town(), uuid4(), uuid4()
    daocao.register_contest(first, "2023-05", ["demonstration"], ORGANISER)
    daocao.release_contest(first, ORGANISER)
    daocao.register_contest(second, "2023-05", ["demonstration"], ORGANISER)
    assert daocao.contest_ids("2023-05") == [str(first), str(second)]


def test_the_rulebook_for_a_month_is_the_latest_version_in_effect_by_then():
    daocao = town()
    daocao.adopt_rulebook({"top_n": 5}, "2023-07", ORGANISER)
    daocao.adopt_rulebook({"monthly_basis": "composite"}, "2024-01", ORGANISER)
    assert [daocao.rulebook_for(m).version for m in ("2023-06", "2023-07", "2023-12", "2024-01")] == [1, 2, 2, 3]
    assert daocao.rulebook_for("2024-03").top_n == 5


def test_a_rulebook_cannot_take_effect_before_the_version_in_force():
    daocao = town()
    daocao.adopt_rulebook({"top_n": 5}, "2023-07", ORGANISER)
    with pytest.raises(RuleError, match="before version 2"):
        daocao.adopt_rulebook({"top_n": 4}, "2023-06", ORGANISER)
    assert daocao.rulebook.version == 2


def test_a_second_rulebook_from_the_same_month_replaces_the_first_for_that_month():
    daocao = town()
    daocao.adopt_rulebook({"top_n": 5}, "2023-07", ORGANISER)
    daocao.adopt_rulebook({"top_n": 4}, "2023-07", ORGANISER)
    assert daocao.rulebook_for("2023-07").top_n == 4
    assert daocao.rulebook_version(2).top_n == 5


def test_asking_for_a_rulebook_version_that_was_never_adopted_is_refused():
    with pytest.raises(RuleError, match="version 2 does not exist"):
        town().rulebook_version(2)


def test_a_village_code_is_used_once_in_a_town():
    daocao = town()
    daocao.register_village(uuid4(), "A01", ORGANISER)
    with pytest.raises(RuleError, match="A01"):
        daocao.register_village(uuid4(), "A01", ORGANISER)
    assert list(daocao.village_codes.values()) == ["A01"]
