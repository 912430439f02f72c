"""Use cases of the follow-ups: pairings and exchanges, notices recorded as events, the daily jobs."""

from datetime import date, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.persistence import IntegrityError

from domain import notices
from domain.account import Account
from domain.consequences import Interview, Sharing
from domain.contest import Contest
from domain.errors import ForbiddenError, InvalidError, RuleError
from domain.creation import created
from domain.followup import FollowUp, followup_id
from domain.pairing import Pairing, pairing_id
from domain.town import Town
from domain.village import Village
from projections.consequences import open_interviews
from projections.directory import towns
from projections.followups import followups_of, issued_followups, pairings_in
from projections.results import contests_in_evaluation

from .retry import retried

SHANGHAI = ZoneInfo("Asia/Shanghai")


def today() -> date:
    """Calendar rules run on the town's clock."""
    return datetime.now(SHANGHAI).date()


class FollowUpUseCases:
    """Mixed into the Application."""

    # Pairings (结对共建)

    def form_pairing(self, advanced_id: UUID, lagging_id: UUID, from_month: str, by: UUID) -> Pairing:
        advanced, lagging = self.load(Village, advanced_id), self.load(Village, lagging_id)
        if advanced.town_id != lagging.town_id:
            raise InvalidError("the villages are in different towns", {"lagging_village_id": ["pick a village of the same town"]})
        self.check_months_open(advanced.town_id, from_month, None, "the pairings in force")
        if self.find(Pairing, pairing_id(advanced.town_id, advanced.id, lagging.id)) is not None:
            raise RuleError("these two villages are already paired: a pairing of the same villages exists once")
        pairing = Pairing(town_id=advanced.town_id, advanced_village_id=str(advanced.id),
                          lagging_village_id=str(lagging.id), from_month=from_month, by=by)
        self.save(pairing)
        return pairing

    @retried
    def record_exchange(self, pairing_id: UUID, on: str, mode: str, summary: str, by: UUID,
                        secretary_of: UUID | None) -> Pairing:
        """By the organiser, or a secretary of either village."""
        pairing = self.load(Pairing, pairing_id)
        if secretary_of is not None and str(secretary_of) not in (pairing.advanced_village_id, pairing.lagging_village_id):
            raise ForbiddenError("only a secretary of one of the paired villages may record their exchanges")
        if on > today().isoformat():
            raise InvalidError("the exchange is dated in the future", {"date": ["record an exchange once it has taken place"]})
        self.check_months_open(pairing.town_id, on[:7], on[:7], "its pairing exchanges")
        pairing.record_exchange(on, mode, summary, by)
        self.save(pairing)
        return pairing

    @retried
    def dissolve_pairing(self, pairing_id: UUID, reason: str, effective_from: str | None, by: UUID) -> Pairing:
        """Inactive from `effective_from` (this month by default); never in or before a closed month."""
        pairing = self.load(Pairing, pairing_id)
        effective_from = effective_from or today().isoformat()[:7]
        self.check_months_open(pairing.town_id, effective_from, None, "the pairings in force")
        pairing.dissolve(reason, effective_from, by)
        self.save(pairing)
        return pairing

    def compliance(self, town_id: UUID, month: str) -> list[dict]:
        """R12: offline exchanges in the month against the rulebook's requirement."""
        town = self.read(Town, town_id)
        self.projector.catch_up("followups")
        required = town.rulebook_for(month).exchanges_per_month
        return [{"pairing_id": p["pairing_id"], "advanced_village_id": p["advanced_village_id"],
                 "lagging_village_id": p["lagging_village_id"], "offline": p["offline"], "required": required,
                 "compliant": p["offline"] >= required} for p in pairings_in(self.projector.store, str(town.id), month)]

    def shortfalls(self, town: Town, month: str, villages: dict, by: UUID) -> list:
        """A month that closes short records a shortfall on the pairing and a notice."""
        changed = []
        for row in self.compliance(town.id, month):
            if row["compliant"]:
                continue
            pairing = self.load(Pairing, row["pairing_id"])
            if month not in pairing.shortfalls:
                pairing.record_shortfall(month, row["offline"], row["required"], by)
                changed.append(pairing)
            notice = notices.pairing_shortfall(month, villages[pairing.advanced_village_id],
                                               villages[pairing.lagging_village_id], row["offline"], row["required"])
            changed += self.issue(f"pairing_shortfall:{pairing.id}:{month}", town.id, notice, pairing.id, by)
        return changed

    # Follow-ups

    def issue(self, key: str, town_id: UUID, notice: notices.Notice, about_id: UUID | None, by: UUID,
              account_id: str | None = None) -> list[FollowUp]:
        """A new follow-up, or nothing when this occasion's notice was already issued."""
        return self.unissued([followup(key, town_id, notice, about_id, by, account_id)])

    def unissued(self, followups: list[FollowUp]) -> list[FollowUp]:
        """The follow-ups not issued yet, in one query of the read model; one issued since makes the save
        fail on its version, and the command is retried."""
        self.projector.catch_up("followups")
        ids = [str(f.id) for f in followups]
        issued = issued_followups(self.projector.store, ids)
        return [f for f, text in zip(followups, ids) if text not in issued]

    def consequence_notices(self, town_id: UUID, changed: list, villages: dict, by: UUID) -> list[FollowUp]:
        return self.unissued([followup(key, town_id, notice, item.id, by, account_id)
                              for item in changed for key, notice, account_id in consequence_notices(item, villages)])

    def sheets_pending(self, contest: Contest, key: str, by: UUID) -> list[FollowUp]:
        """One notice per judge who still has sheets to submit."""
        issued = []
        for judge_id in contest.judges:
            missing = sum(1 for v in contest.participants
                          if judge_id in contest.panel_for(v) and judge_id not in contest.totals.get(v, {}))
            if missing:
                judge = self.read(Account, judge_id)
                notice = notices.sheets_pending(contest.theme, contest.month, judge.name, missing)
                issued += self.issue(f"sheets_pending:{contest.id}:{judge_id}:{key}", contest.town_id, notice,
                                     contest.id, by)
        return issued

    def followups(self, town_id: UUID, status: str | None) -> list[dict]:
        self.read(Town, town_id)
        self.projector.catch_up("followups")
        self.projector.catch_up("people")
        rows = followups_of(self.projector.store, str(town_id))
        return [{"id": r["followup_id"], "kind": r["kind"], "subject": r["subject"], "recipient": r["recipient"],
                 "recipient_account_id": r["account_id"], "status": r["status"], "attempts": r["attempts"]}
                for r in rows if status in (None, r["status"])]

    @retried
    def claimed_followup(self, followup_id: UUID, claimant: str, lease: timedelta, by: UUID) -> FollowUp | None:
        """The follow-up as this worker's saved claim left it, None when nothing is left to send; ClaimedError
        while another worker's lease runs. Two workers claiming at once save the same version: one is
        refused, loads the other's claim and backs off."""
        followup = self.load(FollowUp, followup_id)
        if followup.status != "pending":
            return None
        at = datetime.now(SHANGHAI)
        followup.claim(claimant, at, at + lease, by)
        self.save(followup)
        return followup

    def record_delivery(self, followup_id: UUID, channel: str, attempt: int, by: UUID) -> bool:
        """False when it was already delivered: a delivery is recorded once."""
        return self.change_followup(followup_id, lambda f: f.delivered(channel, attempt, by))

    def record_claimed_delivery(self, claimed: FollowUp, channel: str, attempt: int, by: UUID) -> bool:
        """The delivery saved on the claimed follow-up without loading it again. Should it have changed since
        the claim (a lease that ran out, taken over), its version clashes and it is recorded as above."""
        claimed.delivered(channel, attempt, by)
        try:
            self.save(claimed)
        except IntegrityError:
            return self.record_delivery(claimed.id, channel, attempt, by)
        return True

    def record_failure(self, followup_id: UUID, channel: str, attempt: int, error: str, final: bool, by: UUID) -> bool:
        return self.change_followup(followup_id, lambda f: f.attempt_failed(channel, attempt, error[:500], final, by))

    @retried
    def change_followup(self, followup_id: UUID, change) -> bool:
        followup = self.load(FollowUp, followup_id)
        if followup.status != "pending":
            return False
        change(followup)
        self.save(followup)
        return True

    # The daily jobs, run by the scheduler (each is safe to run twice)

    def daily(self, day: date, by: UUID) -> int:
        """Every town's reminders for `day`; returns how many follow-ups were issued."""
        self.projector.catch_up_all()
        return sum(len(self.daily_for_town(self.load(Town, t["id"]), day, by)) for t in towns(self.projector.store))

    @retried
    def daily_for_town(self, town: Town, day: date, by: UUID) -> list[FollowUp]:
        issued = self.pairing_reminders(town, day, by) + self.overdue_interviews(town, day, by)
        issued += self.pending_sheets(town, day, by)
        self.save(*issued)
        return issued

    def pairing_reminders(self, town: Town, day: date, by: UUID) -> list[FollowUp]:
        """R12: on the first reminder day if no offline exchange yet, on later ones if fewer than required."""
        month = day.isoformat()[:7]
        book = town.rulebook_for(month)
        if day.day not in book.reminder_days:
            return []
        first = day.day == min(book.reminder_days)
        villages = self.people_on(town.id, month)
        issued = []
        for row in self.compliance(town.id, month):
            if (first and row["offline"] == 0) or (not first and not row["compliant"]):
                notice = notices.pairing_reminder(month, villages[row["advanced_village_id"]],
                                                  villages[row["lagging_village_id"]], row["offline"], row["required"])
                issued += self.issue(f"pairing_reminder:{row['pairing_id']}:{day.isoformat()}", town.id, notice,
                                     UUID(row["pairing_id"]), by)
        return issued

    def overdue_interviews(self, town: Town, day: date, by: UUID) -> list[FollowUp]:
        days = town.rulebook.overdue_days
        villages = self.people_on(town.id, day.isoformat()[:7])
        issued = []
        for row in self.open_interviews(town.id):
            if overdue(row["required_at"], day, days):
                notice = notices.interview_overdue(row["period"], villages[row["village_id"]], row["conductor"], days)
                issued += self.issue(f"interview_overdue:{row['interview_id']}:{row['required_at']}", town.id, notice,
                                     UUID(row["interview_id"]), by)
        return issued

    def open_interviews(self, town_id: UUID) -> list[dict]:
        self.projector.catch_up("consequences")
        return open_interviews(self.projector.store, str(town_id))

    def pending_sheets(self, town: Town, day: date, by: UUID) -> list[FollowUp]:
        return [f for contest_id in contests_in_evaluation(self.projector.store, str(town.id))
                for f in self.sheets_pending(self.load(Contest, contest_id), day.isoformat(), by)]


