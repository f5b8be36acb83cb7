"""客户经理营销客户确认单 (R-6.4, R-7.6): serial-numbered per branch per
month without gaps; a voided slip keeps its number."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords


class SlipCounter(models.Model):
    """The last number given in a branch's month. Its row is locked while a
    slip is numbered, so numbers are gapless under concurrent entry."""

    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    month = models.DateField("月份", help_text="该月第一天")
    last = models.PositiveIntegerField("已用到的流水号", default=0)

    class Meta:
        verbose_name = "确认单流水号"
        verbose_name_plural = "确认单流水号"
        constraints = [
            models.UniqueConstraint(fields=["branch", "month"], name="slip_counter_once"),
        ]

    def __str__(self) -> str:
        return f"{self.branch.code} {self.month:%Y%m} → {self.last:04d}"


class SlipQuerySet(models.QuerySet):
    def visible_to(self, user):
        from archives.permissions import slips_q

        return self.filter(slips_q(user))

    def shaped(self):
        return self.select_related(
            "branch", "client", "manager", "team", "confirmed_by", "voided_by"
        )


class ConfirmationSlip(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "已确认"
        VOID = "void", "已作废"

    number = models.CharField("流水号", max_length=30, unique=True)
    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    month = models.DateField("所属月份", help_text="该月第一天")
    seq = models.PositiveIntegerField("月内序号")
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        related_name="confirmation_slips",
        verbose_name="客户",
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="confirmation_slips",
        verbose_name="客户经理",
    )
    # The manager's stamp when the slip was confirmed.
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
    opened_on = models.DateField("开户日期")
    issued_on = models.DateField("确认日期")
    new_client = models.BooleanField("新建客户档案", default=False)
    note = models.CharField("备注", max_length=200, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="确认人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    assignment = models.ForeignKey(
        "clients.ClientAssignment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="客户归属",
    )
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.CONFIRMED, db_index=True
    )
    void_reason = models.CharField("作废原因", max_length=200, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="作废人",
    )
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    history = HistoricalRecords(verbose_name="确认单变更记录")

    objects = SlipQuerySet.as_manager()

    class Meta:
        verbose_name = "客户经理营销客户确认单"
        verbose_name_plural = "客户经理营销客户确认单"
        ordering = ["-month", "branch", "-seq"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "month", "seq"], name="slip_seq_once"),
            models.UniqueConstraint(
                fields=["client", "manager"],
                condition=Q(status="confirmed"),
                name="slip_one_confirmed_per_client_manager",
            ),
            models.CheckConstraint(
                condition=Q(status="confirmed") | ~Q(void_reason=""), name="slip_void_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["branch", "month"], name="slip_branch_month"),
            models.Index(fields=["manager", "month"], name="slip_manager_month"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("archives:slip_detail", args=[self.pk])

    @property
    def is_void(self) -> bool:
        return self.status == self.Status.VOID


def slip_number(branch_code: str, month, seq: int) -> str:
    """``<branch code>-<YYYYMM>-<NNNN>`` (R-6.4)."""
    return f"{branch_code}-{month:%Y%m}-{seq:04d}"
