"""The scoring form's refusals as sentences in Chinese, each beside the field at fault.

The domain still decides (the use case checks again, atomically); these say why before anything is sent,
in the words a judge reads on the phone.
"""

from decimal import Decimal, InvalidOperation

from domain.contest import STAGE_LABELS, Contest
from domain.errors import DomainError, ForbiddenError, InvalidError

from ..policy import allowed


def read_marks(criteria: list[dict], entered: dict[str, str]) -> tuple[dict[str, Decimal], dict[str, list[str]]]:
    """The entered marks as Decimals, and a sentence for each that is empty, not a number or out of 0..max."""
    marks, problems = {}, {}
    for criterion in criteria:
        key, top = criterion["key"], Decimal(str(criterion["max"]))
        mark, problem = one_mark(entered.get(key, ""), top)
        if problem:
            problems[f"mark-{key}"] = [problem]
        else:
            marks[key] = mark
    return marks, problems


def one_mark(text: str, top: Decimal) -> tuple[Decimal | None, str | None]:
    if not text:
        return None, "请填写这一项的分数"
    try:
        mark = Decimal(text)
    except InvalidOperation:
        return None, "请填写数字"
    if not mark.is_finite():
        return None, "请填写数字"
    if mark < 0:
        return None, "分数不能低于 0 分"
    if mark > top:
        return None, f"分数不能超过满分 {top:g} 分"
    return mark, None


def refusals(match: Contest, judge: str, village: str, existing, marks: dict, reason: str, viewer) -> dict:
    """What refuses this sheet now: the stage, the panel, a recusal (回避), a correction without its reason."""
    if judge not in match.judges:
        return {"_": ["不在本场擂台的评委名单中，不能为本场打分。"]}
    if match.recusals.get(judge) == village:
        return {"_": ["评委来自该村，按回避规定不为该村打分。"]}
    stage = stage_refusal(match, existing, viewer)
    if stage:
        return {"_": [stage]}
    if existing is not None and marks and existing.marks != marks and not reason:
        return {"reason": ["已提交过评分，更正须填写理由。"]}
    return {}


def stage_refusal(match: Contest, existing, viewer) -> str | None:
    if match.stage == "evaluation":
        return None
    if match.stage == "published" and existing is not None and allowed(viewer, "amend_after_publication"):
        return None
    if match.stage == "published":
        return "结果已经公布，评分不能再改；如有异议请在申诉期内提出申诉。"
    return f"本场擂台现在是“{STAGE_LABELS[match.stage]}”环节，到“集中评比”环节才能打分。"


def sentence_for(error: DomainError) -> str:
    """A refusal the checks above did not foresee (the contest moved on meanwhile), said in Chinese."""
    if isinstance(error, ForbiddenError):
        return "没有为该村打分的权限，未记录。"
    if isinstance(error, InvalidError):
        return "评分或理由不符合要求，未记录。"
    return "擂台的状态刚刚变化，这份评分未记录，请刷新页面后再看。"
