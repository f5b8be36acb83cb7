"""劳动合同 / 营销合作协议 (R-6.2): one year by default, the original kept,
renewals chained to the contract they follow."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from archives.models.scoped import PersonRecordQuerySet

# Contracts ending within this many days are "near expiry".
EXPIRY_WINDOW_DAYS = 30


class Contract(models.Model):
    class Kind(models.TextChoices):
        LABOUR = "labour", "劳动合同"
        AGENCY = "agency", "营销合作协议"

    class State(models.TextChoices):
        """Derived from the dates (not stored): see ``state_on``."""

        FUTURE = "future", "未生效"
        ACTIVE = "active", "履行中"
        EXPIRING = "expiring", "即将到期"
        ENDED = "ended", "已到期"
        RENEWED = "renewed", "已续签"
        TERMINATED = "terminated", "已终止"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name="人员",
    )
    kind = models.CharField("合同类型", max_length=10, choices=Kind.choices)
    number = models.CharField("合同编号", max_length=40, blank=True)
    starts_on = models.DateField("起始日期")
    ends_on = models.DateField("终止日期", help_text="合同期限的最后一天")
    signed_on = models.DateField("签订日期")
    original_location = models.CharField(
        "原件存放位置", max_length=200, help_text="如：营业部档案室 1 号柜"
    )
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewal",
        verbose_name="续签自",
    )
    attachment = models.OneToOneField(
        "portal.Attachment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="合同扫描件",
    )
    terminated_on = models.DateField("提前终止日期", null=True, blank=True)
    termination_reason = models.CharField("终止原因", max_length=200, blank=True)
    # Where it was signed (the stamp at signing).
    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    team = models.ForeignKey(
        "staff.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="团队",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="合同变更记录")

    objects = PersonRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "合同/协议"
        verbose_name_plural = "合同/协议"
        ordering = ["person", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="contract_dates_order"
            ),
            models.CheckConstraint(
                condition=Q(terminated_on__isnull=True) | Q(terminated_on__gte=F("starts_on")),
                name="contract_termination_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["ends_on"], name="contract_ends_on"),
            models.Index(fields=["person", "kind"], name="contract_person_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.get_kind_display()}（{self.starts_on} 至 {self.ends_on}）"

    def get_absolute_url(self) -> str:
        return reverse("archives:contract_detail", args=[self.pk])

    def state_on(self, day: dt.date, *, renewed: bool | None = None) -> str:
        """The contract's state on ``day``. ``renewed`` may be passed when the
        caller already knows (lists annotate it) to avoid a query."""
        if self.terminated_on is not None and self.terminated_on <= day:
            return self.State.TERMINATED
        if renewed is None:
            renewed = hasattr(self, "renewal")
        if day < self.starts_on:
            return self.State.FUTURE
        if self.ends_on < day:
            return self.State.RENEWED if renewed else self.State.ENDED
        if not renewed and (self.ends_on - day).days <= EXPIRY_WINDOW_DAYS:
            return self.State.EXPIRING
        return self.State.ACTIVE


def default_end(start: dt.date) -> dt.date:
    """One year (R-6.2): the day before the same date a year later."""
    try:
        anniversary = start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        anniversary = start.replace(year=start.year + 1, day=28) + dt.timedelta(days=1)
    return anniversary - dt.timedelta(days=1)
