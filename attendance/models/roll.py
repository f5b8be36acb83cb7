"""The daily roll (R-2.2, R-2.3, R-2.4): one day per team, one record per
person per day, and the disputes a person raises against his record."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from attendance.models.choices import Half, LeaveKind


class ScopedQuerySet(models.QuerySet):
    """``visible_to(user)`` delegates to the app's selectors, which know
    each model's stamp (DESIGN: who sees what)."""

    def visible_to(self, user):
        from attendance.selectors import visibility_q

        return self.filter(visibility_q(user, self.model))


class AttendanceDay(models.Model):
    """A team's saved roll for one working day. Saving is atomic; every later
    save is a correction with a reason (revision > 1)."""

    team = models.ForeignKey(
        "staff.Team", on_delete=models.PROTECT, related_name="+", verbose_name="团队"
    )
    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    date = models.DateField("日期")
    provisional = models.BooleanField(
        "暂定日历", default=False, help_text="该年官方节假日安排尚未录入"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="记录人"
    )
    recorded_at = models.DateTimeField("首次记录时间", auto_now_add=True)
    revision = models.PositiveSmallIntegerField("版本", default=1)
    last_reason = models.CharField("最近更正原因", max_length=200, blank=True)
    updated_at = models.DateTimeField("最近保存时间", auto_now=True)
    history = HistoricalRecords(verbose_name="日考勤变更记录")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "日考勤"
        verbose_name_plural = "日考勤"
        ordering = ["-date", "team"]
        constraints = [models.UniqueConstraint(fields=["team", "date"], name="att_day_team_date")]

    def __str__(self) -> str:
        return f"{self.team.name} {self.date}"


class AttendanceRecord(models.Model):
    """One person's attendance on one working day.

    ``present_days``, ``leave_days`` and ``absent_days`` always add up to one
    day; they are written only by the roll services so the monthly sheet is a
    plain sum."""

    class Status(models.TextChoices):
        PRESENT = "present", "出勤"
        ABSENT = "absent", "旷工"
        LEAVE = "leave", "请假"

    day = models.ForeignKey(
        AttendanceDay, on_delete=models.PROTECT, related_name="records", verbose_name="日考勤"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="attendance_records",
        verbose_name="人员",
    )
    date = models.DateField("日期")
    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    team = models.ForeignKey(
        "staff.Team", on_delete=models.PROTECT, related_name="+", verbose_name="团队"
    )
    group = models.ForeignKey(
        "staff.Group",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="小组",
    )
    outlet = models.ForeignKey(
        "staff.Outlet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="网点",
    )
    # The outlet's hours that day, kept so a later change of hours does not
    # rewrite history.
    work_start = models.TimeField("上班时间")
    work_end = models.TimeField("下班时间")
    status = models.CharField("出勤情况", max_length=10, choices=Status.choices)
    arrived_at = models.TimeField("到岗时间", null=True, blank=True)
    late_minutes = models.PositiveSmallIntegerField("迟到分钟", default=0)
    left_at = models.TimeField("离岗时间", null=True, blank=True)
    early_minutes = models.PositiveSmallIntegerField("早退分钟", default=0)
    left_post = models.BooleanField("擅自离岗", default=False)
    overtime_hours = models.DecimalField("加班小时", max_digits=4, decimal_places=1, default=0)
    leave = models.ForeignKey(
        "attendance.LeaveRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
        verbose_name="请假单",
    )
    leave_kind = models.CharField("假别", max_length=12, choices=LeaveKind.choices, blank=True)
    leave_half = models.CharField(
        "请假半天", max_length=2, choices=Half.choices, blank=True, help_text="空：全天"
    )
    outing_slip = models.ForeignKey(
        "attendance.OutingSlip",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
        verbose_name="出访单",
    )
    present_days = models.DecimalField("出勤天数", max_digits=2, decimal_places=1, default=1)
    leave_days = models.DecimalField("请假天数", max_digits=2, decimal_places=1, default=0)
    absent_days = models.DecimalField("旷工天数", max_digits=2, decimal_places=1, default=0)
    note = models.CharField("备注", max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="记录人",
    )
    updated_at = models.DateTimeField("记录时间", auto_now=True)
    history = HistoricalRecords(verbose_name="考勤记录变更记录")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "考勤记录"
        verbose_name_plural = "考勤记录"
        ordering = ["date", "person"]
        constraints = [
            models.UniqueConstraint(fields=["person", "date"], name="att_record_person_date"),
            models.CheckConstraint(
                condition=Q(present_days__gte=0, leave_days__gte=0, absent_days__gte=0),
                name="att_record_days_nonnegative",
            ),
        ]
        indexes = [
            models.Index(fields=["team", "date"], name="att_record_team_date"),
            models.Index(fields=["branch", "date"], name="att_record_branch_date"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.date} {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("attendance:record_detail", args=[self.pk])

    @property
    def is_late(self) -> bool:
        return self.late_minutes > 0

    @property
    def is_early(self) -> bool:
        return self.early_minutes > 0

    @property
    def half_label(self) -> str:
        return {"am": "上午", "pm": "下午"}.get(self.leave_half, "")

    @property
    def has_overtime(self) -> bool:
        return self.overtime_hours > Decimal(0)


class AttendanceDispute(models.Model):
    """申诉: a person disputes his record; the team's recorder or leader resolves it."""

    class Status(models.TextChoices):
        OPEN = "open", "待处理"
        ACCEPTED = "accepted", "已采纳（已更正）"
        REJECTED = "rejected", "未采纳"

    record = models.ForeignKey(
        AttendanceRecord, on_delete=models.PROTECT, related_name="disputes", verbose_name="考勤记录"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="申诉人"
    )
    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    team = models.ForeignKey(
        "staff.Team", on_delete=models.PROTECT, related_name="+", verbose_name="团队"
    )
    reason = models.TextField("申诉理由")
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_at = models.DateTimeField("申诉时间", auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="处理人",
    )
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)
    resolution = models.TextField("处理意见", blank=True)
    history = HistoricalRecords(verbose_name="申诉变更记录")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "考勤申诉"
        verbose_name_plural = "考勤申诉"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record"], condition=Q(status="open"), name="att_dispute_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person.name} 对 {self.record.date} 考勤的申诉"

    def get_absolute_url(self) -> str:
        return reverse("attendance:record_detail", args=[self.record_id])
