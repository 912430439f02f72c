"""People and process (R14): a new secretary, a retired village, appeals."""

import random

from .client import Client
from .closing import open_secretary
from .town import APPEAL_REASONS, RESOLUTIONS, Demo, Village, retalked


def change_secretary(demo: Demo, api: Client) -> None:
    """调整: the new secretary takes over on a day of the month and gets an account in their own name."""
    change = demo.change
    api.post(f"/villages/{change.village.id}/secretary", {"name": change.new, "since": change.since})
    change.village.secretary = change.new
    open_secretary(demo, api, change.village)


def retire_village(demo: Demo, api: Client, month: str) -> None:
    """村庄撤并: a village without pairing, account or peer judge leaves, from a track that keeps at least two."""
    busy = {p[k] for p in demo.pairings or [] for k in ("advanced", "lagging")} | set(demo.secretaries)
    busy |= {j.village.id for j in demo.judges if j.village} | {demo.change.village.id}
    candidates = [v for v in demo.villages if v.id not in busy and len(demo.of_track(v.track, month)) > 2]
    if not candidates:
        return
    village = demo.rng(month, "retire").choice(candidates)
    api.post(f"/villages/{village.id}/retire", {"effective_from": month, "reason": "村庄撤并"})
    village.retired_from, demo.retired = month, village


def hear_appeals(demo: Demo, api: Client, month: str) -> None:
    """申诉 within the window after publication: two villages appeal, the first is rejected, the second upheld.

    Villages with their own secretary account come first, so those appeals are lodged by the secretary; an open
    appeal would block the month's close, so both are answered here.
    """
    rng = demo.rng(month, "appeals")
    entries = [(contest, sheets, v) for contest, sheets in demo.held[month]
               for v in sorted({v for _, v in sheets}, key=lambda v: v.code)]
    rng.shuffle(entries)
    entries.sort(key=lambda entry: entry[2].id not in demo.secretaries)
    for (contest, sheets, village), outcome in zip(entries, ("rejected", "upheld")):
        body = {"village_id": village.id, "reason": rng.choice(APPEAL_REASONS)}
        appeal = api.post(f"/contests/{contest}/appeals", body, token=demo.secretaries.get(village.id))["id"]
        api.post(f"/appeals/{appeal}/resolve", {"outcome": outcome, "reason": rng.choice(RESOLUTIONS[outcome])})
        amended = outcome == "upheld" and amend(demo, api, rng, contest, sheets, village)
        demo.appeals.append((village, f"{outcome}, sheet amended" if amended else outcome))


def amend(demo: Demo, api: Client, rng: random.Random, contest: str, sheets: dict, village: Village) -> bool:
    """The organiser raises one of the village's sheets on the upheld appeal (R8), a new results revision."""
    judges = sorted((j for j, v in sheets if v is village and sheets[j, v]["talk"] < 30), key=lambda j: j.name)
    if not judges:
        return False  # every sheet already has full marks for 汇报演讲: nothing to raise
    judge = rng.choice(judges)
    marks = retalked(sheets[judge, village], rng.choice((1, 2, 3)))
    body = {"marks": marks, "reason": "申诉成立，更正评分", "judge_id": judge.id}
    api.post(f"/contests/{contest}/sheets/{village.id}/corrections", body)
    sheets[judge, village] = marks
    demo.counts["corrections"] += 1
    return True
