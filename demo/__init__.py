"""`leitai demo`: a year of 大曹镇 (宁津县) loaded through the HTTP API, the same for the same seed.

Nothing here touches the store: every village, sheet and closed month goes through `/api/v1` like a
client's would, over one kept-alive connection. The randomness is drawn from `random.Random` seeded
by the seed and by what it is for (a month, a track, a purpose), so the same seed gives the same
boards whatever the server answers in between.
"""

import time

from tqdm import tqdm

from .client import PREFIX, Client, DemoError
from .steps import steps
from .town import TRACKS, YEAR, Demo, plan

__all__ = ["DemoError", "load"]


def load(url: str, token: str | None, seed: int = 2023, size: int = 45, months: int = 12,
         progress: bool = True) -> None:
    """Load the demo town through the API at `url` and print where to look; DemoError says what went wrong."""
    if not token:
        raise DemoError("no organizer token: pass --token or set LEITAI_BOOTSTRAP_TOKEN")
    if size < 3:
        raise DemoError("give at least 3 villages, one for each track")
    if not 1 <= months <= 12:
        raise DemoError("give between 1 and 12 months")
    api, demo = Client(url, token), plan(seed, size, months)
    check_server(api)
    started = time.monotonic()
    todo = steps(demo, api)
    with tqdm(todo, desc="大曹镇", unit="步", disable=not progress, dynamic_ncols=True) as bar:
        for label, step in bar:
            bar.set_postfix_str(label, refresh=False)
            step()
    api.close()
    report(demo, api, url.rstrip("/"), time.monotonic() - started)


def check_server(api: Client) -> None:
    status, _ = api.send("GET", "/healthz", None, None)
    if status != 200:
        raise DemoError(f"{api.url}/healthz answered {status}: is this a Leitai server?")
    status, _ = api.send("GET", f"{PREFIX}/towns", None, api.token)
    if status == 401:
        raise DemoError("the server does not accept this token: give an organizer's token with --token")


def report(demo: Demo, api: Client, url: str, seconds: float) -> None:
    last, town = demo.months[-1], demo.town_id
    sizes = "/".join(str(len(demo.of_track(t))) for t in TRACKS)
    counts = demo.counts
    print(f"\n大曹镇 (宁津县) loaded in {seconds:.1f} s, {api.requests} requests, seed {demo.seed}:")
    print(f"  {len(demo.villages)} villages ({sizes} 示范村/创优村/强基村), {len(demo.judges)} judges, "
          f"{len(demo.months)} months closed ({demo.months[0]}..{last})")
    print(f"  {counts['contests']} contests, {counts['sheets']} sheets, {counts['corrections']} corrections, "
          f"{counts['absences']} absences, {counts['interviews']} interviews scheduled")
    if demo.pairings is None:
        print("  pairings skipped: this server has no POST /pairings yet")
    else:
        print(f"  {len(demo.pairings)} pairings, {counts['exchanges']} exchanges")
    for line in people_lines(demo):
        print(f"  {line}")
    print(f"\n  town id            {town}")
    print(f"  monthly board      {url}{PREFIX}/towns/{town}/boards/monthly/{last}")
    print(f"  annual assessment  {url}{PREFIX}/towns/{town}/assessments/{YEAR}")
    print(f"  API docs           {url}/docs")
    print(f"  auditor token      {demo.auditor_token}")
    print(f"  replay             leitai replay --town {town} --year {YEAR}")


def people_lines(demo: Demo) -> list[str]:
    """What R14 brought to the year: the peer judge, the new secretary, the retired village, the appeals."""
    peer = next(j for j in demo.judges if j.village)
    change, retired = demo.change, demo.retired
    outcomes = "; ".join(f"{village.name} {outcome}" for village, outcome in demo.appeals)
    return [f"peer judge {peer.name}, recused from {peer.village.name}",
            f"secretary of {change.village.name}: {change.old} → {change.new} from {change.since}",
            f"{retired.name} ({retired.code}) retired from {retired.retired_from} (村庄撤并)" if retired
            else "no village retired (one month only, or none free to retire)",
            f"{len(demo.appeals)} appeals in {demo.appeal_month}: {outcomes}"]
