"""Scenes the benchmarks start from, written straight to the store: a contest waiting for its sheets."""

import math
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from domain.contest import Contest
from domain.village import TRACKS
from service.application import BOOTSTRAP_ID

from .county import CRITERIA, Shape, TownYear, Writer, bench_id, marks_for


@dataclass
class Panel:
    """Contests in evaluation: every (contest, judge, village) triple is a sheet still to submit."""

    sheets: list[tuple[UUID, UUID, UUID]]

    def marks(self, n: int) -> dict[str, Decimal]:
        return marks_for(Decimal(60 + n % 40))


def panel(app, sheets: int, judges: int = 9, villages: int = 20, first: int = 900) -> Panel:
    """Towns of `villages` villages, each with one contest of `judges` judges, enough for `sheets` sheets.

    A contest's size is a town's: the sheets fill one contest after another, as towns score in turn.
    """
    writer, triples = Writer(app), []
    for number in range(first, first + math.ceil(sheets / (judges * villages))):
        town = TownYear(writer, Shape(towns=1, villages=villages, judges=judges), number, seed=number)
        entrants = {v: {"track": row["track"], "code": row["code"]} for v, row in town.villages.items()}
        contest = Contest._create(Contest.Scheduled, id=bench_id("contest", number, "2023-05", "all"),
                                  town_id=town.town.id, month="2023-05", theme="人居环境整治", domain="environment",
                                  form="on_site", venue="村村到", judges=[str(j.id) for j in town.judges],
                                  criteria=CRITERIA, participants=entrants, by=BOOTSTRAP_ID, recusals={})
        town.town.register_contest(contest.id, "2023-05", list(TRACKS), BOOTSTRAP_ID)
        for _ in range(4):
            contest.advance(BOOTSTRAP_ID)
        writer.add(town.town, contest)
        triples += [(contest.id, judge.id, UUID(village)) for village in town.villages for judge in town.judges]
    writer.flush()
    return Panel(triples)
