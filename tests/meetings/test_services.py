"""Recording meetings, the roll call, late recording and the seven-day
edit window, action items carried over until done (R-3.1–R-3.3)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from approvals.models import Notice
from meetings import services
from meetings.models import (
    AbsenceReason,
    ActionItem,
    ActionReview,
    ActionStatus,
    CompetitorNote,
    Meeting,
    MeetingKind,
    MeetingProblem,
)
from staff.models import Team
from tests.meetings.helpers import (
    MINUTES,
    ActionEntry,
    CompetitorEntry,
    Mark,
    ProblemEntry,
    ReviewEntry,
    at,
    morning,
    weekly,
)

pytestmark = pytest.mark.django_db

WED = dt.date(2026, 11, 25)


def test_morning_meeting_keeps_the_five_items_and_the_roll_of_the_whole_team(mt):
    #
    meeting = morning(
        mt, WED, roll={mt.a_cm2.pk: Mark(False, AbsenceReason.UNEXCUSED, "")}, host=mt.a_gl
    )
    assert meeting.kind == MeetingKind.MORNING
    assert meeting.period_start == WED
    assert meeting.market.startswith("隔夜美股")
    assert meeting.morale == "本周目标开户 15 户，加油！"
    assert meeting.minutes == ""
    lines = {a.person.employee_no: a for a in meeting.attendees.all()}
    assert set(lines) == {"a_tl", "a_gl", "a_cm1", "a_cm2", "a_rm", "a_rec"}
    assert not lines["a_cm2"].present
    assert lines["a_cm2"].reason == AbsenceReason.UNEXCUSED
    assert all(a.present for k, a in lines.items() if k != "a_cm2")
    assert (meeting.host, meeting.recorded_by, meeting.branch) == (mt.a_gl, mt.a_tl, mt.b1)


def test_a_team_holds_one_morning_meeting_a_day(mt):
    morning(mt, WED)
    with pytest.raises(ValidationError, match="晨会已经记录过了"):
        morning(mt, WED, actor=mt.a_cm1)
    assert Meeting.objects.count() == 1


def test_morning_meetings_are_for_branch_teams_only(mt):
    with pytest.raises(ValidationError, match="只适用于营业部团队"):
        morning(mt, WED, actor=mt.b_tl, team=mt.team_b)


def test_at_least_one_of_the_five_items_is_needed(mt):
    with pytest.raises(ValidationError, match="至少填写"):
        morning(mt, WED, market="", company_news="", progress_report="", case_study="", morale="")


def test_an_absence_needs_a_reason_and_other_needs_a_note(mt):
    with pytest.raises(ValidationError, match="缺席须选择原因"):
        morning(mt, WED, roll={mt.a_cm1.pk: Mark(False, "", "")})
    with pytest.raises(ValidationError, match="请写明说明"):
        morning(mt, WED, roll={mt.a_cm1.pk: Mark(False, AbsenceReason.OTHER, " ")})
    meeting = morning(mt, WED, roll={mt.a_cm1.pk: Mark(False, AbsenceReason.OTHER, "送孩子")})
    assert meeting.attendees.get(person=mt.a_cm1).note == "送孩子"


def test_the_roll_takes_only_people_posted_to_the_team_that_day(mt):
    with pytest.raises(ValidationError, match="不在该日团队名单"):
        morning(mt, WED, roll={mt.b_cm1.pk: Mark(True)})


def test_the_host_is_a_member_or_a_leader(mt):
    with pytest.raises(ValidationError, match="主持人须为"):
        morning(mt, WED, host=mt.b_cm1)
    meeting = morning(mt, WED, host=mt.bm1)  # the branch manager may host
    assert meeting.host == mt.bm1


def test_who_may_record_a_teams_meeting(mt):
    assert morning(mt, WED, actor=mt.a_cm1).recorded_by == mt.a_cm1  # a member
    with pytest.raises(ValidationError, match="只有团队成员"):
        morning(mt, WED + dt.timedelta(days=1), actor=mt.b_tl, host=mt.a_tl)
    with pytest.raises(ValidationError, match="只有团队成员"):
        morning(mt, WED + dt.timedelta(days=1), actor=mt.bm1, host=mt.a_tl)


def test_a_meeting_is_recorded_on_the_day_or_up_to_seven_days_late(mt):
    with pytest.raises(ValidationError, match="尚未召开"):
        morning(mt, WED, when=WED - dt.timedelta(days=1))
    assert morning(mt, dt.date(2026, 11, 18), when=WED).date == dt.date(2026, 11, 18)
    with pytest.raises(ValidationError, match="只能补录 7 天内"):
        morning(mt, dt.date(2026, 11, 17), when=WED)


def test_a_preparing_team_records_no_meetings(mt):
    Team.objects.filter(pk=mt.team_a.pk).update(status=Team.Status.PREPARING)
    mt.team_a.refresh_from_db()
    with pytest.raises(ValidationError, match="只有团队成员"):
        morning(mt, WED)


def test_a_weekly_meeting_counts_for_its_week_once(mt):
    meeting = weekly(mt, WED)
    assert meeting.period_start == dt.date(2026, 11, 23)
    assert meeting.minutes == MINUTES["minutes"]
    assert meeting.market == ""
    with pytest.raises(ValidationError, match="这一周的周例会已经记录过了"):
        weekly(mt, dt.date(2026, 11, 27))
    assert weekly(mt, dt.date(2026, 11, 30), when=dt.date(2026, 11, 30)).period_start == dt.date(
        2026, 11, 30
    )


def test_minutes_are_required_for_weekly_and_monthly_meetings(mt):
    with pytest.raises(ValidationError, match="请填写会议纪要"):
        weekly(mt, WED, content={"minutes": "  "})


def test_a_monthly_meeting_sums_up_its_month_or_the_previous_one_in_the_first_ten_days(mt):
    early = dt.date(2026, 11, 5)
    assert weekly(mt, early, kind=MeetingKind.MONTHLY).period_start == dt.date(2026, 10, 1)
    explicit = weekly(
        mt, dt.date(2026, 11, 6), kind=MeetingKind.MONTHLY, summary_month=dt.date(2026, 11, 1)
    )
    assert explicit.period_start == dt.date(2026, 11, 1)
    with pytest.raises(ValidationError, match="只能总结本月"):
        weekly(
            mt, dt.date(2026, 11, 20), kind=MeetingKind.MONTHLY, summary_month=dt.date(2026, 10, 1)
        )
    with pytest.raises(ValidationError, match="2026年11月的月度总结例会已经记录过了"):
        weekly(mt, WED, kind=MeetingKind.MONTHLY)


def test_weekly_minutes_keep_the_target_progress_of_the_month(mt):
    # The team's target progress shown beside the minutes (teams.selectors).
    meeting = weekly(mt, WED)
    snap = meeting.progress_snapshot
    assert (snap["year"], snap["month"]) == (2026, 11)
    assert set(snap["target"]) == {"new_accounts", "net_revenue", "client_assets"}
    assert snap["has_split"] is False
    assert morning(mt, WED).progress_snapshot == {}


def test_problems_and_competitor_information_are_structured(mt):
    meeting = weekly(
        mt,
        WED,
        problems=[ProblemEntry("网点客流下降", "改为社区驻点", True), ProblemEntry("开户审核慢")],
        competitors=[CompetitorEntry("某某证券", "在同一网点推出万一佣金", "客户反映")],
    )
    assert [(p.description, p.solved) for p in meeting.problems.all()] == [
        ("网点客流下降", True),
        ("开户审核慢", False),
    ]
    note = CompetitorNote.objects.get()
    assert (note.team, note.branch, note.date, note.source) == (mt.team_a, mt.b1, WED, "客户反映")
    with pytest.raises(ValidationError, match="须写明对手及其动态"):
        weekly(mt, WED + dt.timedelta(days=7), competitors=[CompetitorEntry("某证券", " ")])


def test_action_items_carry_over_to_each_following_meeting_until_done(mt):
    # action items with owner, due date and status carry over.
    w1 = weekly(
        mt,
        dt.date(2026, 11, 4),
        actions=[
            ActionEntry("联系社区居委会办讲座", mt.a_cm1, dt.date(2026, 11, 20)),
            ActionEntry("整理意向客户名单", mt.a_cm2, dt.date(2026, 11, 10)),
        ],
    )
    talk, names = w1.action_items.order_by("description")
    talk, names = (talk, names) if talk.owner == mt.a_cm1 else (names, talk)
    assert {i.status for i in w1.action_items.all()} == {ActionStatus.OPEN}

    w2 = weekly(
        mt,
        dt.date(2026, 11, 11),
        reviews={
            talk.pk: ReviewEntry(ActionStatus.IN_PROGRESS, "已约居委会"),
            names.pk: ReviewEntry(ActionStatus.DONE, "已交"),
        },
    )
    assert {r.item_id: r.status for r in w2.reviews.all()} == {
        talk.pk: ActionStatus.IN_PROGRESS,
        names.pk: ActionStatus.DONE,
    }
    talk.refresh_from_db()
    assert (talk.status, talk.progress_note) == (ActionStatus.IN_PROGRESS, "已约居委会")

    w3 = weekly(mt, dt.date(2026, 11, 18))  # still open: carried again, unchanged
    assert list(w3.reviews.values_list("item_id", "status")) == [
        (talk.pk, ActionStatus.IN_PROGRESS)
    ]
    with at(2026, 11, 19):
        services.transition_action(actor=mt.a_cm1, item=talk, status=ActionStatus.DONE)
    monthly = weekly(mt, dt.date(2026, 11, 25), kind=MeetingKind.MONTHLY)
    assert not monthly.reviews.exists()
    talk.refresh_from_db()
    assert (talk.status, talk.closed_on) == (ActionStatus.DONE, dt.date(2026, 11, 19))
    assert morning(mt, dt.date(2026, 11, 26)).reviews.count() == 0


def test_new_action_items_are_told_to_their_owners(mt):
    weekly(mt, WED, actions=[ActionEntry("回访三位高净值客户", mt.a_cm1, dt.date(2026, 12, 2))])
    notice = Notice.objects.get(user=mt.a_cm1)
    assert "回访三位高净值客户" in notice.body
    assert not Notice.objects.filter(user=mt.a_tl).exists()


def test_an_action_item_has_an_owner_from_the_team_and_a_due_date_after_the_meeting(mt):
    with pytest.raises(ValidationError, match="负责人须为团队成员"):
        weekly(mt, WED, actions=[ActionEntry("某事", mt.b_cm1, dt.date(2026, 12, 2))])
    with pytest.raises(ValidationError, match="完成期限早于会议日期"):
        weekly(mt, WED, actions=[ActionEntry("某事", mt.a_cm1, dt.date(2026, 11, 20))])


def test_minutes_can_be_corrected_for_seven_days_then_are_read_only(mt):
    # with time-machine.
    meeting = weekly(mt, WED, problems=[ProblemEntry("问题一")])
    kwargs = {
        "meeting": meeting,
        "host": mt.a_tl,
        "roll": {mt.a_cm1.pk: Mark(False, AbsenceReason.LEAVE, "")},
    }
    with at(2026, 12, 2, 20):  # the seventh day after
        services.update_meeting(
            actor=mt.a_tl, content={**MINUTES, "decisions": "改为周四举办讲座。"}, **kwargs
        )
    meeting.refresh_from_db()
    assert meeting.decisions == "改为周四举办讲座。"
    assert not meeting.attendees.get(person=mt.a_cm1).present
    assert meeting.history.count() == 2
    with at(2026, 12, 3, 8), pytest.raises(ValidationError, match="之后只读"):
        services.update_meeting(actor=mt.a_tl, content=MINUTES, **kwargs)


def test_action_item_status_still_moves_after_the_minutes_are_read_only(mt):
    meeting = weekly(mt, WED, actions=[ActionEntry("写案例", mt.a_cm2, dt.date(2026, 12, 9))])
    item = meeting.action_items.get()
    with at(2027, 1, 15):
        services.transition_action(
            actor=mt.a_cm2, item=item, status=ActionStatus.DONE, note="已在晨会分享"
        )
    item.refresh_from_db()
    assert (item.status, item.progress_note, item.closed_on) == (
        ActionStatus.DONE,
        "已在晨会分享",
        dt.date(2027, 1, 15),
    )
    assert item.history.first().history_user == mt.a_cm2


def test_action_item_moves_follow_the_table_and_only_leaders_cancel(mt):
    meeting = weekly(mt, WED, actions=[ActionEntry("写案例", mt.a_cm2, dt.date(2026, 12, 9))])
    item = meeting.action_items.get()
    with at(2026, 11, 26):
        with pytest.raises(ValidationError, match="已经是"):
            services.transition_action(actor=mt.a_cm2, item=item, status=ActionStatus.OPEN)
        with pytest.raises(ValidationError, match="只有团队负责人或营业部负责人可以取消"):
            services.transition_action(actor=mt.a_cm2, item=item, status=ActionStatus.CANCELLED)
        with pytest.raises(ValidationError, match="只有负责人"):
            services.transition_action(actor=mt.a_cm1, item=item, status=ActionStatus.DONE)
        services.transition_action(actor=mt.a_cm2, item=item, status=ActionStatus.DONE)
        with pytest.raises(ValidationError, match="不能从“已完成”改为“已取消”"):
            services.transition_action(actor=mt.a_tl, item=item, status=ActionStatus.CANCELLED)
        services.transition_action(actor=mt.a_tl, item=item, status=ActionStatus.IN_PROGRESS)
        services.transition_action(actor=mt.bm1, item=item, status=ActionStatus.CANCELLED)
    item.refresh_from_db()
    assert item.status == ActionStatus.CANCELLED
    assert [h.status for h in item.history.order_by("history_date")] == [
        "open",
        "done",
        "in_progress",
        "cancelled",
    ]


def test_a_correction_cancels_removed_action_items_and_keeps_removed_rows_in_history(mt):
    meeting = weekly(
        mt,
        WED,
        problems=[ProblemEntry("问题一"), ProblemEntry("问题二")],
        actions=[
            ActionEntry("甲事", mt.a_cm1, dt.date(2026, 12, 2)),
            ActionEntry("乙事", mt.a_cm2, dt.date(2026, 12, 2)),
        ],
    )
    first, second = meeting.problems.order_by("id")
    keep = meeting.action_items.get(description="甲事")
    with at(2026, 11, 27):
        services.update_meeting(
            actor=mt.a_tl,
            meeting=meeting,
            host=mt.a_tl,
            content=MINUTES,
            roll={},
            problems=[ProblemEntry("问题一（已解决）", "找营业部协调", True, pk=first.pk)],
            actions=[ActionEntry("甲事", mt.a_cm1, dt.date(2026, 12, 4), pk=keep.pk)],
            reason="补充",
        )
    first.refresh_from_db()
    assert (first.description, first.solved) == ("问题一（已解决）", True)
    assert not MeetingProblem.objects.filter(pk=second.pk).exists()
    assert MeetingProblem.history.filter(id=second.pk, history_type="-").exists()
    statuses = dict(ActionItem.objects.values_list("description", "status"))
    assert statuses == {"甲事": ActionStatus.OPEN, "乙事": ActionStatus.CANCELLED}
    keep.refresh_from_db()
    assert keep.due_date == dt.date(2026, 12, 4)


def test_only_the_recorder_the_host_and_the_leader_correct_minutes(mt):
    meeting = weekly(mt, WED, actor=mt.a_rec, host=mt.a_gl)
    for who in (mt.a_rec, mt.a_gl, mt.a_tl):
        with at(2026, 11, 26):
            services.update_meeting(
                actor=who, meeting=meeting, host=mt.a_gl, content=MINUTES, roll={}
            )
    for who in (mt.a_cm1, mt.bm1):
        with at(2026, 11, 26), pytest.raises(ValidationError, match="只有记录人"):
            services.update_meeting(
                actor=who, meeting=meeting, host=mt.a_gl, content=MINUTES, roll={}
            )


def test_reviews_are_kept_per_meeting(mt):
    w1 = weekly(mt, dt.date(2026, 11, 4), actions=[ActionEntry("甲事", mt.a_cm1, WED)])
    weekly(mt, dt.date(2026, 11, 11))
    weekly(mt, dt.date(2026, 11, 18))
    item = w1.action_items.get()
    assert ActionReview.objects.filter(item=item).count() == 2
