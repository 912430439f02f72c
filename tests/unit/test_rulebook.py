"""The rulebook (规则): what a new version carries over, and what it refuses."""

from decimal import Decimal

import pytest

from domain.errors import InvalidError
from domain.rulebook import DEFAULTS, FIRST_MONTH, Rulebook, check_rulebook, first_rulebook, next_rulebook


def refused(changes: dict) -> dict:
    with pytest.raises(InvalidError) as refusal:
        next_rulebook(first_rulebook(), changes, "2023-07")
    return refusal.value.errors


def test_a_new_version_carries_over_every_rule_it_does_not_change():
    second = next_rulebook(first_rulebook(), {"top_n": 5}, "2023-07")
    assert second.top_n == 5
    assert (second.version, second.effective_from) == (2, "2023-07")
    changed = ("top_n", "version", "effective_from")
    unchanged = {k: v for k, v in second.as_dict().items() if k not in changed}
    assert unchanged == {k: v for k, v in first_rulebook().as_dict().items() if k not in changed}


def test_changing_one_weight_keeps_the_other():
    second = next_rulebook(first_rulebook(), {"weights": {"duty": Decimal("0.6"), "contest": Decimal("0.4")}}, "2023-07")
    third = next_rulebook(second, {"weights": {"contest": Decimal("0.4")}}, "2023-09")
    assert (third.duty_weight, third.contest_weight) == (Decimal("0.6"), Decimal("0.4"))
    assert third.version == 3


def test_changing_one_weight_alone_so_they_no_longer_add_up_to_one_is_refused():
    errors = refused({"weights": {"duty": Decimal("0.6")}})  # 0.6 + the carried 0.3
    assert errors == {"weights": ["duty and contest weights must be at least 0 and add up to 1.00, not 0.9"]}


def test_weights_adding_up_to_more_than_one_are_refused():
    assert "weights" in refused({"weights": {"duty": Decimal("0.8"), "contest": Decimal("0.3")}})


def test_a_negative_weight_is_refused_even_when_the_weights_add_up_to_one():
    assert "weights" in refused({"weights": {"duty": Decimal("1.2"), "contest": Decimal("-0.2")}})


def test_the_whole_weight_may_go_to_the_duty_list():
    assert next_rulebook(first_rulebook(), {"weights": {"duty": "1", "contest": "0"}}, "2023-07").version == 2


def test_a_trim_that_drops_every_sheet_is_refused():
    assert "trim" in refused({"trim": {"min_judges": 4, "drop": 2}})


def test_a_tier_list_with_one_tier_that_would_drop_every_sheet_is_refused():
    assert "trim" in refused({"trim": [{"min_judges": 5, "drop": 1}, {"min_judges": 7, "drop": 4}]})


def test_two_tiers_for_the_same_panel_size_are_refused():
    errors = refused({"trim": [{"min_judges": 5, "drop": 1}, {"min_judges": 5, "drop": 2}]})
    assert errors == {"trim": ["give each min_judges once"]}


def test_an_empty_tier_list_is_refused():
    assert "trim" in refused({"trim": []})


def test_an_unknown_monthly_basis_is_refused():
    assert refused({"monthly_basis": "duty"}) == {"monthly_basis": ["must be one of contest, composite"]}


def test_a_refused_rulebook_names_every_problem_at_once():
    errors = refused({"weights": {"duty": Decimal("0.5")}, "trim": {"min_judges": 2, "drop": 1}, "monthly_basis": "x"})
    assert sorted(errors) == ["monthly_basis", "trim", "weights"]


def test_the_first_rulebook_holds_the_article_defaults_and_is_valid():
    book = first_rulebook()
    check_rulebook(book.as_dict())
    assert (book.duty_weight, book.contest_weight) == (Decimal("0.7"), Decimal("0.3"))
    assert (book.monthly_basis, book.top_n, book.bottom_n, book.appeal_days) == ("contest", 3, 3, 3)
    assert book.trim == ((5, 1),)


def test_tiers_are_read_in_order_of_panel_size_whatever_order_they_were_given_in():
    book = next_rulebook(first_rulebook(), {"trim": [{"min_judges": 7, "drop": 2}, {"min_judges": 5, "drop": 1}]},
                         "2023-07")
    assert book.trim == ((5, 1), (7, 2))


def test_what_a_rulebook_records_reads_back_as_the_same_rulebook():
    book = next_rulebook(first_rulebook(), {"trim": [{"min_judges": 7, "drop": 2}, {"min_judges": 5, "drop": 1}],
                                            "weights": {"duty": Decimal("0.6"), "contest": Decimal("0.4")}}, "2023-07")
    assert Rulebook.of(book.as_dict()) == book
    assert book.as_dict()["trim"] == [{"min_judges": 5, "drop": 1}, {"min_judges": 7, "drop": 2}]
    assert first_rulebook().as_dict()["trim"] == {"min_judges": 5, "drop": 1}


def test_the_first_rulebook_records_the_defaults_in_their_order():
    assert first_rulebook().as_dict() == {"version": 1, "effective_from": FIRST_MONTH, **DEFAULTS}
    assert list(first_rulebook().as_dict()) == ["version", "effective_from", *DEFAULTS]


def test_a_rulebook_recorded_before_monthly_basis_and_overdue_days_reads_as_composite_with_the_default_days():
    recorded = {k: v for k, v in first_rulebook().as_dict().items() if k not in ("monthly_basis", "overdue_days")}
    old = Rulebook.of(recorded)
    assert (old.monthly_basis, old.overdue_days) == ("composite", DEFAULTS["overdue_days"])
    assert old.as_dict() == {**recorded, "monthly_basis": "composite", "overdue_days": DEFAULTS["overdue_days"]}
