"""Leave (R-2.8): types, the configurable statutory annual leave, and the
request approved in advance by the team leader through the approval engine."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from attendance.models.choices import Half, LeaveKind
from attendance.models.roll import ScopedQuerySet

__all__ = ["AnnualLeaveTier", "Half", "LeaveKind", "LeavePolicy", "LeaveRequest"]


class LeavePolicy(models.Model):
    """Per leave type: the longest single request and whether it is paid
    (payroll reads it). Edited in the admin."""

    kind = models.CharField("假别", max_length=12, choices=LeaveKind.choices, unique=True)
    max_days = models.DecimalField(
        "单次最多（工作日）",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="留空表示不限",
    )
    paid = models.BooleanField("带薪", default=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "假别规则"
        verbose_name_plural = "假别规则"
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.get_kind_display()


class AnnualLeaveTier(models.Model):
    """带薪年休假 by years of service (《职工带薪年休假条例》第三条: 1 to 10
    years 5 days, 10 to 20 years 10 days, 20 years and more 15 days)."""

    from_years = models.PositiveSmallIntegerField("工龄满（年）", unique=True)
    days = models.DecimalField("年假天数", max_digits=4, decimal_places=1)

    class Meta:
        verbose_name = "年假标准"
        verbose_name_plural = "年假标准"
        ordering = ["from_years"]

    def __str__(self) -> str:
        return f"工龄满 {self.from_years} 年：{self.days} 天"


class LeaveRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "审批中"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "未批准"
        WITHDRAWN = "withdrawn", "已撤回"

    ACTIVE_STATES = (Status.PENDING, Status.APPROVED)

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="leave_requests",
        verbose_name="请假人",
    )
    branch = models.ForeignKey(
        "staff.Branch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="营业部",
    )
    team = models.ForeignKey(
        "staff.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="团队",
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
    kind = models.CharField("假别", max_length=12, choices=LeaveKind.choices)
    start_date = models.DateField("开始日期")
    start_half = models.CharField("开始于", max_length=2, choices=Half.choices, default=Half.AM)
    end_date = models.DateField("结束日期")
    end_half = models.CharField("结束于", max_length=2, choices=Half.choices, default=Half.PM)
    days = models.DecimalField("请假天数（工作日）", max_digits=5, decimal_places=1)
    reason = models.TextField("请假事由")
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审批代理人",
    )
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    filed_after = models.BooleanField("事后补办", default=False)
    provisional = models.BooleanField("按暂定日历计算", default=False)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    applied_deputy = models.ForeignKey(
        "approvals.Deputy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="已设置的代理",
    )
    deputy_note = models.CharField("代理设置说明", max_length=200, blank=True)
    history = HistoricalRecords(verbose_name="请假变更记录")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "请假申请"
        verbose_name_plural = "请假申请"
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="leave_dates_order"
            ),
        ]
        indexes = [
            models.Index(fields=["person", "start_date"], name="leave_person_start"),
            models.Index(fields=["team", "start_date"], name="leave_team_start"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.get_kind_display()} {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("attendance:leave_detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        start = f"{self.start_date:%Y-%m-%d}{'下午' if self.start_half == Half.PM else ''}"
        end = f"{self.end_date:%Y-%m-%d}{'上午' if self.end_half == Half.AM else ''}"
        if self.start_date == self.end_date:
            if self.start_half == Half.PM:
                return f"{self.start_date:%Y-%m-%d} 下午"
            if self.end_half == Half.AM:
                return f"{self.start_date:%Y-%m-%d} 上午"
            return f"{self.start_date:%Y-%m-%d}"
        return f"{start} 至 {end}"
