"""Use cases of the consequences: interviews (约谈) and sharing invitations (经验分享), settled at each close."""

from decimal import Decimal
from uuid import UUID

from domain.boards import Board, standing_score
from domain.consequences import Interview, Sharing
from domain.creation import created
from domain.town import Town
from projections.consequences import interviews_of, recorded_interviews, recorded_sharings, sharings_of
from projections.followups import delivered_sharings

from .followups import overdue, today
from .retry import retried


class ConsequenceUseCases:
    """Mixed into the Application: interviews (约谈) and sharing invitations (经验分享)."""

    # Consequences

    def settle_interviews(self, town_id, level, period, before: set, board: Board, villages: dict, by) -> list:
        """New bottom villages are required; villages no longer at the bottom are withdrawn, with a reason."""
        rows = board.rows()
        ids = {v: Interview.create_id(town_id, level, period, v) for v in sorted(board.listed("bottom") - before)}
        known = self.recorded("interviews", ids.values())
        changed = []
        for village_id, interview_id in ids.items():
            row = rows[village_id]
            if str(interview_id) in known:
                changed.append(self.load(Interview, interview_id))
                changed[-1].require_again(row.rank, standing_score(row), by)
            else:
                changed.append(created(Interview, Interview.Required, interview_id, town_id=town_id, level=level,
                                       period=period, village_id=village_id, secretary=villages[village_id]["secretary"],
                                       track=row.track, rank=row.rank, score=standing_score(row), by=by))
        for village_id in sorted(before - board.listed("bottom")):
            found = self.load(Interview, Interview.create_id(town_id, level, period, village_id))
            if found.status in ("required", "scheduled"):
                found.withdraw(f"{period}排名重新确定后，不再位列后{len(board.bottom)}名", by)
                changed.append(found)
        return changed

    def settle_sharings(self, town_id, period, before: dict, board: Board, by) -> list:
        reasons = {v: "improved" for v in board.listed("improved")}
        reasons.update({v: "top" for v in board.listed("top")})
        invited_before = before["top"] | before["improved"]
        ids = {v: Sharing.create_id(town_id, period, v) for v in sorted(set(reasons) - invited_before)}
        texts = [str(i) for i in ids.values()]
        known = self.recorded("sharings", texts)
        changed = []
        for (village_id, sharing_id), text in zip(ids.items(), texts):
            if text in known:
                changed.append(self.load(Sharing, sharing_id))
                changed[-1].invite_again(reasons[village_id], by)
            else:
                changed.append(created(Sharing, Sharing.Invited, sharing_id, town_id=town_id, period=period,
                                       village_id=village_id, reason=reasons[village_id], by=by))
        for village_id in sorted(invited_before - set(reasons)):
            found = self.load(Sharing, Sharing.create_id(town_id, period, village_id))
            found.withdraw(f"{period}排名重新确定后，不再位列前列或进步明显", by)
            changed.append(found)
        return changed

    def recorded(self, table: str, ids) -> set[str]:
        """Which of these interviews or sharings exist, in one query of the read model; one recorded since
        makes the save fail on its version, and the command is retried."""
        self.projector.catch_up("consequences")
        store = self.projector.store
        ids = [str(i) for i in ids]
        return recorded_interviews(store, ids) if table == "interviews" else recorded_sharings(store, ids)

    def interviews(self, town_id: UUID, level: str | None, status: str | None) -> list[dict]:
        self.read(Town, town_id)
        self.projector.catch_up("consequences")
        rows = interviews_of(self.projector.store, str(town_id))
        days = self.read(Town, town_id).rulebook.overdue_days
        return [{**interview_out(r), "overdue": r["status"] in ("required", "scheduled") and overdue(r["required_at"], today(), days)}
                for r in rows if level in (None, r["level"]) and status in (None, r["status"])]

    def sharings(self, town_id: UUID, period: str | None) -> list[dict]:
        self.read(Town, town_id)
        self.projector.catch_up("consequences")
        self.projector.catch_up("followups")
        rows = sharings_of(self.projector.store, str(town_id))
        delivered = delivered_sharings(self.projector.store, str(town_id))
        return [{"id": r["sharing_id"], "village_id": r["village_id"], "period": r["period"], "reason": r["reason"],
                 "status": "delivered" if r["status"] == "invited" and r["sharing_id"] in delivered else r["status"]}
                for r in rows if period in (None, r["period"])]

    def interview(self, interview_id: UUID) -> dict:
        found = self.load(Interview, interview_id)
        return {"id": found.id, "village_id": found.village_id, "secretary": found.secretary, "level": found.level,
                "period": found.period, "conductor": found.conductor, "status": found.status, "rank": found.rank,
                "score": found.score, "track": found.track, "pledge": getattr(found, "pledge", None)}

    @retried
    def schedule_interview(self, interview_id: UUID, at, by: UUID) -> dict:
        return self.change_interview(interview_id, lambda i: i.schedule(at, by))

    @retried
    def hold_interview(self, interview_id: UUID, held_at, minutes: str, by: UUID, pledge: str | None = None) -> dict:
        return self.change_interview(interview_id, lambda i: i.hold(held_at, minutes, by, pledge))

    @retried
    def hold_sharing(self, sharing_id: UUID, on: str, summary: str, by: UUID) -> dict:
        sharing = self.load(Sharing, sharing_id)
        sharing.hold(on, summary, by)
        self.save(sharing)
        return {"id": sharing.id, "village_id": sharing.village_id, "period": sharing.period, "reason": sharing.reason,
                "status": sharing.status, "held_on": sharing.held_on, "summary": sharing.summary}

    @retried
    def waive_interview(self, interview_id: UUID, reason: str, by: UUID) -> dict:
        return self.change_interview(interview_id, lambda i: i.waive(reason, by))

    def change_interview(self, interview_id: UUID, change) -> dict:
        found = self.load(Interview, interview_id)
        change(found)
        self.save(found)
        return self.interview(found.id)


def interview_out(row: dict) -> dict:
    return {"id": row["interview_id"], "village_id": row["village_id"], "secretary": row["secretary"],
            "level": row["level"], "period": row["period"], "conductor": row["conductor"], "status": row["status"],
            "rank": row["rank"], "score": None if row["score"] in (None, "None") else Decimal(row["score"]),
            "track": row["track"]}
