"""The Chinese labels the pages show for the programme's codes; the domain's own tables are gathered here too."""

from domain.boards import BASIS_LABELS, FLAG_LABELS, GRADE_LABELS
from domain.consequences import LEVEL_LABELS
from domain.contest import DOMAIN_LABELS, FORM_LABELS, STAGE_LABELS
from domain.village import TRACK_LABELS, TRACKS

ROLE_LABELS = {"organizer": "组织办", "judge": "评委", "secretary": "村党组织书记", "auditor": "审计 / 镇领导"}
STATUS_LABELS = {"provisional": "暂定", "closed": "已关账"}
INTERVIEW_LABELS = {"required": "待约谈", "scheduled": "已安排", "held": "已约谈", "waived": "已免除", "withdrawn": "已撤回"}
SHARING_LABELS = {"invited": "已邀请", "delivered": "已通知", "held": "已分享", "withdrawn": "已撤回"}
REASON_LABELS = {"top": "排名前列", "improved": "进步明显"}
MODE_LABELS = {"offline": "线下", "online": "线上"}
BLOCKER_LABELS = {"closed": "已关账", "not_over": "月份未结束", "out_of_order": "关账顺序",
                  "previous_open": "前一月份未关账", "duty_lists_missing": "缺少职责清单",
                  "contests_unsettled": "擂台未公布", "appeals_open": "申诉未处理"}
WITHDRAWN_LABELS = {"interview": "约谈", "sharing": "经验分享"}
APPEAL_LABELS = {"open": "待处理", "upheld": "申诉成立", "rejected": "申诉驳回"}

LABELS = {"TRACK_LABELS": TRACK_LABELS, "TRACKS": TRACKS, "GRADE_LABELS": GRADE_LABELS,
          "STATUS_LABELS": STATUS_LABELS, "STAGE_LABELS": STAGE_LABELS, "DOMAIN_LABELS": DOMAIN_LABELS,
          "FORM_LABELS": FORM_LABELS, "INTERVIEW_LABELS": INTERVIEW_LABELS, "SHARING_LABELS": SHARING_LABELS,
          "REASON_LABELS": REASON_LABELS, "MODE_LABELS": MODE_LABELS, "FLAG_LABELS": FLAG_LABELS,
          "ROLE_LABELS": ROLE_LABELS, "LEVEL_LABELS": LEVEL_LABELS, "BASIS_LABELS": BASIS_LABELS,
          "BLOCKER_LABELS": BLOCKER_LABELS, "WITHDRAWN_LABELS": WITHDRAWN_LABELS, "APPEAL_LABELS": APPEAL_LABELS}
