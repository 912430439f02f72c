"""A village: its track by month, joining and leaving the programme (撤并), its secretaries' tenures."""

from uuid import uuid4

import pytest

from domain.errors import InvalidError, RuleError
from domain.village import Village

ORGANISER = uuid4()


def village(track="excellence", joined_from="2023-03") -> Village:
    return Village(town_id=uuid4(), code="B07", name="后店村", track=track, secretary="王建国", by=ORGANISER,
                   joined_from=joined_from)


def test_a_village_has_no_track_before_the_month_it_joins():
    houdian = village(joined_from="2023-03")
    assert (houdian.track_in("2023-02"), houdian.track_in("2023-03")) == (None, "excellence")
    assert houdian.joined_from == "2023-03"


def test_a_village_registered_without_a_joining_month_is_in_the_programme_from_the_start():
    houdian = Village(town_id=uuid4(), code="B07", name="后店村", track="foundation", secretary="王建国", by=ORGANISER)
    assert houdian.track_in("2000-01") == "foundation"


def test_an_unknown_track_is_refused():
    with pytest.raises(InvalidError):
        village(track="model")


def test_a_track_change_applies_from_its_month_and_the_months_before_keep_the_old_track():
    houdian = village()
    houdian.change_track("demonstration", "2023-07", "评为示范村", ORGANISER)
    assert [houdian.track_in(m) for m in ("2023-06", "2023-07", "2023-12")] == ["excellence", "demonstration", "demonstration"]


def test_a_track_change_cannot_take_effect_before_the_last_one():
    houdian = village()
    houdian.change_track("demonstration", "2023-07", "评为示范村", ORGANISER)
    with pytest.raises(RuleError, match="before 2023-07"):
        houdian.change_track("foundation", "2023-06", "补录", ORGANISER)
    assert houdian.track_in("2023-06") == "excellence"


def test_a_retired_village_has_no_track_from_the_month_it_leaves():
    houdian = village()
    houdian.retire("2023-09", "与前店村合并", ORGANISER)
    assert (houdian.track_in("2023-08"), houdian.track_in("2023-09"), houdian.track_in("2024-01")) == ("excellence", None, None)
    assert houdian.retired_from == "2023-09"


def test_a_village_still_in_the_programme_has_no_retirement_month():
    assert village().retired_from is None


def test_a_village_cannot_leave_the_programme_twice():
    houdian = village()
    houdian.retire("2023-09", "与前店村合并", ORGANISER)
    with pytest.raises(RuleError, match="left the programme in 2023-09"):
        houdian.retire("2023-10", "再次撤并", ORGANISER)
    assert houdian.retired_from == "2023-09"


def test_a_retirement_cannot_be_dated_on_or_before_the_village_last_track_change():
    houdian = village(joined_from="2023-03")
    houdian.change_track("demonstration", "2023-07", "评为示范村", ORGANISER)
    for month in ("2023-06", "2023-07"):
        with pytest.raises(RuleError, match="after 2023-07 only"):
            houdian.retire(month, "与前店村合并", ORGANISER)
    assert houdian.retired_from is None


def test_a_village_cannot_leave_in_the_month_it_joined():
    with pytest.raises(RuleError):
        village(joined_from="2023-03").retire("2023-03", "登记错误", ORGANISER)


def test_a_retirement_needs_a_reason():
    houdian = village()
    with pytest.raises(InvalidError):
        houdian.retire("2023-09", " ", ORGANISER)
    assert houdian.retired_from is None


def test_a_retired_village_cannot_change_track():
    houdian = village()
    houdian.retire("2023-09", "与前店村合并", ORGANISER)
    with pytest.raises(RuleError, match="left the programme"):
        houdian.change_track("foundation", "2023-10", "误操作", ORGANISER)


def test_the_secretary_on_a_day_is_the_latest_whose_tenure_had_begun_by_then():
    houdian = village()
    houdian.change_secretary("李红梅", "2023-06-15", ORGANISER)
    houdian.change_secretary("赵志强", "2023-11-01", ORGANISER)
    assert [houdian.secretary_on(d) for d in ("2023-06-14", "2023-06-15", "2023-10-31", "2023-12-31")] == [
        "王建国", "李红梅", "李红梅", "赵志强"]
    assert houdian.secretary["name"] == "赵志强"


@pytest.mark.parametrize("since", ["2023-06-15", "2023-06-01"])
def test_a_new_tenure_cannot_begin_on_or_before_the_day_the_last_one_began(since):
    houdian = village()
    houdian.change_secretary("李红梅", "2023-06-15", ORGANISER)
    with pytest.raises(RuleError, match="after 2023-06-15"):
        houdian.change_secretary("赵志强", since, ORGANISER)
    assert houdian.secretary["name"] == "李红梅"
