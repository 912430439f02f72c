"""A county's year, generated through the domain aggregates and written to the store in big batches.

The events are the ones the Application records for the same story: each town registers its
villages and judges; every month each village fills in its duty list item by item and the town
re-scores it, each track holds a contest (four steps, a commentary per village, every judge's
sheet, some corrections, publication), and the month closes with the standings, interviews,
sharing invitations and their follow-ups, as `service.periods` would record them. Quarters and the
year close in their last month. Only the per-save work of the Application (loading, checks against
the read models, one transaction per command) is skipped: events go through `app.mapper` and
`app.recorder.insert_events` many thousands at a time.

The same shape and seed give the same figures (ids are derived, not random).
"""

import hashlib
import random
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from uuid import NAMESPACE_URL, UUID, uuid5

from domain import boards, notices
from domain.account import Account
from domain.boards import Board, MonthRow, standing_score
from domain.consequences import Interview, Sharing
from domain.contest import Contest
from domain.duty import DutyList, duty_total
from domain.followup import FollowUp
from domain.periods import months_of_quarter, months_of_year, quarter_of
from domain.rulebook import Rulebook
from domain.sheet import ScoreSheet
from domain.standings import Standings
from domain.town import Town
from domain.village import TRACKS, Village
from service.application import BOOTSTRAP_ID
from service.boards import entry
from workers.delivery import WORKER_ID

NAMESPACE = uuid5(NAMESPACE_URL, "leitai:bench")
CRITERIA = [{"key": "work", "label": "工作实绩", "max": Decimal(40)}, {"key": "talk", "label": "汇报演讲", "max": Decimal(30)},
            {"key": "idea", "label": "思路举措", "max": Decimal(20)}, {"key": "style", "label": "精神面貌", "max": Decimal(10)}]
TRACK_SHARES = (0.3, 0.4)  # demonstration, excellence; foundation takes the rest


@dataclass(frozen=True)
class Shape:
    """What one village-month records: 20 duty-list revisions (one with `itemwise` off), `judges` sheets,
    `corrections` of them corrected, a commentary."""

    towns: int = 20
    villages: int = 50
    months: int = 12
    judges: int = 9
    duty_items: int = 10
    corrections: int = 3
    itemwise: bool = True
    year: str = "2023"

    @property
    def village_count(self) -> int:
        return self.towns * self.villages


