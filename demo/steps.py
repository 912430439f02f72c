"""The steps, each one or a few requests: the town, its villages and judges, then month by month."""

import random
from collections.abc import Callable

from .client import Client
from .closing import close_month, record_exchanges
from .people import change_secretary, hear_appeals, retire_village
from .town import (ADVICE, CORRECTION_REASONS, CRITERIA, DUTY_ITEMS, EXCUSED_REASONS, FORMS, PRAISE, TOPICS, TRACKS,
                   UNEXCUSED_REASONS, VENUES, Demo, Village, clamp, halves, retalked)


def steps(demo: Demo, api: Client) -> list[tuple[str, Callable[[], None]]]:
    setup = [("乡镇 town", lambda: create_town(demo, api))]
    setup += [(f"村 {v.code}", lambda v=v: register(demo, api, v)) for v in demo.villages]
    setup += [("评委 judges", lambda: open_judges(demo, api)), ("审计 auditor", lambda: open_auditor(demo, api))]
    for index, month in enumerate(demo.months):
        setup += people_steps(demo, api, month)
        setup += [(f"{month} 职责清单 {v.code}", lambda i=index, m=month, v=v: record_duty(demo, api, i, m, v))
                  for v in demo.villages]
        setup += [(f"{month} 擂台 {track}", lambda i=index, m=month, t=track: run_contest(demo, api, i, m, t))
                  for track in TRACKS]
        if month == demo.appeal_month:
            setup.append((f"{month} 申诉", lambda m=month: hear_appeals(demo, api, m)))
        setup += [(f"{month} 结对交流", lambda m=month: record_exchanges(demo, api, m)),
                  (f"{month} 月度关账", lambda i=index, m=month: close_month(demo, api, i, m))]
    return setup


def people_steps(demo: Demo, api: Client, month: str) -> list[tuple[str, Callable[[], None]]]:
    """What changes before a month's duty lists: closed months are read-only, so it goes in while this one is open."""
    found = []
    if demo.change and demo.change.since.startswith(month):
        found.append((f"{month} 书记调整", lambda: change_secretary(demo, api)))
    if month == demo.retire_month:
        found.append((f"{month} 村庄撤并", lambda: retire_village(demo, api, month)))
    return found


def create_town(demo: Demo, api: Client) -> None:
    demo.town_id = api.post("/towns", {"name": "大曹镇", "county": "宁津县"})["id"]


def register(demo: Demo, api: Client, village: Village) -> None:
    body = {"town_id": demo.town_id, "code": village.code, "name": village.name, "track": village.track,
            "secretary": {"name": village.secretary}}
    village.id = api.post("/villages", body)["id"]


def open_judges(demo: Demo, api: Client) -> None:
    for judge in demo.judges:
        body = {"name": f"评委 {judge.name}", "role": "judge"}
        if judge.village:
            body["village_id"] = judge.village.id
        account = api.post("/accounts", body)
        judge.id, judge.token = account["id"], account["token"]


def open_auditor(demo: Demo, api: Client) -> None:
    demo.auditor_token = api.post("/accounts", {"name": "审计 县委组织部督查组", "role": "auditor"})["token"]


def wobble(demo: Demo, month: str) -> dict[str, float]:
    """How each village's month goes against its trend, drawn once per month."""
    rng = demo.rng(month, "wobble")
    return {v.code: rng.gauss(0, 0.025) for v in demo.villages}


def record_duty(demo: Demo, api: Client, index: int, month: str, village: Village) -> None:
    if not village.takes_part(month):
        return  # a retired village owes no duty list
    rng = demo.rng(month, village.code, "duty")
    quality = village.quality(index, wobble(demo, month)[village.code])
    items = [{"item": item, "score": halves(top * clamp(quality + rng.gauss(0, 0.05), 0.3, 1.0)), "max": top}
             for item, top in DUTY_ITEMS]
    api.put(f"/villages/{village.id}/duty/{month}", {"items": items})


# A contest: 现场观摩—汇报演讲—书记点评—集中评比, then published.

