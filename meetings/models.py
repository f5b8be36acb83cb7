"""Team meetings (第九–十条): the daily morning meeting with its five fixed
items (R-3.2), the weekly work meeting and the monthly summary meeting with
minutes, problems, competitors' moves and action items (R-3.1).

Every record is stamped with the team and branch it belongs to; scope
(``visible_to``) filters on the stamp (DESIGN: who sees what)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from meetings import rules


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        from meetings.selectors import visibility_q

        return self.filter(visibility_q(user, self.model))


class MeetingKind(models.TextChoices):
    MORNING = rules.Kind.MORNING, "晨会"
    WEEKLY = rules.Kind.WEEKLY, "周例会"
    MONTHLY = rules.Kind.MONTHLY, "月度总结例会"


# The five fixed items of the morning meeting, in the order held.
MORNING_ITEMS = (
    ("market", "当日市场信息与走势研判"),
    ("company_news", "公司最新精神、新产品、新业务、新任务"),
    ("progress_report", "团队工作进度汇报"),
    ("case_study", "营销案例学习与体会交流"),
    ("morale", "激励士气"),
)
# The minutes of a weekly or monthly meeting.
MINUTES_FIELDS = ("agenda", "minutes", "progress_review", "method_changes", "decisions")


class Meeting(models.Model):
    team = models.ForeignKey(
        "staff.Team", on_delete=models.PROTECT, related_name="+", verbose_name="团队"
    )
    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    kind = models.CharField("会议类型", max_length=10, choices=MeetingKind.choices)
    date = models.DateField("会议日期")
    # The day, week (its Monday) or month (its first day) the meeting counts for.
    period_start = models.DateField("所属期间")
    start_time = models.TimeField("开始时间", null=True, blank=True)
    place = models.CharField("地点", max_length=100, blank=True)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="主持人"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="记录人"
    )

    # 晨会 — the five fixed items.
    market = models.TextField(MORNING_ITEMS[0][1], blank=True)
    company_news = models.TextField(MORNING_ITEMS[1][1], blank=True)
    progress_report = models.TextField(MORNING_ITEMS[2][1], blank=True)
    case_study = models.TextField(MORNING_ITEMS[3][1], blank=True)
    morale = models.TextField(MORNING_ITEMS[4][1], blank=True)

    # 周例会 / 月度总结例会.
    agenda = models.TextField("会议议程", blank=True)
    minutes = models.TextField("会议纪要", blank=True)
    progress_review = models.TextField("工作进度回顾", blank=True)
    method_changes = models.TextField("工作方法调整", blank=True)
    decisions = models.TextField("会议决定", blank=True)
    # The team's target progress as it stood when the minutes were saved.
    progress_snapshot = models.JSONField("目标进度快照", default=dict, blank=True)

    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    history = HistoricalRecords(verbose_name="会议记录变更记录")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "例会记录"
        verbose_name_plural = "例会记录"
        ordering = ["-date", "team__code", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "kind", "period_start"], name="meeting_one_per_period"
            ),
            models.CheckConstraint(
                condition=~Q(kind=rules.Kind.MORNING) | Q(period_start=F("date")),
                name="meeting_morning_period_is_day",
            ),
        ]
        indexes = [
            models.Index(fields=["branch", "date"], name="meeting_branch_date"),
            models.Index(fields=["team", "date"], name="meeting_team_date"),
        ]

    def __str__(self) -> str:
        return f"{self.team.name} {self.date:%Y-%m-%d} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", args=[self.pk])

    @property
    def is_morning(self) -> bool:
        return self.kind == MeetingKind.MORNING

    @property
    def editable_until(self):
        return rules.editable_until(self.date)

    @property
    def period_label(self) -> str:
        if self.kind == MeetingKind.MORNING:
            return f"{self.period_start:%Y-%m-%d}"
        if self.kind == MeetingKind.WEEKLY:
            end = rules.period_end(self.kind, self.period_start)
            return f"{self.period_start:%m-%d}—{end:%m-%d} 周"
        return f"{self.period_start:%Y-%m} 月"


class AbsenceReason(models.TextChoices):
    LEAVE = "leave", "请假"
    OUTING = "outing", "外出展业/拜访客户"
    BUSINESS = "business", "公务/培训"
    LATE = "late", "迟到"
    UNEXCUSED = "unexcused", "无故缺席"
    OTHER = "other", "其他"


class MeetingAttendee(models.Model):
    """One line of the roll call (点名): present, or absent with a reason."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="attendees", verbose_name="会议"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meeting_attendance",
        verbose_name="人员",
    )
    present = models.BooleanField("出席", default=True)
    reason = models.CharField("缺席原因", max_length=10, choices=AbsenceReason.choices, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    history = HistoricalRecords(verbose_name="点名变更记录")

    class Meta:
        verbose_name = "点名"
        verbose_name_plural = "点名"
        ordering = ["meeting", "person__employee_no"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendee_once"),
            models.CheckConstraint(
                condition=Q(present=True, reason="") | Q(present=False) & ~Q(reason=""),
                name="attendee_reason_iff_absent",
            ),
        ]

    def __str__(self) -> str:
        state = "出席" if self.present else f"缺席（{self.get_reason_display()}）"
        return f"{self.person.name} {state}"


class MeetingProblem(models.Model):
    """A problem raised at a weekly or monthly meeting and how it was solved."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="problems", verbose_name="会议"
    )
    description = models.TextField("提出的问题")
    solution = models.TextField("解决办法", blank=True)
    solved = models.BooleanField("已解决", default=False)
    history = HistoricalRecords(verbose_name="问题变更记录")

    class Meta:
        verbose_name = "会议问题"
        verbose_name_plural = "会议问题"
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.description[:40]


class CompetitorNote(models.Model):
    """竞争对手动态: who did what, and where we heard it (R-3.1). Searchable
    across meetings and teams."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="competitor_notes", verbose_name="会议"
    )
    team = models.ForeignKey(
        "staff.Team", on_delete=models.PROTECT, related_name="+", verbose_name="团队"
    )
    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    date = models.DateField("日期")
    competitor = models.CharField("竞争对手", max_length=100, db_index=True)
    action = models.TextField("对手动态")
    source = models.CharField("信息来源", max_length=100, blank=True)
    history = HistoricalRecords(verbose_name="竞争对手信息变更记录")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "竞争对手信息"
        verbose_name_plural = "竞争对手信息"
        ordering = ["-date", "competitor", "id"]
        indexes = [models.Index(fields=["branch", "date"], name="competitor_branch_date")]

    def __str__(self) -> str:
        return f"{self.competitor}：{self.action[:30]}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "未开始"
    IN_PROGRESS = "in_progress", "进行中"
    DONE = "done", "已完成"
    CANCELLED = "cancelled", "已取消"


OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class ActionItem(models.Model):
    """A task decided at a meeting, with its owner and due date. It carries
    over to each following weekly or monthly meeting of the team until it is
    done (or cancelled)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="action_items", verbose_name="提出会议"
    )
    team = models.ForeignKey(
        "staff.Team", on_delete=models.PROTECT, related_name="+", verbose_name="团队"
    )
    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    description = models.CharField("事项", max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meeting_actions",
        verbose_name="负责人",
    )
    due_date = models.DateField("完成期限")
    status = models.CharField(
        "状态", max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    progress_note = models.CharField("进展说明", max_length=300, blank=True)
    closed_on = models.DateField("完成/取消日期", null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="最近更新人",
    )
    created_at = models.DateTimeField("提出时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="待办事项变更记录")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "会议待办事项"
        verbose_name_plural = "会议待办事项"
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["team", "status"], name="action_team_status"),
            models.Index(fields=["owner", "status"], name="action_owner_status"),
        ]

    def __str__(self) -> str:
        return self.description[:40]

    def get_absolute_url(self) -> str:
        return reverse("meetings:action_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ActionReview(models.Model):
    """An open action item carried over into a later meeting, with the
    status it had when that meeting was recorded."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="reviews", verbose_name="会议"
    )
    item = models.ForeignKey(
        ActionItem, on_delete=models.PROTECT, related_name="reviews", verbose_name="待办事项"
    )
    status = models.CharField("会上状态", max_length=12, choices=ActionStatus.choices)
    note = models.CharField("会上进展", max_length=300, blank=True)

    class Meta:
        verbose_name = "待办事项跟进"
        verbose_name_plural = "待办事项跟进"
        ordering = ["meeting", "item__due_date", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "item"], name="review_once_per_meeting")
        ]

    def __str__(self) -> str:
        return f"{self.item} @ {self.meeting}"
