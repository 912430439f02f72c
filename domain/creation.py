"""A new aggregate built the way eventsourcing builds it, without its generic argument handling.

`Sharing(town_id=..., ...)` goes through eventsourcing's `MetaAggregate.__call__` and `_create`: the
arguments are matched to the signature, the id's arguments picked out, the created event's fields
filtered twice for the two `__init__` methods, the class's topic resolved back from a string. About
40 µs an aggregate, and a month's close creates about a thousand. `created` does the same steps with
the arguments already named, so the created event, the state and the stored event are the same.
"""

import dataclasses
from typing import TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate, DomainEvent
from eventsourcing.utils import get_topic

A = TypeVar("A", bound=Aggregate)
EVENT_FIELDS: dict[type, tuple[str, ...] | None] = {}


def created(cls: type[A], event_class: type, aggregate_id: UUID, **arguments) -> A:
    """`cls(**arguments)`, whose id is `aggregate_id`: `arguments` name every parameter of `cls.__init__`,
    and `event_class` is the created event its `@event` decorator names."""
    version, timestamp = cls.INITIAL_VERSION, event_class.create_timestamp()
    names = event_fields(event_class)
    if names is not None and tuple(arguments) == names[4:] and isinstance(aggregate_id, UUID):
        event = object.__new__(event_class)  # its fields set in their order, as its constructor would
        event.__dict__.update(originator_id=aggregate_id, originator_version=version, timestamp=timestamp,
                              originator_topic=get_topic(cls), **arguments)
    else:  # arguments in another order, or an event its constructor must check
        event = event_class(originator_id=aggregate_id, originator_version=version, timestamp=timestamp,
                            originator_topic=get_topic(cls), **arguments)
    aggregate = cls.__new__(cls)
    aggregate.__base_init__(aggregate_id, version, timestamp)
    aggregate.__init__(**arguments)
    event.apply(aggregate)
    aggregate.pending_events.append(event)
    return aggregate


def event_fields(event_class: type) -> tuple[str, ...] | None:
    """The created event's field names in order, when its constructor only sets them (a frozen dataclass with no
    default, whose one check, eventsourcing's `__post_init__`, is that the id is a UUID): `created` then sets them
    itself, in the same order, which is the order the event's state is stored in; None otherwise."""
    if event_class not in EVENT_FIELDS:
        fields = dataclasses.fields(event_class) if dataclasses.is_dataclass(event_class) else ()
        plain = (event_class.__dataclass_params__.frozen and event_class.__post_init__ is DomainEvent.__post_init__
                 and all(f.init and f.default is f.default_factory is dataclasses.MISSING for f in fields)
                 and [f.name for f in fields[:4]] == ["originator_id", "originator_version", "timestamp",
                                                      "originator_topic"])
        EVENT_FIELDS[event_class] = tuple(f.name for f in fields) if fields and plain else None
    return EVENT_FIELDS[event_class]
