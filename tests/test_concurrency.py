"""Writes that race: judges at the same moment, publication against a late sheet, repeated keys."""

import threading
from concurrent.futures import ThreadPoolExecutor

from .helpers import Api, advance_to, build_judges, build_town, marks_for, schedule


def submit_all(flask_app, cid, jobs):
    """Each job (token, village) is one PUT, sent from 30 threads at once."""
    barrier = threading.Barrier(min(30, len(jobs)))

    def one(job):
        token, village = job
        client = Api(flask_app.test_client(), token)
        barrier.wait()
        return client.put(f"/contests/{cid}/sheets/{village}", {"marks": marks_for(70)}).status_code

    with ThreadPoolExecutor(max_workers=30) as pool:
        return list(pool.map(one, jobs))


def test_thirty_judges_submitting_at_once_are_all_recorded_once(api, flask_app, leitai):
    town = build_town(api, per_track=(10, 0, 0))
    judges = build_judges(api, 3)
    contest = schedule(api, town["town"], judges, tracks=["demonstration"])
    advance_to(api, contest["id"], "evaluation")
    jobs = [(j["token"], v) for j in judges for v in town["villages"].values()]
    assert len(jobs) == 30

    assert submit_all(flask_app, contest["id"], jobs) == [201] * 30

    recorded = [e for e in api.ok("GET", f"/history/{contest['id']}") if e["type"] == "Contest.SheetRecorded"]
    assert sorted((e["data"]["judge_id"], e["data"]["village_id"]) for e in recorded) == \
        sorted((j["id"], v) for j in judges for v in town["villages"].values())


def test_no_sheet_is_accepted_after_publication_even_when_racing(api, flask_app):
    town = build_town(api, per_track=(4, 0, 0))
    # The first judge scores D1 before the race, so publication never waits on it (R13: every participant
    # scored or absent); the other five race their late sheets against the publication.
    first, *judges = build_judges(api, 6)
    for month in ("2023-01", "2023-02", "2023-03"):
        contest = schedule(api, town["town"], [first, *judges], month=month, tracks=["demonstration"],
                           participants=[town["villages"]["D1"]])
        cid = contest["id"]
        advance_to(api, cid, "evaluation")
        api.ok("PUT", f"/contests/{cid}/sheets/{town['villages']['D1']}", {"marks": marks_for(80)}, 201,
               token=first["token"])
        barrier = threading.Barrier(len(judges) + 1)

        def late_sheet(judge):
            barrier.wait()
            return Api(flask_app.test_client(), judge["token"]).put(
                f"/contests/{cid}/sheets/{town['villages']['D1']}", {"marks": marks_for(80)}).status_code

        def publish():
            barrier.wait()
            return api.post(f"/contests/{cid}/publish").status_code

        with ThreadPoolExecutor(max_workers=len(judges) + 1) as pool:
            sheets = [pool.submit(late_sheet, j) for j in judges]
            assert pool.submit(publish).result() == 200
            statuses = [f.result() for f in sheets]
        assert set(statuses) <= {201, 409}
        types = [e["type"] for e in api.ok("GET", f"/history/{cid}")]
        published_at = types.index("Contest.Published")
        assert "Contest.SheetRecorded" not in types[published_at:]
        accepted = statuses.count(201)
        results = api.ok("GET", f"/contests/{cid}/results")["results"]
        assert len(next(r for r in results if r["village_id"] == town["villages"]["D1"])["sheets"]) == 1 + accepted


def test_a_write_repeated_with_the_same_idempotency_key_records_once(api):
    key = {"Idempotency-Key": "town-create-1"}
    first = api.call("POST", "/towns", {"name": "大曹镇"}, headers=key)
    before = api.position()
    again = api.call("POST", "/towns", {"name": "大曹镇"}, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.body == first.body
    assert api.position() == before
    assert len(api.ok("GET", "/towns")) == 1
    other = api.call("POST", "/towns", {"name": "另一个镇"}, headers=key)
    assert other.status_code == 409 and other.body["code"] == 409
    assert api.position() == before


def test_an_idempotency_key_is_kept_per_account(api):
    judge = build_judges(api, 1)[0]
    key = {"Idempotency-Key": "same-key"}
    api.ok("POST", "/towns", {"name": "甲镇"}, 201, headers=key)
    refused = api.call("POST", "/towns", {"name": "甲镇"}, headers=key, token=judge["token"])
    assert refused.status_code == 403


def test_two_nodes_scoring_one_contest_in_turn_lose_no_sheet(api, flask_app, settings):
    """Each node scores from the contest it last saved itself (no query for newer events); the other
    node's sheet in between makes its save clash, nothing is recorded, and the retry reads the store."""
    from service.app import create_app

    town = build_town(api, per_track=(6, 0, 0))
    judges = build_judges(api, 2)
    contest = schedule(api, town["town"], judges, tracks=["demonstration"])
    advance_to(api, contest["id"], "evaluation")
    other = create_app(settings)
    try:
        nodes = [flask_app, other]
        for n, village in enumerate(town["villages"].values()):
            for judge in judges:
                client = Api(nodes[n % 2].test_client(), judge["token"])
                assert client.put(f"/contests/{contest['id']}/sheets/{village}", {"marks": marks_for(70)}).status_code == 201
        Api(other.test_client(), api.token).ok("POST", f"/contests/{contest['id']}/publish")
    finally:
        other.extensions["leitai"].projector.store.close()
        other.extensions["leitai"].close()
    recorded = [e for e in api.ok("GET", f"/history/{contest['id']}") if e["type"] == "Contest.SheetRecorded"]
    assert len(recorded) == 12
    results = api.ok("GET", f"/contests/{contest['id']}/results")["results"]
    assert sorted(len(r["sheets"]) for r in results) == [2] * 6
