"""Judge analytics of one contest, worked from the sheet totals the Contest aggregate keeps."""

from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from domain.analytics import JudgeProfile, judge_profile, kendall_w
from domain.contest import Contest
from domain.rulebook import Rulebook
from domain.rules import published
from domain.town import Town

W_PLACES = Decimal("0.0001")


def contest_analytics(app, contest_id: UUID) -> dict:
    """Severity and corridor per judge, Kendall's W for the panel; figures published at 2 places, W at 4."""
    contest = app.load(Contest, contest_id)
    book = rulebook_of(app, contest)
    scale = sum((Decimal(c["max"]) for c in contest.criteria), Decimal(0))
    profiles = [judge_profile(contest.totals, judge, scale, book.trim)
                for judge in contest.judges]
    w = kendall_w(contest.totals)
    return {"contest_id": contest.id, "kendall_w": None if w is None else w.quantize(W_PLACES, ROUND_HALF_UP),
            "judges": [shown(profile) for profile in profiles]}


def rulebook_of(app, contest: Contest) -> Rulebook:
    """The rulebook the contest was published under, or the one in force for its month."""
    town = app.load(Town, contest.town_id)
    if contest.rulebook_version:
        return town.rulebook_version(contest.rulebook_version)
    return town.rulebook_for(contest.month)


def shown(profile: JudgeProfile) -> dict:
    return {"judge_id": profile.judge_id,
            "severity": None if profile.severity is None else published(profile.severity),
            "outside_corridor": [{"village_id": mark.village_id, "total": mark.total,
                                  "others_mean": published(mark.others_mean)} for mark in profile.outside_corridor]}
