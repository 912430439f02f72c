"""`leitai demo` against a real `leitai serve`: a town of closed months, and the same boards for the same seed."""

import os
import re
import subprocess
import sys
from contextlib import contextmanager

from .test_cli import LEITAI, free_port, request, wait_until_up

TOKEN = "demo-test-token-long-enough-24"
MONTHS = ("2023-01", "2023-02", "2023-03")


@contextmanager
def servers(*folders):
    """One `leitai serve` per data folder, started together."""
    started = []
    try:
        for folder in folders:
            env = {**os.environ, "LEITAI_DATA_DIR": str(folder), "LEITAI_BOOTSTRAP_TOKEN": TOKEN}
            env.pop("LEITAI_DATABASE_URL", None)
            port = free_port()
            process = subprocess.Popen([LEITAI, "serve", "--port", str(port)], env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            started.append((process, f"http://127.0.0.1:{port}"))
        for _, url in started:
            wait_until_up(f"{url}/healthz")
        yield [url for _, url in started]
    finally:
        for process, _ in started:
            process.terminate()
        for process, _ in started:
            process.wait(timeout=20)


def demo(*urls, seed=7):
    """Run the demo against each URL at once; the token comes from the environment."""
    env = {**os.environ, "LEITAI_BOOTSTRAP_TOKEN": TOKEN}
    runs = [subprocess.Popen([LEITAI, "demo", "--url", url, "--seed", str(seed), "--villages", "12", "--months", "3"],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for url in urls]
    printed = [run.communicate(timeout=120) for run in runs]
    for run, (out, err) in zip(runs, printed):
        assert run.returncode == 0, err[-2000:]
    return [out for out, _ in printed]


def town_of(printed: str) -> str:
    return re.search(r"town id\s+([0-9a-f-]{36})", printed).group(1)


def get(url: str, path: str):
    status, body = request(f"{url}/api/v1{path}", TOKEN)
    assert status == 200
    return body


def replay(folder, town: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "LEITAI_DATA_DIR": str(folder)}
    env.pop("LEITAI_DATABASE_URL", None)
    return subprocess.run([LEITAI, "replay", "--town", town, "--year", "2023"], env=env, capture_output=True,
                          text=True, timeout=300)


def boards(url: str, town: str) -> dict:
    """period -> {code: (composite or score, rank)} for the three months and the quarter."""
    found = {}
    for period, kind, figure in [(m, "monthly", "composite") for m in MONTHS] + [("2023-Q1", "quarterly", "score")]:
        board = get(url, f"/towns/{town}/boards/{kind}/{period}")
        assert board["status"] == "closed", (period, board["status"])
        found[period] = {row["code"]: (row[figure], row["rank"]) for rows in board["tracks"].values() for row in rows}
    return found


def event_types(url: str) -> list[str]:
    """The whole event log as its sequence of types: ids differ between two servers, the story must not."""
    types, after = [], 0
    while True:
        feed = get(url, f"/events?after={after}&limit=1000")
        if not feed["events"]:
            return types
        types += [event["type"] for event in feed["events"]]
        after = feed["next"]


def test_the_demo_loads_a_town_of_closed_months_and_the_same_seed_gives_the_same_boards(tmp_path):
    with servers(tmp_path / "one", tmp_path / "two") as (first, second):
        printed = demo(first, second)
        towns = [town_of(out) for out in printed]

        town = get(first, f"/towns/{towns[0]}")
        assert (town["name"], town["county"]) == ("大曹镇", "宁津县")
        villages = get(first, f"/villages?town_id={towns[0]}")
        assert [v["code"] for v in villages] == [f"DC{n:03d}" for n in range(1, 13)]
        registered = [v["tracks"][0]["track"] for v in villages]  # a retired village's track is None now
        assert registered.count("foundation") == 5 and "大曹村" in {v["name"] for v in villages}

        contests = get(first, f"/contests?town_id={towns[0]}")
        assert sorted((c["month"], c["tracks"][0]) for c in contests) == sorted(
            (m, t) for m in MONTHS for t in ("demonstration", "excellence", "foundation"))
        assert {c["stage"] for c in contests} == {"published"}
        assert all(len(c["commentaries"]) == 2 for c in contests)

        held = get(first, f"/interviews?town_id={towns[0]}&status=held")
        assert {i["level"] for i in held} == {"monthly", "quarterly"}
        assert get(first, f"/towns/{towns[0]}/pairings/compliance/2023-02")

        check_people_and_process(first, villages, contests)

        first_boards, second_boards = boards(first, towns[0]), boards(second, towns[1])
        retired = next(v for v in villages if v["retired_from"])
        assert all(len(rows) == (12 if period < retired["retired_from"] else 11)
                   for period, rows in first_boards.items() if period in MONTHS)
        assert first_boards == second_boards
        assert event_types(first) == event_types(second)
        for url in (f"/towns/{towns[0]}/boards/monthly/2023-03", f"/towns/{towns[0]}/assessments/2023", "/docs",
                    f"leitai replay --town {towns[0]} --year 2023"):
            assert url in printed[0]
        assert "peer judge" in printed[0] and "2 appeals" in printed[0] and "(村庄撤并)" in printed[0]

    again = replay(tmp_path / "one", towns[0])
    assert again.returncode == 0 and "一致 identical" in again.stdout, again.stdout[-2000:] + again.stderr[-2000:]


def check_people_and_process(url: str, villages: list[dict], contests: list[dict]) -> None:
    """R14: a change of secretary, a peer judge recused from their village, two appeals answered, a retired village."""
    ids = {v["id"] for v in villages}
    changed = [get(url, f"/villages/{v['id']}") for v in villages if len(v["secretaries"]) == 2]
    assert len(changed) == 1 and changed[0]["secretaries"][1]["since"][:7] in MONTHS[1:]

    recusals = {judge: village for c in contests for judge, village in c["recusals"].items() if judge in c["judges"]}
    assert len(recusals) == 1 and set(recusals.values()) <= ids
    [(judge, village)] = recusals.items()
    rows = [row for c in contests if village in c["participants"]
            for row in get(url, f"/contests/{c['id']}/results")["results"] if row["village_id"] == village]
    assert rows and all(judge not in {s["judge_id"] for s in row["sheets"]} for row in rows)
    assert not any("incomplete" in row["flags"] for row in rows)  # scored in full by the rest of the panel

    appeals = [a for c in contests for a in get(url, f"/contests/{c['id']}/appeals")]
    assert sorted(a["status"] for a in appeals) == ["rejected", "upheld"]
    upheld = next(a for a in appeals if a["status"] == "upheld")
    assert get(url, f"/contests/{upheld['contest_id']}")["revision"] >= 2

    retired = [get(url, f"/villages/{v['id']}") for v in villages if v["retired_from"]]
    assert len(retired) == 1 and retired[0]["retired_from"] in MONTHS[1:]
    later = [c for c in contests if c["month"] >= retired[0]["retired_from"]]
    assert later and all(retired[0]["id"] not in c["participants"] for c in later)


def test_the_demo_without_a_token_says_how_to_give_one():
    env = {k: v for k, v in os.environ.items() if k != "LEITAI_BOOTSTRAP_TOKEN"}
    run = subprocess.run([LEITAI, "demo", "--url", "http://127.0.0.1:9"], env=env, capture_output=True, text=True)
    assert run.returncode != 0 and "LEITAI_BOOTSTRAP_TOKEN" in run.stderr


def test_the_demo_package_is_a_client_that_loads_nothing_of_the_server():
    probe = ("import sys, demo; print(sorted({m.split('.')[0] for m in sys.modules} & "
             "{'service', 'domain', 'projections', 'workers', 'flask', 'eventsourcing'}))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd="/")
    assert loaded.stdout.strip() == "[]"
