"""The duty list (职责清单): a village's monthly items, scored and scaled to 0-100."""

from decimal import Decimal
from uuid import uuid4

import pytest

from domain.duty import DutyList
from domain.errors import InvalidError
from domain.rules import published

ORGANISER = uuid4()


def items(*scored: tuple[str, str, str]) -> list[dict]:
    return [{"item": name, "score": score, "max": most} for name, score, most in scored]


def duty_list(entries: list[dict]) -> DutyList:
    return DutyList(village_id=uuid4(), town_id=uuid4(), month="2023-05", items=entries, by=ORGANISER)


def test_a_duty_list_total_is_its_points_scaled_to_a_hundred_at_full_precision():
    may = duty_list(items(("党建", "8", "10"), ("环境", "15", "20")))  # 23 of 30 points
    assert may.total == Decimal(2300) / Decimal(30)
    assert published(may.total) == Decimal("76.67")


def test_full_marks_on_every_item_make_a_hundred():
    assert duty_list(items(("党建", "10", "10"), ("环境", "20", "20"), ("民生", "7.5", "7.5"))).total == 100


def test_an_organiser_may_enter_zero_as_a_real_score():
    assert duty_list(items(("党建", "0", "10"))).total == 0


def test_revising_a_duty_list_records_a_new_revision_with_the_new_total():
    may = duty_list(items(("党建", "8", "10"), ("环境", "15", "20")))
    may.revise(items(("党建", "9", "10"), ("环境", "15", "20")), ORGANISER)
    assert (may.revision, may.total) == (2, Decimal(80))


def test_a_score_above_its_item_maximum_is_refused_naming_the_item():
    with pytest.raises(InvalidError) as refused:
        duty_list(items(("党建", "11", "10")))
    assert refused.value.errors == {"items": ["党建: the score must be between 0 and its maximum (10)"]}


def test_a_negative_score_is_refused():
    with pytest.raises(InvalidError):
        duty_list(items(("党建", "-1", "10")))


def test_an_item_with_no_points_possible_is_refused():
    with pytest.raises(InvalidError):
        duty_list(items(("党建", "0", "0")))


def test_an_empty_duty_list_is_refused():
    with pytest.raises(InvalidError) as refused:
        duty_list([])
    assert refused.value.errors == {"items": ["give at least one item"]}


def test_an_item_listed_twice_is_refused():
    with pytest.raises(InvalidError) as refused:
        duty_list(items(("党建", "5", "10"), ("党建", "6", "10")))
    assert refused.value.errors == {"items": ["each item once"]}


def test_a_refused_revision_leaves_the_duty_list_as_it_was():
    may = duty_list(items(("党建", "8", "10")))
    with pytest.raises(InvalidError):
        may.revise(items(("党建", "12", "10")), ORGANISER)
    assert (may.revision, may.total) == (1, Decimal(80))
