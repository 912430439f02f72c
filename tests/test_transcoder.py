"""The event store's JSON (service/transcoder.py) writes the bytes eventsourcing's own transcoder writes."""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from uuid import uuid4

import pytest
from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder, TranscodingNotRegisteredError

from service.transcoder import EventJSON

STATE = {"timestamp": datetime(2023, 6, 1, 8, 0, 0, 123456, tzinfo=timezone(timedelta(hours=8))),
         "originator_topic": "domain.standings:Standings", "town_id": uuid4(), "period": "2023-05",
         "board": {"basis": "contest", "tracks": {"foundation": [
             {"village_id": str(uuid4()), "code": "F001", "name": "大曹村", "duty": Decimal("85.50"),
              "contest": None, "composite": Decimal("83.17"), "rank": 1, "improved": False, "flags": ["no_contest"]}]},
                   "top": {"foundation": ["a"]}, "bottom": {}, "improved": {"foundation": []}},
         "marks": [Decimal("9.5"), Decimal("-0"), Decimal("1E+2")], "ratio": 0.1, "note": "引号\"与\\斜杠\n换行",
         "by": uuid4(), "revision": 2, "excused": True}


def transcoders():
    app = Application()
    ours = EventJSON()
    app.register_transcodings(ours)
    return app.mapper.transcoder, ours


def test_an_event_state_is_written_byte_for_byte_as_eventsourcing_writes_it():
    theirs, ours = transcoders()
    assert type(theirs) is JSONTranscoder
    assert ours.encode(STATE) == theirs.encode(STATE)
    assert ours.decode(ours.encode(STATE)) == STATE


def test_a_type_without_a_transcoding_is_refused_as_eventsourcing_refuses_it():
    _, ours = transcoders()
    with pytest.raises(TranscodingNotRegisteredError):
        ours.encode({"day": date(2023, 6, 1)})


class Text(str):
    pass


FLAT = {"timestamp": datetime(2023, 6, 1, 0, 0, tzinfo=timezone.utc), "originator_topic": "domain.followup:FollowUp",
        "key": "sharing_invited:1:v1", "town_id": uuid4(), "recipient": "书记（大曹村）", "body": "“引号”\"\\\t\x01\u2028",
        "about_id": uuid4(), "account_id": None, "rank": 3, "excused": False, "score": Decimal("83.10"), "ratio": 1e16,
        "naive": datetime(2023, 6, 1, 8, 0), "sub": Text("子类"), "": "empty key", "键": "非ASCII键"}


@pytest.mark.parametrize("state", [
    FLAT, {}, {"only": None}, {**FLAT, "flags": ["no_contest"], "after": uuid4()},
    {**FLAT, "board": {"tracks": {"a": [{"duty": Decimal("1.5"), "id": uuid4()}]}}}, {"pair": (1, "二")},
    {1: "an int key", "k": uuid4()}, {"k": uuid4(), None: "a None key"},
])
def test_an_event_s_own_fields_are_written_as_eventsourcing_writes_them(state):
    theirs, ours = transcoders()
    assert ours.encode(state) == theirs.encode(state)
    assert ours.encode(state) == theirs.encode(state)  # again, with the field names kept


def test_a_transcoding_registered_in_place_of_eventsourcing_s_is_the_one_used():
    from uuid import UUID

    from eventsourcing.persistence import Transcoding

    class UUIDAsString(Transcoding):
        type, name = UUID, "uuid_str"

        def encode(self, obj):
            return str(obj)

        def decode(self, data):
            return UUID(data)

    theirs, ours = transcoders()
    theirs.register(UUIDAsString())
    ours.register(UUIDAsString())
    state = {"id": uuid4(), "ids": [uuid4()]}
    assert ours.encode(state) == theirs.encode(state)
    assert b"uuid_str" in ours.encode(state)
