"""Group commit: saves asked for by several threads during a commit share the next one, each with its own outcome."""

import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

from eventsourcing.persistence import IntegrityError

from domain.followup import FollowUp
from service.together import Together


def issued(leitai, count: int) -> list[FollowUp]:
    followups = [FollowUp(key=f"together:{uuid.uuid4()}", town_id=uuid.uuid4(), kind="sheets_pending", recipient="评委",
                          subject="待评分提醒", body="您还有评分表未提交。", about_id=None, by=uuid.uuid4())
                 for _ in range(count)]
    leitai.save(*followups)
    return followups


def claimed(leitai, followup: FollowUp, name: str) -> FollowUp:
    copy = leitai.load(FollowUp, followup.id)
    at = datetime.now(timezone.utc)
    copy.claim(name, at, at + timedelta(seconds=30), uuid.uuid4())
    return copy


class Counting:
    """The application, counting its saves and how many aggregates each one holds."""

    def __init__(self, leitai, commits: list):
        self.leitai, self.commits = leitai, commits

    def save(self, *aggregates):
        self.commits.append(len(aggregates))
        return self.leitai.save(*aggregates)


def saved_at_once(together: Together, aggregates: list) -> dict:
    """Each aggregate saved by its own thread, all of them asked for while a commit holds the way."""
    outcomes = {}

    def save(name, aggregate):
        try:
            together.save(aggregate)
            outcomes[name] = "saved"
        except IntegrityError:
            outcomes[name] = "refused"

    threads = [threading.Thread(target=save, args=(n, a)) for n, a in enumerate(aggregates)]
    with together.committing:
        for number, thread in enumerate(threads, 1):
            thread.start()
            while len(together.asked) < number:  # in this order
                time.sleep(0.001)
    for thread in threads:
        thread.join(10)
    return outcomes


def test_claims_asked_for_during_a_commit_are_saved_in_one_transaction(leitai):
    followups = issued(leitai, 4)
    commits = []
    together = Together(Counting(leitai, commits))
    outcomes = saved_at_once(together, [claimed(leitai, f, f"w{n}") for n, f in enumerate(followups)])
    assert outcomes == {0: "saved", 1: "saved", 2: "saved", 3: "saved"} and commits == [4]
    assert all(leitai.load(FollowUp, f.id).claimant is not None for f in followups)


def test_a_clash_in_a_shared_commit_refuses_only_the_clashing_claim(leitai):
    contested, other = issued(leitai, 2)
    first, second, third = claimed(leitai, contested, "a"), claimed(leitai, contested, "b"), claimed(leitai, other, "c")
    outcomes = saved_at_once(Together(leitai), [first, second, third])
    assert outcomes == {0: "saved", 1: "refused", 2: "saved"}
    assert (leitai.load(FollowUp, contested.id).claimant, leitai.load(FollowUp, other.id).claimant) == ("a", "c")