def run_contest(demo: Demo, api: Client, index: int, month: str, track: str) -> None:
    rng = demo.rng(month, track, "contest")
    theme, domain = TOPICS[index % len(TOPICS)]
    form = rng.choice(FORMS[domain])
    body = {"town_id": demo.town_id, "month": month, "theme": theme, "domain": domain, "form": form,
            "venue": rng.choice(VENUES[form]), "tracks": [track], "judges": [j.id for j in demo.judges],
            "criteria": CRITERIA}
    contest = api.post("/contests", body)["id"]
    demo.counts["contests"] += 1
    villages = demo.of_track(track, month)
    absent = record_absence(demo, api, rng, contest, villages)
    present = [v for v in villages if v is not absent]
    for _ in ("observation", "presentation", "commentary"):
        api.post(f"/contests/{contest}/advance")
    comment(api, rng, contest, theme, present)
    api.post(f"/contests/{contest}/advance")
    sheets = mark(demo, rng, index, month, present)
    submit(demo, api, rng, contest, sheets)
    correct(demo, api, rng, contest, sheets)
    api.post(f"/contests/{contest}/publish")
    demo.held.setdefault(month, []).append((contest, sheets))


def record_absence(demo: Demo, api: Client, rng: random.Random, contest: str, villages: list[Village]):
    if len(villages) < 3 or rng.random() >= 0.25:
        return None
    village, excused = rng.choice(villages), rng.random() < 0.6
    reason = rng.choice(EXCUSED_REASONS if excused else UNEXCUSED_REASONS)
    api.post(f"/contests/{contest}/absences", {"village_id": village.id, "excused": excused, "reason": reason})
    demo.counts["absences"] += 1
    return village


def comment(api: Client, rng: random.Random, contest: str, theme: str, villages: list[Village]) -> None:
    for village in rng.sample(villages, min(2, len(villages))):
        text = f"书记点评：{village.name}{theme}工作{rng.choice(PRAISE)}，{rng.choice(ADVICE)}。"
        api.post(f"/contests/{contest}/commentaries", {"village_id": village.id, "text": text})


def mark(demo: Demo, rng: random.Random, index: int, month: str, villages: list[Village]) -> dict:
    """(judge, village) -> marks: the village's quality that day, through each judge's tendency."""
    wobbles, sheets = wobble(demo, month), {}
    for village in villages:
        day = village.quality(index, wobbles[village.code]) + rng.gauss(0, 0.04)
        for judge in demo.judges:
            if judge.village is village:
                continue  # recused (回避): the rest of the panel scores their village
            level = day + (judge.offset + rng.gauss(0, judge.spread)) / 100
            sheets[judge, village] = {c["key"]: halves(c["max"] * clamp(level + rng.gauss(0, 0.03), 0.2, 1.0))
                                      for c in CRITERIA}
    return sheets


def submit(demo: Demo, api: Client, rng: random.Random, contest: str, sheets: dict) -> None:
    """One judge enters a few sheets on their own tablet; the paper sheets go in as one batch."""
    judge = rng.choice(demo.judges)
    own = [(judge, v) for j, v in sheets if j is judge][:3]
    for key in own:
        api.put(f"/contests/{contest}/sheets/{key[1].id}", {"marks": sheets[key]}, token=judge.token)
    batch = [{"judge_id": j.id, "village_id": v.id, "marks": marks}
             for (j, v), marks in sheets.items() if (j, v) not in own]
    if batch:
        api.post(f"/contests/{contest}/sheets/batch", {"sheets": batch})
    demo.counts["sheets"] += len(sheets)


def correct(demo: Demo, api: Client, rng: random.Random, contest: str, sheets: dict) -> None:
    """Now and then a judge corrects one of their sheets before publication (R8), with a reason."""
    if not sheets or rng.random() >= 0.35:
        return
    judge, village = rng.choice(sorted(sheets, key=lambda key: (key[1].code, key[0].name)))
    marks = retalked(sheets[judge, village], rng.choice((-3, -2, -1, 1, 2, 3)))
    body = {"marks": marks, "reason": rng.choice(CORRECTION_REASONS)}
    api.post(f"/contests/{contest}/sheets/{village.id}/corrections", body, token=judge.token)
    sheets[judge, village] = marks
    demo.counts["corrections"] += 1
