"""`leitai replay` rebuilds the annual assessment from the log: identical to the live one, as of a moment, what if."""

import json
import os
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from .helpers import build_judges, build_town
from .periods import run_month, set_duty

LEITAI = str(Path(sys.executable).with_name("leitai"))
FIGURES = {"D1": (90, 80), "D2": (80, 90), "D3": (70, 70)}


def leitai(settings, *args):
    env = {**os.environ, "LEITAI_DATA_DIR": str(settings.data_dir)}
    env.pop("LEITAI_DATABASE_URL", None)
    if settings.database_url:
        env["LEITAI_DATABASE_URL"] = settings.database_url
    return subprocess.run([LEITAI, *args], env=env, capture_output=True, text=True, timeout=120)


def replay(settings, town_id, *options):
    done = leitai(settings, "replay", "--town", town_id, "--year", "2023", "--json", *options)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def scores(assessment, code_of):
    return {code_of[r["village_id"]]: (str(r["score"]), r["rank"], r["grade"])
            for rows in assessment["tracks"].values() for r in rows}


def test_replay_matches_the_live_assessment_reproduces_an_earlier_one_and_shows_what_if(api, settings, leitai):
    town = build_town(api, per_track=(3, 0, 0))
    judges = build_judges(api, 3)
    tid, code_of = town["town"], {v: c for c, v in town["villages"].items()}
    for month in ("2023-11", "2023-12"):
        run_month(api, town, judges, month, FIGURES)
        api.ok("POST", f"/towns/{tid}/months/{month}/close")
    before = api.ok("GET", f"/towns/{tid}/assessments/2023")
    # D1: 0.7×90 + 0.3×80 = 87.00 both months; D2: 56 + 27 = 83.00; D3: 70.00.
    # Three villages: one 优秀, and at most one 较差 (R11 takes the bottom as R5 does: ⌊3/2⌋ = 1).
    assert scores(before, code_of) == {"D1": ("87.00", 1, "excellent"), "D2": ("83.00", 2, "good"),
                                       "D3": ("70.00", 3, "poor")}
    time.sleep(0.05)
    moment = datetime.now(timezone.utc)
    time.sleep(0.05)

    api.ok("POST", f"/towns/{tid}/months/2023-12/reopen", {"reason": "D1职责清单核减"})
    set_duty(api, town["villages"]["D1"], "2023-12", 60)
    api.ok("POST", f"/towns/{tid}/months/2023-12/close")
    after = api.ok("GET", f"/towns/{tid}/assessments/2023")
    # D1 in December: 0.7×60 + 24 = 66.00, so its year is (87 + 66) / 2 = 76.50 and D2 leads.
    assert scores(after, code_of) == {"D2": ("83.00", 1, "excellent"), "D1": ("76.50", 2, "good"),
                                      "D3": ("70.00", 3, "poor")}

    status, plain = replay(settings, tid)
    assert status == 0 and plain["identical"] is True
    assert scores(plain["replayed"], code_of) == scores(after, code_of)

    status, earlier = replay(settings, tid, "--as-of", moment.isoformat())
    assert status == 0 and scores(earlier["replayed"], code_of) == scores(before, code_of)

    api.ok("PUT", f"/towns/{tid}/rulebook", {"effective_from": "2024-01", "weights": {"duty": 0.5, "contest": 0.5}})
    status, what_if = replay(settings, tid, "--rulebook", "2")
    # Under 0.5/0.5: D1 (85 + 70) / 2 = 77.50; D2 85.00; D3 70.00.
    assert status == 0 and what_if["replayed"]["rulebook_version"] == 2
    assert scores(what_if["replayed"], code_of) == {"D2": ("85.00", 1, "excellent"), "D1": ("77.50", 2, "good"),
                                                    "D3": ("70.00", 3, "poor")}

    with leitai.projector.store.transaction() as cursor:
        cursor.execute("UPDATE standings SET board = REPLACE(board, '76.50', '99.00') WHERE period = '2023'")
    status, tampered = replay(settings, tid)
    assert status == 1 and tampered["identical"] is False


def test_replay_prints_the_assessment_with_chinese_labels(api, settings):
    town = build_town(api, per_track=(3, 0, 0))
    judges = build_judges(api, 3)
    run_month(api, town, judges, "2023-12", FIGURES)
    api.ok("POST", f"/towns/{town['town']}/months/2023-12/close")
    done = leitai(settings, "replay", "--town", town["town"], "--year", "2023")
    assert done.returncode == 0, done.stderr
    assert "示范村" in done.stdout and "优秀" in done.stdout and "一致 identical" in done.stdout
    assert "重放事件" in done.stderr


def test_every_read_model_rebuilt_from_position_0_equals_the_live_one(api, settings):
    town = build_town(api, per_track=(3, 2, 0))
    judges = build_judges(api, 3)
    tid = town["town"]
    for month in ("2023-01", "2023-02", "2023-03"):
        run_month(api, town, judges, month, {**FIGURES, "E1": (60, 60), "E2": (65, 55)})
        api.ok("POST", f"/towns/{tid}/months/{month}/close")
    views = [f"/towns/{tid}/boards/monthly/2023-02", f"/towns/{tid}/boards/quarterly/2023-Q1",
             f"/towns/{tid}/assessments/2023", f"/interviews?town_id={tid}", f"/sharings?town_id={tid}",
             f"/villages?town_id={tid}", "/towns"]
    contests = [c["id"] for c in api.ok("GET", f"/contests?town_id={tid}")]
    views += [f"/contests/{c}/results" for c in contests]
    live = [api.ok("GET", path) for path in views]
    done = leitai(settings, "projections", "rebuild")
    assert done.returncode == 0, done.stderr
    assert "rebuilt contest_results" in done.stdout
    assert [api.ok("GET", path) for path in views] == live


def test_a_duty_list_revised_again_and_again_replays_as_its_last_revision(api, settings):
    town = build_town(api, per_track=(3, 0, 0))
    judges = build_judges(api, 3)
    tid, code_of = town["town"], {v: c for c, v in town["villages"].items()}
    run_month(api, town, judges, "2023-12", FIGURES)
    for score in (50, 95, 40, 60):  # revisions 2-5; a replay decodes only the last, which overwrites the others
        set_duty(api, town["villages"]["D1"], "2023-12", score)
    api.ok("POST", f"/towns/{tid}/months/2023-12/close")
    status, plain = replay(settings, tid)
    assert status == 0 and plain["identical"] is True
    # D1: 0.7×60 + 0.3×80 = 66.00
    assert scores(plain["replayed"], code_of)["D1"] == ("66.00", 3, "poor")
