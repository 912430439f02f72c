"""`domain.creation.created`: the aggregates a close creates by the thousand, built directly, are the ones their
constructors build, down to the stored event."""

from dataclasses import replace
from datetime import datetime, timezone
from decimal import Decimal
from uuid import uuid4

import pytest
from eventsourcing.application import Application

from domain.consequences import Interview, Sharing, interview_id, sharing_id
from domain.creation import created
from domain.followup import FollowUp, followup_id

TOWN, ORGANISER = uuid4(), uuid4()
AT = datetime(2023, 6, 1, 8, 0, tzinfo=timezone.utc)
INTERVIEW = {"town_id": TOWN, "level": "monthly", "period": "2023-05", "village_id": "v-c", "secretary": "王建国",
             "track": "foundation", "rank": 9, "score": Decimal("61.40"), "by": ORGANISER}
SHARING = {"town_id": TOWN, "period": "2023-05", "village_id": "v-a", "reason": "improved", "by": ORGANISER}
NOTICE = {"key": "sharing_invited:x:v1", "town_id": TOWN, "kind": "sharing_invited", "recipient": "李书记（甲村）",
          "subject": "2023-05经验分享邀请", "body": "请分享工作经验。", "about_id": uuid4(), "by": ORGANISER,
          "account_id": None}
CASES = [(Interview, Interview.Required, interview_id(TOWN, "monthly", "2023-05", "v-c"), INTERVIEW),
         (Sharing, Sharing.Invited, sharing_id(TOWN, "2023-05", "v-a"), SHARING),
         (FollowUp, FollowUp.Issued, followup_id(NOTICE["key"]), NOTICE)]


def state(aggregate) -> dict:
    return {k: v for k, v in vars(aggregate).items() if k not in ("_created_on", "_modified_on", "_pending_events")}


@pytest.mark.parametrize("cls, event_class, aggregate_id, arguments", CASES)
def test_a_created_aggregate_stores_the_event_its_constructor_would(cls, event_class, aggregate_id, arguments):
    mapper = Application().mapper
    built, direct = cls(**arguments), created(cls, event_class, aggregate_id, **arguments)
    ours, theirs = (replace(a.pending_events[0], timestamp=AT) for a in (direct, built))
    assert type(ours) is type(theirs)
    assert mapper.to_stored_event(ours) == mapper.to_stored_event(theirs)
    assert state(direct) == state(built) and list(vars(direct)) == list(vars(built))
    assert direct.version == 1 and direct.created_on == direct.modified_on == direct.pending_events[0].timestamp


@pytest.mark.parametrize("cls, event_class, aggregate_id, arguments", CASES)
def test_a_created_event_has_its_constructor_s_fields_in_its_constructor_s_order(cls, event_class, aggregate_id,
                                                                                 arguments):
    direct = created(cls, event_class, aggregate_id, **dict(reversed(arguments.items()))).pending_events[0]
    built = event_class(originator_id=aggregate_id, originator_version=1, timestamp=direct.timestamp,
                        originator_topic=direct.originator_topic, **arguments)
    assert list(vars(direct).items()) == list(vars(built).items())
    assert direct == built and hash(direct) == hash(built)


def test_a_created_event_is_refused_as_its_constructor_refuses_it():
    with pytest.raises(TypeError):
        created(Sharing, Sharing.Invited, str(sharing_id(TOWN, "2023-05", "v-a")), **SHARING)
    with pytest.raises(TypeError):
        created(Sharing, Sharing.Invited, sharing_id(TOWN, "2023-05", "v-a"), **{**SHARING, "by": None, "extra": 1})
    with pytest.raises(TypeError):
        arguments = {k: v for k, v in SHARING.items() if k != "reason"} | {"why": "improved"}
        created(Sharing, Sharing.Invited, sharing_id(TOWN, "2023-05", "v-a"), **arguments)
