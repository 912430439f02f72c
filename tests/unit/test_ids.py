"""`domain.ids.uuid5` makes the ids `uuid.uuid5` makes."""

import uuid
from uuid import uuid4

import pytest

from domain.ids import uuid5


@pytest.mark.parametrize("name", ["", "sharing:2023-05:" + str(uuid4()), "书记（大曹村）", "\x00\uffff", "a" * 500,
                                  "sharing_invited:" + str(uuid4()) + ":v1"])
def test_the_ids_are_uuid_uuid5_s(name):
    for namespace in (uuid4(), uuid.NAMESPACE_URL, uuid.UUID(int=0), uuid.UUID(int=2**128 - 1)):
        ours, theirs = uuid5(namespace, name), uuid.uuid5(namespace, name)
        assert ours == theirs and str(ours) == str(theirs) and ours.version == 5 and ours.variant == theirs.variant
        assert ours.is_safe == theirs.is_safe and hash(ours) == hash(theirs)


def test_many_names():
    namespace = uuid4()
    assert all(uuid5(namespace, str(i)) == uuid.uuid5(namespace, str(i)) for i in range(20000))


def test_a_name_that_is_not_text_is_refused_as_uuid_uuid5_refuses_it():
    with pytest.raises(TypeError):
        uuid5(uuid4(), 5)
    with pytest.raises(UnicodeEncodeError):
        uuid5(uuid4(), "\ud800")
    with pytest.raises(UnicodeEncodeError):
        uuid.uuid5(uuid4(), "\ud800")
