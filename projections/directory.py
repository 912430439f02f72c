"""Look-ups the API needs by something other than an id: towns, villages of a town, accounts by token hash."""

import json
from functools import lru_cache

from domain.account import Account
from domain.town import Town
from domain.rulebook import FIRST_MONTH
from domain.village import Village, track_in

from .base import Projection


class Directory(Projection):
    name = "directory"
    tables = {
        "towns": "town_id TEXT PRIMARY KEY, name TEXT NOT NULL, county TEXT",
        "villages": "village_id TEXT PRIMARY KEY, town_id TEXT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL, "
                    "tracks TEXT NOT NULL, secretary TEXT NOT NULL",
        "account_tokens": "token_hash TEXT PRIMARY KEY, account_id TEXT NOT NULL",
    }
    indexes = {"villages_by_town": "villages (town_id, code)"}  # a town's villages in order, without a sort

    def handlers(self):
        return {Town.Created: self.town_created, Account.Opened: self.account_opened,
                Account.TokenRotated: self.token_rotated,
                Village.Registered: self.village_registered, Village.TrackChanged: self.track_changed,
                Village.SecretaryChanged: self.secretary_changed, Village.Retired: self.retired}

    def town_created(self, cursor, event, position):
        cursor.execute("INSERT INTO towns (town_id, name, county) VALUES (?, ?, ?)",
                       (str(event.originator_id), event.name, event.county))

    def account_opened(self, cursor, event, position):
        cursor.execute("INSERT INTO account_tokens (token_hash, account_id) VALUES (?, ?)",
                       (event.token_hash, str(event.originator_id)))

    def token_rotated(self, cursor, event, position):
        cursor.execute("DELETE FROM account_tokens WHERE account_id = ?", (str(event.originator_id),))
        self.account_opened(cursor, event, position)

    def village_registered(self, cursor, event, position):
        tracks = [{"track": event.track, "effective_from": getattr(event, "joined_from", FIRST_MONTH)}]
        cursor.execute("INSERT INTO villages (village_id, town_id, code, name, tracks, secretary) VALUES (?, ?, ?, ?, ?, ?)",
                       (str(event.originator_id), str(event.town_id), event.code, event.name, json.dumps(tracks),
                        event.secretary))

    def track_changed(self, cursor, event, position):
        self.append_track(cursor, str(event.originator_id), event.track, event.effective_from)

    def retired(self, cursor, event, position):
        self.append_track(cursor, str(event.originator_id), None, event.effective_from)

    def append_track(self, cursor, village_id: str, track: str | None, effective_from: str) -> None:
        row = cursor.execute("SELECT tracks FROM villages WHERE village_id = ?", (village_id,)).one()
        tracks = json.loads(row["tracks"]) + [{"track": track, "effective_from": effective_from}]
        cursor.execute("UPDATE villages SET tracks = ? WHERE village_id = ?", (json.dumps(tracks), village_id))

    def secretary_changed(self, cursor, event, position):
        cursor.execute("UPDATE villages SET secretary = ? WHERE village_id = ?", (event.name, str(event.originator_id)))


def villages_in(store, town_id: str, month: str) -> list[dict]:
    """A town's villages taking part in `month`, with the track each is on then."""
    return taking_part(villages_of(store, town_id), month)


def taking_part(villages: list[dict], month: str) -> list[dict]:
    """Of `villages` (rows of villages_of), those taking part in `month`, with the track each is on then."""
    found = [{**row, "track": track_of(row["tracks"], month)} for row in villages]
    return [village for village in found if village["track"] is not None]


@lru_cache(maxsize=4096)
def track_of(tracks: str, month: str) -> str | None:
    """The track of `month` from a villages row's `tracks` text. Most villages of a town have the same text (one
    track from the same month), so a close of a thousand villages decodes a handful of texts instead of a thousand."""
    return track_in(json.loads(tracks), month)


def villages_of(store, town_id: str) -> list[dict]:
    """Every village of a town, whether or not it takes part in a given month."""
    return store.query("SELECT * FROM villages WHERE town_id = ? ORDER BY code", (town_id,))


def towns(store) -> list[dict]:
    return store.query("SELECT town_id AS id, name, county FROM towns ORDER BY name, town_id")


def account_with_token(store, digest: str) -> str | None:
    rows = store.query("SELECT account_id FROM account_tokens WHERE token_hash = ?", (digest,))
    return rows[0]["account_id"] if rows else None