@dataclass
class Writer:
    """Collects aggregates' pending events and stores them many at a time."""

    app: object
    batch: int = 20_000
    pending: list = field(default_factory=list)
    written: int = 0

    def add(self, *aggregates) -> None:
        for aggregate in aggregates:
            self.pending += aggregate.collect_events()
        if len(self.pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.app.recorder.insert_events([self.app.mapper.to_stored_event(e) for e in self.pending])
            self.written += len(self.pending)
            self.pending = []


def bench_id(*parts) -> UUID:
    return uuid5(NAMESPACE, ":".join(str(p) for p in parts))


def marks_for(total: Decimal) -> dict[str, Decimal]:
    left, marks = total, {}
    for criterion in CRITERIA:
        marks[criterion["key"]] = min(left, criterion["max"])
        left -= marks[criterion["key"]]
    return marks


class TownYear:
    """One town of the county through the year; `run()` adds its events to the writer."""

    def __init__(self, writer: Writer, shape: Shape, number: int, seed: int):
        self.writer, self.shape, self.number = writer, shape, number
        self.rng = random.Random(f"{seed}:{number}")
        self.boards: dict[str, Board] = {}
        self.town = Town._create(Town.Created, id=bench_id("town", number), name=f"第{number}镇", county="基准县", by=BOOTSTRAP_ID)
        writer.add(self.town)
        self.villages = self.register_villages()
        self.judges = [Account._create(Account.Opened, id=bench_id("judge", number, j), name=f"评委{number}-{j}",
                                       role="judge", village_id=None, by=BOOTSTRAP_ID,
                                       token_hash=hashlib.sha256(f"judge:{number}:{j}".encode()).hexdigest())
                       for j in range(shape.judges)]
        self.quality = {v: self.rng.uniform(55, 95) for v in self.villages}
        writer.add(self.town, *self.judges)  # with its villages' registrations

    def register_villages(self) -> dict[str, dict]:
        count = self.shape.villages
        cuts = (round(count * TRACK_SHARES[0]), round(count * (TRACK_SHARES[0] + TRACK_SHARES[1])))
        villages = {}
        for n in range(count):
            track = TRACKS[0] if n < cuts[0] else TRACKS[1] if n < cuts[1] else TRACKS[2]
            code = f"{track[0].upper()}{n + 1:03d}"
            village = Village._create(Village.Registered, id=bench_id("village", self.number, n), town_id=self.town.id,
                                     code=code, name=f"{code}村", track=track, secretary=f"书记{self.number}-{code}",
                                     by=BOOTSTRAP_ID, joined_from="2000-01")
            self.town.register_village(village.id, code, BOOTSTRAP_ID)
            self.writer.add(village)
            villages[str(village.id)] = {"village_id": str(village.id), "code": code, "name": village.name,
                                         "track": track, "secretary": village.secretary["name"]}
        return villages

    @property
    def book(self) -> Rulebook:
        return self.town.rulebook

    def run(self, months: list[str] | None = None) -> None:
        for month in months or self.months():
            self.run_month(month)
            self.close(month)
        self.writer.add(self.town)

    def months(self) -> list[str]:
        return [f"{self.shape.year}-{m:02d}" for m in range(1, self.shape.months + 1)]

    def run_month(self, month: str) -> None:
        """Duty lists and the three contests; leaves the month ready to close."""
        duty = {v: self.duty_list(v, month) for v in self.villages}
        results = {}
        for track in TRACKS:
            results.update(self.contest(month, track))
        self.inputs = {v: (str(duty[v]), results.get(v)) for v in self.villages}

    def duty_list(self, village_id: str, month: str) -> Decimal:
        """Items entered one at a time, then each re-scored at the town's review: 20 revisions."""
        quality = self.quality[village_id]
        items = [{"item": f"职责清单第{i + 1}项", "score": Decimal(self.rng.randint(int(quality) - 15, 100)) / 10,
                  "max": Decimal(10)} for i in range(self.shape.duty_items)]
        if not self.shape.itemwise:
            duty = DutyList(village_id=UUID(village_id), town_id=self.town.id, month=month, items=items, by=BOOTSTRAP_ID)
            self.writer.add(duty)
            return duty_total(items)
        duty = DutyList(village_id=UUID(village_id), town_id=self.town.id, month=month, items=items[:1], by=BOOTSTRAP_ID)
        for k in range(2, len(items) + 1):
            duty.revise(items[:k], BOOTSTRAP_ID)
        for i in range(len(items)):
            items = [*items[:i], {**items[i], "score": min(Decimal(10), items[i]["score"] + Decimal("0.5"))}, *items[i + 1:]]
            duty.revise(items, BOOTSTRAP_ID)
        self.writer.add(duty)
        return duty_total(items)

    def contest(self, month: str, track: str) -> dict[str, dict]:
        entrants = {v: {"track": track, "code": row["code"]} for v, row in self.villages.items() if row["track"] == track}
        judges = [str(j.id) for j in self.judges]
        contest = Contest._create(Contest.Scheduled, id=bench_id("contest", self.number, month, track),
                                  town_id=self.town.id, month=month, theme=f"{month}擂台", domain="environment",
                                  form="on_site", venue="村村到", judges=judges, criteria=CRITERIA, participants=entrants,
                                  by=BOOTSTRAP_ID, recusals={})
        self.town.register_contest(contest.id, month, [track], BOOTSTRAP_ID)
        for _ in range(3):
            contest.advance(BOOTSTRAP_ID)
        for village_id in entrants:
            contest.comment(village_id, "思路清晰，措施有力。", BOOTSTRAP_ID)
        contest.advance(BOOTSTRAP_ID)
        pending = self.sheets_pending(contest)
        for village_id in entrants:
            self.sheets(contest, village_id)
        contest.publish(self.book, datetime.now(timezone.utc), BOOTSTRAP_ID)
        self.writer.add(contest, self.town, *pending)
        self.deliver(pending)
        return {r["village_id"]: {"score": r["score"], "flags": r["flags"]} for r in contest.results}

    def sheets_pending(self, contest: Contest) -> list[FollowUp]:
        issued = []
        for judge in self.judges:
            notice = notices.sheets_pending(contest.theme, contest.month, judge.name, len(contest.participants))
            issued.append(self.followup(f"sheets_pending:{contest.id}:{judge.id}:evaluation", notice, contest.id))
        return issued

    def sheets(self, contest: Contest, village_id: str) -> None:
        quality = self.quality[village_id]
        for n, judge_id in enumerate(contest.judges):
            total = Decimal(round(min(100.0, max(0.0, self.rng.gauss(quality, 4))) * 2)) / 2
            sheet = ScoreSheet(contest_id=contest.id, judge_id=judge_id, village_id=village_id, marks=marks_for(total),
                               by=BOOTSTRAP_ID)
            contest.record_sheet(judge_id, village_id, sheet.total, BOOTSTRAP_ID)
            if n < self.shape.corrections:
                sheet.correct(marks_for(max(Decimal(0), total - 1)), "复核更正", BOOTSTRAP_ID)
                contest.record_sheet(judge_id, village_id, sheet.total, BOOTSTRAP_ID)
            self.writer.add(sheet)

    # Closing, as service.periods records it

    def close(self, month: str) -> None:
        book = self.book
        entries = [entry(row, *self.inputs[v]) for v, row in sorted(self.villages.items(), key=lambda i: i[1]["code"])]
        board = boards.monthly_board(entries, book, self.previous_rows(month))
        self.boards[month] = board
        changed = self.standings(month, board, "monthly")
        changed += self.sharings(month, board)
        quarter, year = quarter_of(month), month[:4]
        if month == months_of_quarter(quarter)[-1]:
            changed += self.standings(quarter, self.period_board(months_of_quarter(quarter)), "quarterly")
        if month == months_of_year(year)[-1]:
            changed += self.standings(year, boards.annual_grades(self.period_board(months_of_year(year)), book), "annual")
        issued = self.consequence_notices(changed)
        self.writer.add(*changed, *issued)
        self.deliver(issued)

    def previous_rows(self, month: str) -> dict[str, MonthRow]:
        earlier = [m for m in self.boards if m < month]
        return {} if not earlier else self.boards[earlier[-1]].rows()

    def period_board(self, months: list[str]) -> Board:
        return boards.period_board([self.boards[m] for m in months if m in self.boards], self.book)

    def standings(self, period: str, board: Board, level: str) -> list:
        standings = Standings(town_id=self.town.id, period=period, by=BOOTSTRAP_ID)
        standings.close(board.as_dict(), self.book.version, BOOTSTRAP_ID)
        rows = board.rows()
        bottom = sorted(board.listed("bottom"))
        interviews = [Interview(town_id=self.town.id, level=level, period=period, village_id=v,
                                secretary=self.villages[v]["secretary"], track=rows[v].track, rank=rows[v].rank,
                                score=standing_score(rows[v]), by=BOOTSTRAP_ID) for v in bottom]
        return [standings, *interviews]

    def sharings(self, period: str, board: Board) -> list:
        reasons = {v: "improved" for v in board.listed("improved")}
        reasons.update({v: "top" for v in board.listed("top")})
        return [Sharing(town_id=self.town.id, period=period, village_id=v, reason=reasons[v], by=BOOTSTRAP_ID)
                for v in sorted(reasons)]

    def consequence_notices(self, changed: list) -> list[FollowUp]:
        issued = []
        for item in changed:
            if isinstance(item, Interview):
                notice = notices.interview_required(item.level, item.period, self.villages[item.village_id], item.rank,
                                                    item.score, item.conductor)
                issued.append(self.followup(f"interview_required:{item.id}:v{item.version}", notice, item.id))
            if isinstance(item, Sharing):
                notice = notices.sharing_invited(item.period, self.villages[item.village_id], item.reason)
                issued.append(self.followup(f"sharing_invited:{item.id}:v{item.version}", notice, item.id))
        return issued

    def followup(self, key: str, notice: notices.Notice, about_id) -> FollowUp:
        kind, recipient, subject, body = notice
        return FollowUp(key=key, town_id=self.town.id, kind=kind, recipient=recipient, subject=subject, body=body,
                        about_id=about_id, by=BOOTSTRAP_ID)

    def deliver(self, followups: list[FollowUp]) -> None:
        """What the worker records once the notice reached its channel."""
        for followup in followups:
            followup.delivered("log", 1, WORKER_ID)
        self.writer.add(*followups)


def generate(app, shape: Shape, seed: int = 2023, on_town=None) -> list[UUID]:
    """Every town's year, town after town; returns the towns' ids."""
    writer = Writer(app)
    towns = []
    for number in range(1, shape.towns + 1):
        town = TownYear(writer, shape, number, seed)
        town.run()
        towns.append(town.town.id)
        writer.flush()
        if on_town:
            on_town(number, writer.written)
    return towns
