"""Months, quarters and years as the programme writes them: "2023-05", "2023-Q2", "2023"."""

import calendar
import re

# ASCII digits over the whole text: "２０２３-05" and "2023-05\n" are not months.
MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])", re.ASCII)
QUARTER = re.compile(r"(\d{4})-Q([1-4])", re.ASCII)
YEAR = re.compile(r"(\d{4})", re.ASCII)


def is_month(text: str) -> bool:
    return bool(MONTH.fullmatch(text)) and text >= "2000-01"


def is_quarter(text: str) -> bool:
    return bool(QUARTER.fullmatch(text)) and text >= "2000"


def is_year(text: str) -> bool:
    return bool(YEAR.fullmatch(text)) and text >= "2000"


def previous_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def months_of_quarter(quarter: str) -> list[str]:
    year, index = quarter[:4], int(quarter[-1])
    return [f"{year}-{3 * (index - 1) + n:02d}" for n in (1, 2, 3)]


def months_of_year(year: str) -> list[str]:
    return [f"{year}-{n:02d}" for n in range(1, 13)]


def quarter_of(month: str) -> str:
    return f"{month[:4]}-Q{(int(month[5:]) - 1) // 3 + 1}"


def next_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    return f"{year + 1}-01" if number == 12 else f"{year}-{number + 1:02d}"


def last_day(month: str) -> str:
    """The month's last day, "YYYY-MM-DD": whoever is in office then answers for the period."""
    return f"{month}-{calendar.monthrange(int(month[:4]), int(month[5:]))[1]:02d}"
