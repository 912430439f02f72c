from flask import current_app

from ..schemas.common import MONTH, QUARTER, YEAR


def leitai():
    """The process's Application."""
    return current_app.extensions["leitai"]


def checked_in_path(name: str, pattern: str) -> dict:
    """Documents a path part the view checks itself: Flask matches any text there."""
    return {"in": "path", "name": name, "schema": {"type": "string", "pattern": pattern}}


IN_PATH = {"month": [checked_in_path("month", MONTH)], "quarter": [checked_in_path("quarter", QUARTER)],
           "year": [checked_in_path("year", YEAR)]}
