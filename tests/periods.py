"""Builders for month-by-month scenarios: duty lists and one published contest per track per month."""

from .helpers import TRACKS, advance_to, build_judges, build_town, marks_for, schedule

TRACK_OF = {"D": "demonstration", "E": "excellence", "F": "foundation"}


def set_duty(api, village_id: str, month: str, score) -> None:
    api.ok("PUT", f"/villages/{village_id}/duty/{month}", {"items": [{"item": "职责清单", "score": score, "max": 100}]})


def run_month(api, town: dict, judges: list[dict], month: str, figures: dict, excused=()) -> None:
    """figures: code -> (duty, contest); every judge gives the same total, so the contest score is that total."""
    villages = town["villages"]
    for code, (duty, _) in figures.items():
        set_duty(api, villages[code], month, duty)
    for letter, track in TRACK_OF.items():
        if not any(code.startswith(letter) for code in figures):
            continue
        contest = schedule(api, town["town"], judges, month=month, tracks=[track])
        for code in excused:
            if code.startswith(letter):
                api.ok("POST", f"/contests/{contest['id']}/absences",
                       {"village_id": villages[code], "excused": True, "reason": "请假"})
        advance_to(api, contest["id"], "evaluation")
        sheets = [{"judge_id": j["id"], "village_id": villages[code], "marks": marks_for(score)}
                  for code, (_, score) in figures.items() if code.startswith(letter) and code not in excused
                  for j in judges]
        api.ok("POST", f"/contests/{contest['id']}/sheets/batch", {"sheets": sheets}, 201)
        api.ok("POST", f"/contests/{contest['id']}/publish")


def board_rows(board: dict, code_of: dict) -> dict:
    """code -> (composite, rank, previous_rank, improved) over every track."""
    return {code_of[r["village_id"]]: (f"{r['composite']:.2f}", r["rank"], r["previous_rank"], r["improved"])
            for rows in board["tracks"].values() for r in rows}


def codes(ids, code_of) -> set:
    return {code_of[v] for v in ids}


__all__ = ["TRACKS", "set_duty", "run_month", "board_rows", "codes", "pair", "closed_month", "closed_town", "paired_and_closed"]


def pair(api, town: dict, advanced: str, lagging: str, from_month: str) -> dict:
    body = {"advanced_village_id": town["villages"][advanced], "lagging_village_id": town["villages"][lagging],
            "from_month": from_month}
    return api.ok("POST", "/pairings", body, 201)


def closed_month(api, town: dict, judges: list[dict], month: str, figures: dict) -> dict:
    """`month` run with `figures` and closed; returns the closed board."""
    run_month(api, town, judges, month, figures)
    return api.ok("POST", f"/towns/{town['town']}/months/{month}/close")


def closed_town(api, month: str, figures: dict, per_track=(4, 0, 0)) -> tuple[dict, list[dict]]:
    """A town of `per_track` villages and three judges, with `month` run with `figures` and closed."""
    town = build_town(api, per_track=per_track)
    judges = build_judges(api, 3)
    closed_month(api, town, judges, month, figures)
    return town, judges


def paired_and_closed(api, town: dict, judges: list[dict], advanced: str, lagging: str, month: str, figures: dict) -> dict:
    """A pairing from `month`, then `month` run with `figures` and closed; returns the pairing."""
    pairing = pair(api, town, advanced, lagging, month)
    closed_month(api, town, judges, month, figures)
    return pairing
