"""A small town with one of everything, and a token per role: the ground for fuzzing and the role matrix."""

from .helpers import advance_to, build_judges, build_town, marks_for, open_account, schedule
from .periods import run_month, set_duty

ROLES = ("organizer", "judge", "secretary", "auditor")


def build_world(api) -> dict:
    """A closed month (so interviews exist), a contest in evaluation with one sheet, a pairing, and accounts."""
    town = build_town(api, per_track=(4, 1, 1))
    villages = town["villages"]
    judges = build_judges(api, 3)
    run_month(api, town, judges, "2023-05", {"D1": (90, 90), "D2": (80, 80), "D3": (70, 70), "D4": (60, 60)})
    for code in ("E1", "F1"):  # a month closes only with a duty list for every village (R13)
        set_duty(api, town["villages"][code], "2023-05", 75)
    api.ok("POST", f"/towns/{town['town']}/months/2023-05/close")
    contest = schedule(api, town["town"], judges, month="2023-06", tracks=["demonstration"])
    advance_to(api, contest["id"], "evaluation")
    sheet = api.ok("PUT", f"/contests/{contest['id']}/sheets/{villages['D1']}", {"marks": marks_for(70)}, 201,
                   token=judges[0]["token"])
    pairing = api.ok("POST", "/pairings", {"advanced_village_id": villages["D1"], "lagging_village_id": villages["D4"],
                                           "from_month": "2023-06"}, 201)  # 2023-05 is closed: read-only
    interview = api.ok("GET", f"/interviews?town_id={town['town']}")[0]
    secretary = open_account(api, "D1书记", "secretary", villages["D1"])
    auditor = open_account(api, "纪检监察", "auditor")
    gone = open_account(api, "离任评委", "judge")
    api.ok("POST", f"/accounts/{gone['id']}/disable", {"reason": "调离"})
    return {
        "town": town["town"], "villages": villages, "village": villages["D1"], "judges": judges,
        "contest": contest["id"], "sheet": sheet["id"], "pairing": pairing["id"], "interview": interview["id"],
        "account": gone["id"],
        "tokens": {"organizer": api.token, "judge": judges[0]["token"], "secretary": secretary["token"],
                   "auditor": auditor["token"], "disabled": gone["token"], "none": None},
    }


def ids_for_path(world: dict) -> dict:
    """Real ids for each path parameter of the OpenAPI document."""
    return {"town_id": world["town"], "village_id": world["village"], "contest_id": world["contest"],
            "pairing_id": world["pairing"], "interview_id": world["interview"], "entity_id": world["sheet"],
            "account_id": world["account"], "month": "2023-06", "quarter": "2023-Q2", "year": "2023",
            "kind": "monthly", "period": "2023-05", "fmt": "csv"}
