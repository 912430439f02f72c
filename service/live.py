"""The hall's live feed (亮分): a contest's events read back from the event log, as the hall screen shows them.

Read from the stored events, not from a process's memory, so a sheet saved by any API node reaches every
screen. Each item carries the event's position in the notification log: a screen that lost its stream
resumes after the last position it saw, and gets every later item once.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from uuid import UUID

from domain.contest import Contest

from .log import plain, positions_of


@dataclass(frozen=True)
class LiveItem:
    """One item of the feed: `sheet` (how many of the panel's sheets are in), `published` or `cancelled`."""

    position: int
    kind: str
    data: dict


class LiveFeed:
    """A contest's feed from the log, read a step at a time; sheet counts folded from the first event."""

    def __init__(self, app, contest: Contest):
        self.app = app
        self.contest = contest
        self.version = 0
        self.judges: dict[str, set[str]] = {}

    def after(self, position: int) -> list[LiveItem]:
        """Every item recorded since the last step, less those at or before `position`."""
        return [item for item in self.step() if item.position > position]

    def step(self) -> list[LiveItem]:
        events = list(self.app.events.get(self.contest.id, gt=self.version))
        if not events:
            return []
        positions = positions_of(self.app.recorder, self.contest.id)
        self.version = events[-1].originator_version
        return [item for event in events for item in self.items_of(event, positions[event.originator_version])]

    def items_of(self, event, position: int) -> Iterator[LiveItem]:
        name = type(event).__name__
        if name == "SheetRecorded":
            yield self.sheet_in(event.village_id, event.judge_id, position)
        elif name == "Published":
            yield LiveItem(position, "published", {"contest_id": str(self.contest.id), "revision": event.revision,
                                                   "results": plain(event.results)})
        elif name == "Cancelled":
            yield LiveItem(position, "cancelled", {"contest_id": str(self.contest.id)})

    def sheet_in(self, village_id: str, judge_id: str, position: int) -> LiveItem:
        """A correction records the same judge's sheet again: the count is of judges, not of events."""
        judges = self.judges.setdefault(village_id, set())
        judges.add(judge_id)
        return LiveItem(position, "sheet", {"village_id": village_id, "sheets": len(judges),
                                            "panel": len(self.contest.panel_for(village_id))})


def head_of(app, contest_id: UUID) -> int:
    """The position of the contest's latest event: a page rendered now has shown everything up to it."""
    positions = positions_of(app.recorder, contest_id)
    return max(positions.values(), default=0)


def sheets_in(contest: Contest) -> dict[str, int]:
    """Per participant, how many of its panel's sheets are in now."""
    return {village: len(contest.totals.get(village, {})) for village in contest.participants}
