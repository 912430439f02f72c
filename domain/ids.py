"""Name-based ids (RFC 4122, version 5), as `uuid.uuid5` makes them, with less work: a month's close makes about
a thousand (a sharing invitation's, its notice's), and `uuid.uuid5` imports `hashlib.sha1` and builds the UUID
from bytes through every check of `UUID.__init__` each time."""

from hashlib import sha1
from uuid import UUID

VERSION_5 = (5 << 76) | (0x8000 << 48)  # the version (5) and the RFC 4122 variant bits
CLEARED = ~((0xf000 << 64) | (0xc000 << 48))


def uuid5(namespace: UUID, name: str) -> UUID:
    """`uuid.uuid5(namespace, name)`: the same id."""
    digest = sha1(namespace.bytes + bytes(name, "utf-8")).digest()
    return UUID(int=int.from_bytes(digest[:16]) & CLEARED | VERSION_5)
