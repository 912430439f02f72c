from uuid import UUID

from eventsourcing.domain import Aggregate, event

from .errors import InvalidError, RuleError
from .rulebook import FIRST_MONTH

TRACKS = ("demonstration", "excellence", "foundation")
TRACK_LABELS = {"demonstration": "示范村", "excellence": "创优村", "foundation": "强基村"}


class Village(Aggregate):
    """村: competes on one track (赛道) at a time; led by its Party secretary (村党组织书记)."""

    @event("Registered")
    def __init__(self, town_id: UUID, code: str, name: str, track: str, secretary: str, by: UUID,
                 joined_from: str = FIRST_MONTH):
        check_track(track)
        self.town_id = town_id
        self.code = code
        self.name = name
        self.tracks = [{"track": track, "effective_from": joined_from}]
        self.secretaries = [{"name": secretary, "since": None}]

    @property
    def track(self) -> str:
        return self.tracks[-1]["track"]

    @property
    def secretary(self) -> dict:
        return self.secretaries[-1]

    @property
    def retired_from(self) -> str | None:
        return self.tracks[-1]["effective_from"] if self.tracks[-1]["track"] is None else None

    def secretary_on(self, day: str) -> str:
        """The secretary in office on `day` ("YYYY-MM-DD"): the latest one whose tenure began by then."""
        return secretary_on(self.secretaries, day)

    @property
    def joined_from(self) -> str:
        return self.tracks[0]["effective_from"]

    def track_in(self, month: str) -> str | None:
        """The track of `month`; None before the village joined the programme."""
        return track_in(self.tracks, month)

    def change_track(self, track: str, effective_from: str, reason: str, by: UUID) -> None:
        check_track(track)
        self.check_in_programme()
        if effective_from < self.tracks[-1]["effective_from"]:
            raise RuleError(f"a track change cannot take effect before {self.tracks[-1]['effective_from']}")
        self._change_track(track, effective_from, reason, by)

    @event("TrackChanged")
    def _change_track(self, track: str, effective_from: str, reason: str, by: UUID) -> None:
        self.tracks.append({"track": track, "effective_from": effective_from})

    def change_secretary(self, name: str, since: str, by: UUID) -> None:
        latest = self.secretaries[-1]["since"]
        if latest is not None and since <= latest:
            raise RuleError(f"a new secretary's tenure must begin after {latest}, when the last one began")
        self._change_secretary(name, since, by)

    @event("SecretaryChanged")
    def _change_secretary(self, name: str, since: str, by: UUID) -> None:
        self.secretaries.append({"name": name, "since": since})

    def retire(self, effective_from: str, reason: str, by: UUID) -> None:
        """村庄撤并: from `effective_from` the village is not scheduled, asked for a duty list, nor ranked."""
        self.check_in_programme()
        if effective_from <= self.tracks[-1]["effective_from"]:
            raise RuleError(f"the village can leave the programme after {self.tracks[-1]['effective_from']} only")
        if not reason.strip():
            raise InvalidError("give a reason", {"reason": ["give a reason"]})
        self._retire(effective_from, reason, by)

    @event("Retired")
    def _retire(self, effective_from: str, reason: str, by: UUID) -> None:
        self.tracks.append({"track": None, "effective_from": effective_from})

    def check_in_programme(self) -> None:
        if self.retired_from is not None:
            raise RuleError(f"the village left the programme in {self.retired_from}")


def track_in(tracks: list[dict], month: str) -> str | None:
    during = [t for t in tracks if t["effective_from"] <= month]
    return during[-1]["track"] if during else None


def secretary_on(secretaries: list[dict], day: str) -> str:
    serving = [s for s in secretaries if s["since"] is None or s["since"] <= day]
    return (serving or secretaries)[-1]["name"]


def check_track(track: str) -> None:
    if track not in TRACKS:
        raise InvalidError("unknown track", {"track": [f"must be one of {', '.join(TRACKS)}"]})
