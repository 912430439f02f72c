"""The event store's JSON: eventsourcing's `JSONTranscoder`, writing the same bytes with less work an event."""

from datetime import datetime
from json.encoder import c_make_encoder, encode_basestring
from uuid import UUID

from eventsourcing.persistence import DatetimeAsISO, DecimalAsStr, JSONTranscoder, Transcoding, UUIDAsHex

TAGGED = {UUIDAsHex: lambda o: {"_type_": "uuid_hex", "_data_": o.hex},
          DecimalAsStr: lambda o: {"_type_": "decimal_str", "_data_": str(o)},
          DatetimeAsISO: lambda o: {"_type_": "datetime_iso", "_data_": o.isoformat()}}
# The same tags as text, for an event's own fields: the tag's opening and the method giving its data (ASCII that
# JSON writes as it is: hex digits, an ISO datetime).
WRITTEN = {UUIDAsHex: ('{"_type_":"uuid_hex","_data_":"', UUID.hex.fget),
           DatetimeAsISO: ('{"_type_":"datetime_iso","_data_":"', datetime.isoformat)}
NESTED = (dict, list, tuple)


class EventJSON(JSONTranscoder):
    """`JSONTranscoder.encode` sets up the C encoder of `json` again for every event, and tags each UUID, Decimal
    and datetime through a lookup and a method of its transcoding; a month's close encodes about a thousand events.
    Here the C encoder is made once (with eventsourcing's settings: compact separators, UTF-8 kept, no circular
    check, which only ever turned a cycle's RecursionError into a ValueError) and eventsourcing's own three
    transcodings are written directly. An event's own fields (the top level of its state: strings, ids, the
    timestamp, None, a number) are written here one by one, the ids and the timestamp without a call back from the
    C encoder for each; a state with a nested container (a board) goes to the C encoder whole, so that its hundreds
    of kilobytes are not copied again. Decoding is eventsourcing's."""

    def __init__(self):
        super().__init__()
        self.direct, self.written, self.keys = {}, {}, {}
        self.chunks = c_make_encoder(None, self.tagged, encode_basestring, None, ":", ",", False, False, True)

    def register(self, transcoding: Transcoding) -> None:
        super().register(transcoding)
        self.direct.pop(transcoding.type, None)
        self.written.pop(transcoding.type, None)
        if type(transcoding) in TAGGED:
            self.direct[transcoding.type] = TAGGED[type(transcoding)]
        if type(transcoding) in WRITTEN and transcoding.type in (UUID, datetime):
            self.written[transcoding.type] = WRITTEN[type(transcoding)]

    def encode(self, obj) -> bytes:
        if type(obj) is not dict:
            return self.whole(obj)
        written, keys, fields = self.written, self.keys, []
        for key, value in obj.items():
            name = keys.get(key)
            if name is None:
                if type(key) is not str:  # the C encoder's rules for other keys
                    return self.whole(obj)
                name = encode_basestring(key) + ":"
                if len(keys) < 1024:  # the field names of the event classes
                    keys[key] = name
            kind = type(value)
            if kind is str:
                fields.append(name + encode_basestring(value))
            elif value is None:
                fields.append(name + "null")
            elif kind in written:
                opening, data = written[kind]
                fields.append(name + opening + data(value) + '"}')
            elif kind in NESTED:  # a board: all of it to the C encoder, not copied again here
                return self.whole(obj)
            else:
                fields.append(name + "".join(self.chunks(value, 0)))
        return ("{" + ",".join(fields) + "}").encode("utf8")

    def whole(self, obj) -> bytes:
        return "".join(self.chunks(obj, 0)).encode("utf8")

    def tagged(self, o) -> dict:
        direct = self.direct.get(type(o))
        return direct(o) if direct else self._encode_obj(o)
