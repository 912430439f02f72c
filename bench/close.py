"""close: closing a month for a town of 1,000 villages, against building the same board in memory from loaded rows."""

from pathlib import Path

from domain import boards
from domain.contest import Contest
from domain.town import Town
from projections.assessment import duty_totals
from projections.bulk import OnePass
from projections.directory import villages_in
from projections.results import month_scores
from service.application import BOOTSTRAP_ID
from service.config import Settings
from service.boards import entry
from service.wiring import build

from .county import Shape, TownYear, Writer
from .measure import Row, interleaved, seconds, times

MONTHS = ("2023-01", "2023-02", "2023-04", "2023-05", "2023-07", "2023-08", "2023-10", "2023-11")  # no quarter's end


def every_month_to(last: str) -> list[str]:
    return [f"2023-{m:02d}" for m in range(1, int(last[5:]) + 1)]


def catch_up(app) -> None:
    OnePass(app, app.projector.store, list(app.projector.projections.values())).run()


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
    built = {}

    def subject(i):
        month = months[i + 1]
        for earlier in [m for m in every_month_to(month) if months[i] < m < month]:
            catch_up(app)
            app.close_month(town_id, earlier, BOOTSTRAP_ID)
        catch_up(app)  # what the read-model follower keeps doing between requests
        for contest_id in app.load(Town, town_id).contest_ids(month):
            app.load(Contest, contest_id)  # as in the API process that took the month's sheets
        return seconds(lambda: app.close_month(town_id, month, BOOTSTRAP_ID))

    def baseline(i):
        month, store = months[i + 1], app.projector.store
        book = app.load(Town, town_id).rulebook_for(month)
        villages = villages_in(store, str(town_id), month)
        duty, scores = duty_totals(store, str(town_id), month), month_scores(store, str(town_id), month)
        previous = app.previous_rows(town_id, month)

        def board():
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
    ratio = ours / theirs
    return [Row("close", f"closing a month for {sizes.close_villages:,} villages in one town (ms)", ours * 1000,
                theirs * 1000, "ms", ratio, times(ratio), "<= 3x", ratio <= 3, sizes.runs,
                note="subject: Leitai.close_month (read models current, the month's contests cached); "
                     "baseline: entries + domain.boards.monthly_board from rows loaded beforehand")]