def followup(key: str, town_id: UUID, notice: notices.Notice, about_id: UUID | None, by: UUID,
             account_id: str | None) -> FollowUp:
    kind, recipient, subject, body = notice
    return created(FollowUp, FollowUp.Issued, followup_id(key), key=key, town_id=town_id, kind=kind,
                   recipient=recipient, subject=subject, body=body, about_id=about_id, by=by, account_id=account_id)


def consequence_notices(item, villages: dict) -> list[tuple[str, notices.Notice, str | None]]:
    """(key, notice, the recipient's account) for each notice an interview or sharing requires."""
    if isinstance(item, Interview) and item.status == "required":
        village = {**villages[item.village_id], "secretary": item.secretary}
        return [(f"interview_required:{item.id}:v{item.version}",
                 notices.interview_required(item.level, item.period, village, item.rank, item.score, item.conductor),
                 village.get("account_id")),
                (f"interview_conductor:{item.id}:v{item.version}",
                 notices.interview_for_conductor(item.level, item.period, village, item.conductor), None)]
    if isinstance(item, Sharing) and item.status == "invited":
        village = villages[item.village_id]
        return [(f"sharing_invited:{item.id}:v{item.version}", notices.sharing_invited(item.period, village, item.reason),
                 village.get("account_id"))]
    return []


def overdue(required_at: str, day: date, days: int) -> bool:
    """Not held within `days` days of being required, counted on the town's calendar."""
    required_on = datetime.fromisoformat(required_at).astimezone(SHANGHAI).date()
    return day > required_on + timedelta(days=days)
