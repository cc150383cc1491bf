"""The kinds of notification a user can choose to receive in the app and by e-mail."""
from flask_babel import lazy_gettext as _l

FOLLOW_UP = "follow_up"
STALE_TARGET = "stale_target"
LATENESS = "lateness"
WEEKLY_SUMMARY = "weekly_summary"
DAILY_DIGEST = "daily_digest"
ACTION_TODAY = "action_today"
LAND_IDLE = "land_idle"
POLICY_DUTY = "policy_duty"

# kind -> (label, in-app by default, e-mail by default)
KINDS = {
    FOLLOW_UP: (_l("跟进提醒"), True, False),
    STALE_TARGET: (_l("目标企业久未联系"), True, False),
    LATENESS: (_l("项目预警（开工、投产、资金、问题、督办逾期）"), True, False),
    WEEKLY_SUMMARY: (_l("每周工作汇总"), True, False),
    LAND_IDLE: (_l("闲置土地预警（满一年未动工、满两年可收回）"), True, False),
    POLICY_DUTY: (_l("政策条款到期事项（考核、报送、期限）"), True, False),
    DAILY_DIGEST: (_l("每日摘要（项目预警与久未联系的企业，每天一条）"), True, True),
    ACTION_TODAY: (_l("需本人处理的逾期督办事项"), True, False),
}

# Kinds gathered into each user's daily digest instead of one notification each: warnings repeat for every late
# project, and a hundred of them on a morning bury what needs action today. Their rows are kept (neither shown
# nor mailed) as the record of what the next digest lists.
DIGESTED = frozenset({STALE_TARGET, LATENESS})


def label(kind: str) -> str:
    return str(KINDS[kind][0]) if kind in KINDS else kind
