"""Building blocks for meetings tests: frozen local time and meetings
recorded through the real services."""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

from meetings import services
from meetings.models import MeetingKind
from meetings.services import ActionEntry, CompetitorEntry, Mark, ProblemEntry, ReviewEntry

TZ = ZoneInfo("Asia/Shanghai")

MORNING = {
    "market": "隔夜美股收涨，A 股预计高开震荡，关注券商板块。",
    "company_news": "公司推出新一期收益凭证，本周起开放认购。",
    "progress_report": "昨日新开户 3 户，引入资产 120 万元。",
    "case_study": "分享：代发工资客户转化为定投客户的做法。",
    "morale": "本周目标开户 15 户，加油！",
}
MINUTES = {
    "agenda": "一、上周工作回顾；二、问题讨论；三、本周安排",
    "minutes": "上周开户 12 户，完成目标的 80%；网点驻点效果好于电话营销。",
    "progress_review": "开户进度略落后，净收入达标。",
    "method_changes": "把电话回访改到下午 3 点以后。",
    "decisions": "周三在网点举办理财讲座。",
}


def at(year, month, day, hour=10, minute=0):
    """Freezes local (Asia/Shanghai) time."""
    return time_machine.travel(dt.datetime(year, month, day, hour, minute, tzinfo=TZ), tick=False)


def morning(org, day, *, actor=None, team=None, roll=None, host=None, when=None, **content):
    """Records a morning meeting of team A as its leader, on the day itself."""
    when = when or day
    with at(when.year, when.month, when.day, 9, 30):
        return services.record_meeting(
            actor=actor or org.a_tl,
            team=team or org.team_a,
            kind=MeetingKind.MORNING,
            date=day,
            host=host or actor or org.a_tl,
            content={**MORNING, **content},
            roll=roll or {},
        )


def weekly(org, day, *, kind=MeetingKind.WEEKLY, actor=None, team=None, when=None, **kwargs):
    when = when or day
    with at(when.year, when.month, when.day, 16):
        return services.record_meeting(
            actor=actor or org.a_tl,
            team=team or org.team_a,
            kind=kind,
            date=day,
            host=kwargs.pop("host", None) or actor or org.a_tl,
            content={**MINUTES, **kwargs.pop("content", {})},
            roll=kwargs.pop("roll", {}),
            **kwargs,
        )


__all__ = [
    "MINUTES",
    "MORNING",
    "ActionEntry",
    "CompetitorEntry",
    "Mark",
    "ProblemEntry",
    "ReviewEntry",
    "at",
    "morning",
    "weekly",
]
