"""Read models are kept with tracking and can be rebuilt from position 0 with the same answer."""

from .helpers import advance_to, build_judges, build_town, marks_for, schedule


def published_contest(api):
    town = build_town(api)
    judges = build_judges(api, 5)
    contest = schedule(api, town["town"], judges)
    advance_to(api, contest["id"], "evaluation")
    for n, village in enumerate(town["villages"].values()):
        for k, judge in enumerate(judges):
            api.ok("PUT", f"/contests/{contest['id']}/sheets/{village}", {"marks": marks_for(50 + n + k * 0.5)}, 201,
                   token=judge["token"])
    api.ok("POST", f"/contests/{contest['id']}/publish")
    return contest["id"]


def test_emptying_the_results_read_model_and_rebuilding_it_gives_identical_results(api, leitai):
    cid = published_contest(api)
    live = api.ok("GET", f"/contests/{cid}/results")
    store = leitai.projector.store
    with store.transaction() as cursor:
        cursor.execute("DELETE FROM contest_results")
        cursor.execute("DELETE FROM contests")
    leitai.projector.rebuild("contest_results")
    assert api.ok("GET", f"/contests/{cid}/results") == live
    assert leitai.projector.position("contest_results") > 0


def test_an_event_already_tracked_is_not_applied_twice(api, leitai):
    cid = published_contest(api)
    live = api.ok("GET", f"/contests/{cid}/results")
    projector = leitai.projector
    position = projector.position("contest_results")
    projector.catch_up("contest_results")
    projector.catch_up("contest_results")
    assert projector.position("contest_results") == position
    assert api.ok("GET", f"/contests/{cid}/results") == live


def test_a_new_account_can_use_its_token_at_once(api):
    judge = build_judges(api, 1)[0]
    assert api.ok("GET", "/towns", token=judge["token"]) == []
