"""Months, quarters and years as the programme writes them (domain.periods)."""

import pytest

from domain.periods import (
    is_month,
    is_quarter,
    last_day,
    months_of_quarter,
    months_of_year,
    next_month,
    previous_month,
    quarter_of,
)


@pytest.mark.parametrize("month, following", [("2023-05", "2023-06"), ("2023-09", "2023-10"), ("2023-12", "2024-01")])
def test_the_next_month_rolls_over_the_year_end(month, following):
    assert next_month(month) == following


@pytest.mark.parametrize("month, before", [("2023-06", "2023-05"), ("2023-10", "2023-09"), ("2024-01", "2023-12")])
def test_the_previous_month_rolls_back_over_the_year_start(month, before):
    assert previous_month(month) == before


@pytest.mark.parametrize("month, day", [("2023-01", "2023-01-31"), ("2023-02", "2023-02-28"), ("2024-02", "2024-02-29"),
                                        ("2023-04", "2023-04-30"), ("2023-12", "2023-12-31")])
def test_the_last_day_of_a_month_knows_month_lengths_and_leap_years(month, day):
    assert last_day(month) == day


@pytest.mark.parametrize("month, quarter", [("2023-01", "2023-Q1"), ("2023-03", "2023-Q1"), ("2023-04", "2023-Q2"),
                                            ("2023-09", "2023-Q3"), ("2023-10", "2023-Q4"), ("2023-12", "2023-Q4")])
def test_a_month_belongs_to_its_quarter(month, quarter):
    assert quarter_of(month) == quarter


def test_a_quarter_is_its_three_months_and_a_year_its_twelve():
    assert months_of_quarter("2023-Q2") == ["2023-04", "2023-05", "2023-06"]
    assert months_of_quarter("2023-Q4") == ["2023-10", "2023-11", "2023-12"]
    assert months_of_year("2023")[0] == "2023-01" and months_of_year("2023")[-1] == "2023-12"
    assert all(quarter_of(m) == "2023-Q3" for m in months_of_quarter("2023-Q3"))


@pytest.mark.parametrize("text", ["2023-13", "2023-00", "2023-5", "1999-12", "２０２３-05", "2023-05\n", "2023-Q2"])
def test_text_that_is_not_a_programme_month_is_not_a_month(text):
    assert not is_month(text)


def test_a_quarter_is_written_with_q_and_one_to_four():
    assert is_quarter("2023-Q4") and not is_quarter("2023-Q5") and not is_quarter("2023-05")
