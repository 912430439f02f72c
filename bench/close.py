"""close: closing a month for a town of 1,000 villages, against building the same board in memory from loaded rows."""

import statistics
from pathlib import Path
from uuid import uuid4

from domain import boards
from domain.consequences import Interview, Sharing
from domain.contest import Contest
from domain.creation import created
from domain.followup import FollowUp
from domain.standings import Standings
from domain.town import Town
from projections.assessment import duty_totals
from projections.bulk import OnePass
from projections.directory import villages_in
from projections.results import month_scores
from service.application import BOOTSTRAP_ID
from service.config import Settings
from service.boards import entry
from service.collector import collector_paused
from service.wiring import build

from .county import Shape, TownYear, Writer
from .measure import Row, interleaved, seconds, times

MONTHS = ("2023-01", "2023-02", "2023-04", "2023-05", "2023-07", "2023-08", "2023-10", "2023-11")  # no quarter's end


def every_month_to(last: str) -> list[str]:
    return [f"2023-{m:02d}" for m in range(1, int(last[5:]) + 1)]


CREATED = {event_class: cls for cls, event_class in ((Standings, Standings.Started), (Interview, Interview.Required),
                                                     (Sharing, Sharing.Invited), (FollowUp, FollowUp.Issued))}
RECORDED = ("originator_id", "originator_version", "timestamp", "originator_topic")


def catch_up(app) -> None:
    OnePass(app, app.projector.store, list(app.projector.projections.values())).run()


def recorded_since(app, position: int) -> list:
    notifications = app.recorder.select_notifications(start=position, limit=10**6, inclusive_of_start=False)
    return [app.mapper.to_domain_event(n) for n in notifications]


def floor_plan(events: list) -> tuple[list, dict]:
    """The aggregates a close created, as (class, created event, fresh id, arguments) under a town of their own, and
    the arguments of its standings' Closed event; a close that recorded anything else is not a floor's."""
    town, made, closing = uuid4(), [], {}
    for event in events:
        arguments = {k: v for k, v in vars(event).items() if k not in RECORDED}
        if type(event) in CREATED:
            made.append((CREATED[type(event)], type(event), uuid4(), {**arguments, "town_id": town}))
        elif isinstance(event, Standings.Closed) and not closing:
            closing = {k: arguments[k] for k in ("board", "rulebook_version", "by")}
        else:
            raise AssertionError(f"the floor does not rebuild {type(event).__qualname__}")
    return made, closing


def floor(app, made: list, closing: dict) -> float:
    """The least eventsourcing work a close does: build its new aggregates (ids and arguments given) and save them
    in one transaction on the same store; nothing read, no board, no notice written."""
    def work():
        with collector_paused():  # as close_month runs
            aggregates = [created(cls, event_class, aggregate_id, **arguments)
                          for cls, event_class, aggregate_id, arguments in made]
            next(a for a in aggregates if isinstance(a, Standings)).close(**closing)
            app.save(*aggregates)
    return seconds(work)


def run(folder: Path, sizes) -> list[Row]:
    app = build(Settings(data_dir=folder / "close"))
    months = MONTHS[:sizes.runs + 1]
    shape = Shape(towns=1, villages=sizes.close_villages, judges=5, corrections=0, itemwise=False)
    writer = Writer(app)
    town = TownYear(writer, shape, 1, seed=2023)
    for month in every_month_to(months[-1]):  # months close in order: the quarters' ends close too, untimed
        town.run_month(month)
    writer.add(town.town)
    writer.flush()
    town_id = town.town.id
    catch_up(app)
    app.close_month(town_id, months[0], BOOTSTRAP_ID)
    built, floors, aggregates = {}, [], []

    def subject(i):
        month = months[i + 1]
        for earlier in [m for m in every_month_to(month) if months[i] < m < month]:
            catch_up(app)
            app.close_month(town_id, earlier, BOOTSTRAP_ID)
        catch_up(app)  # what the read-model follower keeps doing between requests
        for contest_id in app.load(Town, town_id).contest_ids(month):
            app.load(Contest, contest_id)  # as in the API process that took the month's sheets
        position = app.recorder.max_notification_id()
        took = seconds(lambda: app.close_month(town_id, month, BOOTSTRAP_ID))
        made, closing = floor_plan(recorded_since(app, position))
        floors.append(floor(app, made, closing))
        aggregates.append(len(made))
        return took

    def baseline(i):
        month, store = months[i + 1], app.projector.store
        book = app.load(Town, town_id).rulebook_for(month)
        villages = villages_in(store, str(town_id), month)
        duty, scores = duty_totals(store, str(town_id), month), month_scores(store, str(town_id), month)
        previous = app.previous_rows(town_id, month)

        def board():
            with collector_paused():  # as close_month runs: the same collector policy on both sides
                entries = [entry(v, duty.get(v["village_id"]), scores.get(v["village_id"])) for v in villages]
                built[month] = boards.monthly_board(entries, book, previous)
        return seconds(board)

    ours, theirs, _, _ = interleaved(sizes.runs, subject, baseline)
    catch_up(app)
    recorded = app.monthly_board(town_id, months[1])
    if recorded["status"] != "closed" or recorded["stale"]:
        raise AssertionError("the closed month does not match its live board")
    app.projector.store.close()
    app.close()
    ratio, least = ours / theirs, statistics.median(floors)
    measure = (f"closing a month for {sizes.close_villages:,} villages in one town (ms; floor {least * 1000:.0f} ms, "
               f"{least / theirs:.2f}x)")
    return [Row("close", measure, ours * 1000,
                theirs * 1000, "ms", ratio, times(ratio), "<= 3x", ratio <= 3, sizes.runs,
                note="subject: Leitai.close_month (read models current, the month's contests cached); "
                     "baseline: entries + domain.boards.monthly_board from rows loaded beforehand; "
                     f"floor: the close's {statistics.median(aggregates):.0f} new aggregates built from their "
                     f"recorded arguments and saved in one transaction, nothing read, right after each close: "
                     f"{least * 1000:.1f} ms, {least / theirs:.2f}x the baseline, {(least + theirs) / theirs:.2f}x "
                     "with the board it follows from")]
