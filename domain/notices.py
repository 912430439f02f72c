"""The words of each follow-up, in Chinese: (kind, recipient, subject, body)."""

from .consequences import LEVEL_LABELS
from .village import TRACK_LABELS

Notice = tuple[str, str, str, str]


def interview_required(level: str, period: str, village: dict, rank: int, score, conductor: str) -> Notice:
    what = "在全镇大会作表态发言" if level == "annual" else f"接受{conductor}约谈"
    return ("interview_required", f"{village['secretary']}（{village['name']}）",
            f"{period}{LEVEL_LABELS[level]}：{village['name']}",
            f"{village['name']}在{period}{TRACK_LABELS[village['track']]}赛道排名第{rank}位（得分{score}），"
            f"位列后几名，请{village['secretary']}同志{what}。")


def interview_overdue(period: str, village: dict, conductor: str, days: int) -> Notice:
    return ("interview_overdue", conductor, f"约谈逾期：{village['name']}（{period}）",
            f"{village['name']}书记{village['secretary']}的{period}约谈已超过{days}天未完成，请尽快安排。")


def sharing_invited(period: str, village: dict, reason: str) -> Notice:
    why = "排名前列" if reason == "top" else "进步明显"
    return ("sharing_invited", f"{village['secretary']}（{village['name']}）", f"{period}经验分享邀请：{village['name']}",
            f"{village['name']}在{period}擂台比武中{why}，请{village['secretary']}同志在全镇会议上分享工作经验。")


def pairing_reminder(month: str, advanced: dict, lagging: dict, offline: int, required: int) -> Notice:
    return ("pairing_reminder", f"{advanced['secretary']}、{lagging['secretary']}",
            f"结对交流提醒：{advanced['name']}—{lagging['name']}",
            f"{month}{advanced['name']}与{lagging['name']}已开展线下交流{offline}次，"
            f"每月至少{required}次，请抓紧安排。")


def pairing_shortfall(month: str, advanced: dict, lagging: dict, offline: int, required: int) -> Notice:
    return ("pairing_shortfall", f"{advanced['secretary']}、{lagging['secretary']}",
            f"结对交流不足：{advanced['name']}—{lagging['name']}（{month}）",
            f"{month}{advanced['name']}与{lagging['name']}仅开展线下交流{offline}次，未达到每月{required}次的要求，已记录。")


def sheets_pending(theme: str, month: str, judge: str, missing: int) -> Notice:
    return ("sheets_pending", judge, f"待评分提醒：{month}“{theme}”擂台",
            f"{judge}，“{theme}”擂台已进入集中评比环节，您还有{missing}份评分表未提交。")


def interview_for_conductor(level: str, period: str, village: dict, conductor: str) -> Notice:
    what = "组织表态发言" if level == "annual" else "安排约谈"
    return ("interview_conductor", conductor, f"{period}{LEVEL_LABELS[level]}待安排：{village['name']}",
            f"{village['name']}书记{village['secretary']}位列{period}后几名，请{conductor}{what}。")
