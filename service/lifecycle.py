"""The period's lifecycle (R13) as plain functions: what blocks a close, and what a close would record."""

import json
from functools import lru_cache

from domain.boards import Entry
from domain.consequences import Interview, Sharing
from domain.periods import next_month
from projections.people import open_appeals
from projections.results import contests_of_month


def last_track(village: dict, month: str) -> str:
    """The track of `month`, or the last one the village was on (a retired village keeps its name in notices)."""
    return last_track_of(village["tracks"], month)


@lru_cache(maxsize=4096)
def last_track_of(text: str, month: str) -> str:
    """`last_track` from the row's `tracks` text, decoded once per distinct text (see projections.directory.track_of)."""
    tracks = json.loads(text)
    dated = [t["track"] for t in tracks if t["effective_from"] <= month and t["track"]]
    return dated[-1] if dated else tracks[0]["track"]


def blocker(kind: str, message: str, villages=(), contests=(), appeals=()) -> dict:
    return {"kind": kind, "message": message, "villages": list(villages), "contests": list(contests),
            "appeals": list(appeals)}


def input_blockers(store, town_id: str, month: str, entries: list[Entry]) -> list[dict]:
    """The month's inputs: a duty list for every village taking part (its entry says when it has none), no open
    appeal, every contest settled."""
    found = []
    missing = [e.code for e in entries if "no_duty_list" in e.flags]
    if missing:
        found.append(blocker("duty_lists_missing", f"no duty list for {len(missing)} villages: enter each score, "
                             "0 included", villages=missing))
    appeals = open_appeals(store, town_id, month)
    if appeals:
        found.append(blocker("appeals_open", f"{len(appeals)} appeals on the contests of {month} are not yet resolved",
                             appeals=appeals))
    unsettled = [c["contest_id"] for c in contests_of_month(store, town_id, month)
                 if c["stage"] not in ("published", "cancelled")]
    if unsettled:
        found.append(blocker("contests_unsettled", f"{len(unsettled)} contests of {month} are neither published "
                             "nor cancelled", contests=unsettled))
    return found


def order_blockers(statuses: dict[str, str], month: str) -> list[dict]:
    """Months close in order from the town's first closed month; a reopened month must close again first."""
    if not statuses:
        return []
    first = min(statuses)
    if month < first:
        return [blocker("out_of_order", f"months close in order, and the town's first closed month is {first}")]
    gap = first_open(statuses, first, month)
    if gap:
        return [blocker("previous_open", f"close {gap} first: months close in order")]
    return []


def first_open(statuses: dict[str, str], first: str, month: str) -> str | None:
    """The earliest month from `first` up to `month` (excluded) that is not closed; steps over closed months only."""
    while first < month and len(first) == 7:
        if statuses.get(first) != "closed":
            return first
        first = next_month(first)
    return None


def blocker_errors(blockers: list[dict]) -> dict[str, list[str]]:
    """The 409's `errors`: what is in the way, by what a client would show."""
    errors = {"month": [b["message"] for b in blockers if not (b["villages"] or b["contests"] or b["appeals"])]}
    for key in ("villages", "contests", "appeals"):
        errors[key] = [item for b in blockers for item in b[key]]
    return {key: items for key, items in errors.items() if items}


def consequences(changed: list) -> dict:
    """The interviews and sharing invitations among a close's changes, as the preview shows them."""
    interviews = [{"id": i.id, "village_id": i.village_id, "level": i.level, "period": i.period, "secretary": i.secretary,
                   "conductor": i.conductor, "rank": i.rank, "score": i.score}
                  for i in changed if isinstance(i, Interview) and i.status == "required"]
    sharings = [{"id": s.id, "village_id": s.village_id, "period": s.period, "reason": s.reason}
                for s in changed if isinstance(s, Sharing) and s.status == "invited"]
    withdrawn = [{"id": w.id, "village_id": w.village_id, "period": w.period, "kind": type(w).__name__.lower()}
                 for w in changed if isinstance(w, (Interview, Sharing)) and w.status == "withdrawn"]
    return {"interviews": interviews, "sharings": sharings, "withdrawn": withdrawn}
