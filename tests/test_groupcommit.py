"""Group commit: saves asked for by several threads during a commit share the next one, each with its own outcome."""

import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

from eventsourcing.persistence import IntegrityError

from domain.followup import FollowUp
from service.groupcommit import GroupCommit


def issued(leitai, count: int) -> list[FollowUp]:
    followups = [FollowUp(key=f"group:{uuid.uuid4()}", town_id=uuid.uuid4(), kind="sheets_pending", recipient="评委",
                          subject="待评分提醒", body="您还有评分表未提交。", about_id=None, by=uuid.uuid4())
                 for _ in range(count)]
    leitai.save(*followups)
    return followups


def claimed(leitai, followup: FollowUp, name: str) -> FollowUp:
    copy = leitai.load(FollowUp, followup.id)
    at = datetime.now(timezone.utc)
    copy.claim(name, at, at + timedelta(seconds=30), uuid.uuid4())
    return copy


def saved_at_once(group: GroupCommit, aggregates: list) -> dict:
    """Each aggregate saved by a thread of its own, all of them asked for, in order, while a commit holds the way."""
    outcomes = {}

    def save(name, aggregate):
        try:
            group.save([aggregate])
            outcomes[name] = "saved"
        except IntegrityError:
            outcomes[name] = "refused"

    threads = [threading.Thread(target=save, args=(n, a)) for n, a in enumerate(aggregates)]
    with group.committing:
        for number, thread in enumerate(threads, 1):
            thread.start()
            while len(group.asked) < number:
                time.sleep(0.001)
    for thread in threads:
        thread.join(10)
    return outcomes


def counted(leitai, transactions: list):
    def record(aggregates):
        transactions.append(len(aggregates))
        return leitai.record(aggregates)
    return record


def test_saves_asked_for_during_a_commit_are_one_transaction(leitai):
    followups = issued(leitai, 4)
    transactions = []
    outcomes = saved_at_once(GroupCommit(counted(leitai, transactions)),
                             [claimed(leitai, f, f"w{n}") for n, f in enumerate(followups)])
    assert outcomes == {0: "saved", 1: "saved", 2: "saved", 3: "saved"} and transactions == [4]
    assert [leitai.load(FollowUp, f.id).claimant for f in followups] == ["w0", "w1", "w2", "w3"]


def test_a_clash_in_a_shared_commit_refuses_only_the_clashing_save(leitai):
    contested, other = issued(leitai, 2)
    transactions = []
    first, second, third = claimed(leitai, contested, "a"), claimed(leitai, contested, "b"), claimed(leitai, other, "c")
    outcomes = saved_at_once(GroupCommit(counted(leitai, transactions)), [first, second, third])
    assert outcomes == {0: "saved", 1: "refused", 2: "saved"}
    assert transactions == [3, 1, 1, 1]  # the shared one refused, then each alone
    assert (leitai.load(FollowUp, contested.id).claimant, leitai.load(FollowUp, other.id).claimant) == ("a", "c")
    assert [e.originator_version for e in leitai.events.get(contested.id)] == [1, 2]


def test_the_application_saves_through_its_group_commit(leitai):
    followup = issued(leitai, 1)[0]
    transactions = []
    leitai.group.record = counted(leitai, transactions)
    leitai.save(claimed(leitai, followup, "alone"))
    assert transactions == [1] and leitai.load(FollowUp, followup.id).claimant == "alone"
