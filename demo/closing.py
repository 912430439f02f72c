"""Closing a month, and what follows it: pairings, their exchanges, interviews."""

from tqdm import tqdm

from .client import PREFIX, Client, DemoError
from .town import EXCHANGE_TOPICS, TRACKS, YEAR, Demo, Village


def close_month(demo: Demo, api: Client, index: int, month: str) -> None:
    board = api.post(f"/towns/{demo.town_id}/months/{month}/close")
    if index == 0 and len(demo.months) > 1:
        form_pairings(demo, api, board, demo.months[1])
        open_secretaries(demo, api)
        hold_interviews(demo, api, "monthly", month, demo.months[1], 2)
    if month.endswith("-03"):
        hold_interviews(demo, api, "quarterly", f"{YEAR}-Q1", f"{YEAR}-04", 1)


def form_pairings(demo: Demo, api: Client, board: dict, from_month: str) -> None:
    """先进村带后进村: the bottom villages of each track with the top ones of the first month."""
    for track in TRACKS:
        rows = board["tracks"].get(track, [])
        count = min(3, len(rows) // 2)
        for advanced, lagging in zip(rows[:count], reversed(rows[-count:] if count else [])):
            body = {"advanced_village_id": advanced["village_id"], "lagging_village_id": lagging["village_id"],
                    "from_month": from_month}
            status, data = api.send("POST", f"{PREFIX}/pairings", body, api.token)
            if status in (404, 405) and not demo.pairings:
                demo.pairings = None
                tqdm.write(f"POST /pairings answered {status}: this server has no pairings yet, so they are skipped")
                return
            if status != 201:
                raise DemoError(f"POST /pairings answered {status}: {data}")
            demo.pairings.append({"id": data["id"], "advanced": advanced["village_id"],
                                  "lagging": lagging["village_id"]})


def open_secretaries(demo: Demo, api: Client) -> None:
    """Secretaries of a couple of villages: the first pairing's two, who then record their own exchanges."""
    first = demo.pairings[0] if demo.pairings else None
    ids = [first["advanced"], first["lagging"]] if first else [v.id for v in demo.villages[:2]]
    for village_id in ids:
        open_secretary(demo, api, demo.by_id(village_id))


def open_secretary(demo: Demo, api: Client, village: Village) -> None:
    """Named exactly as the secretary in office: that is how their notices find this account."""
    account = api.post("/accounts", {"name": village.secretary, "role": "secretary", "village_id": village.id})
    demo.secretaries[village.id] = account["token"]


def record_exchanges(demo: Demo, api: Client, month: str) -> None:
    """R12 asks for 2 offline exchanges a month; most pairs manage it, some fall short."""
    for pairing in demo.pairings or []:
        advanced, lagging = demo.by_id(pairing["advanced"]), demo.by_id(pairing["lagging"])
        rng = demo.rng(month, advanced.code, lagging.code, "exchanges")
        offline = rng.choices((0, 1, 2, 3), weights=(1, 2, 5, 3))[0]
        modes = ["offline"] * offline + (["online"] if rng.random() < 0.3 else [])
        days = sorted(rng.sample(range(1, 29), len(modes)))
        token = demo.secretaries.get(lagging.id) or demo.secretaries.get(advanced.id)
        for day, mode in zip(days, modes):
            summary = (f"{lagging.name}到{advanced.name}{'实地' if mode == 'offline' else '视频'}交流"
                       f"{rng.choice(EXCHANGE_TOPICS)}")
            api.post(f"/pairings/{pairing['id']}/exchanges", {"date": f"{month}-{day:02d}", "mode": mode,
                                                             "summary": summary}, token=token)
            demo.counts["exchanges"] += 1


def hold_interviews(demo: Demo, api: Client, level: str, period: str, next_month: str, count: int) -> None:
    """约谈: schedule the first few interviews a closed period requires and hold the first."""
    required = api.get(f"/interviews?town_id={demo.town_id}&level={level}&status=required")
    codes = {v.id: v.code for v in demo.villages}
    chosen = sorted((i for i in required if i["period"] == period),
                    key=lambda i: (i["score"], codes[i["village_id"]]))[:count]
    for n, interview in enumerate(chosen):
        api.post(f"/interviews/{interview['id']}/schedule", {"at": f"{next_month}-0{5 + n}T09:30:00+08:00"})
        demo.counts["interviews"] += 1
        if n == 0:
            minutes = (f"{interview['conductor']}约谈{interview['secretary']}：指出{period}排名靠后的原因，"
                       "明确整改措施和完成时限，下月跟踪问效。")
            api.post(f"/interviews/{interview['id']}/hold",
                     {"held_at": f"{next_month}-05T10:30:00+08:00", "minutes": minutes})
