"""Configuration of the chapter: the overlap window (R-7.2) per branch, and
the log of tier changes made from the chapter's settings page (R-7.5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

DEFAULT_OVERLAP_DAYS = 30
DEFAULT_FOLLOWUP_DAYS = 7


class VisitSettings(models.Model):
    """The company default (no branch) and a branch's own values."""

    branch = models.OneToOneField(
        "staff.Branch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="营业部",
        help_text="留空为全公司默认值",
    )
    overlap_days = models.PositiveSmallIntegerField(
        "走访重叠提示天数",
        default=DEFAULT_OVERLAP_DAYS,
        help_text="他人在此天数内走访过（或计划走访）同一客户时，保存前提示",
    )
    followup_days = models.PositiveSmallIntegerField(
        "督办默认期限（天）", default=DEFAULT_FOLLOWUP_DAYS
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    history = HistoricalRecords(verbose_name="走访设置变更记录")

    class Meta:
        verbose_name = "走访设置"
        verbose_name_plural = "走访设置"
        constraints = [
            models.UniqueConstraint(
                fields=["branch"],
                condition=models.Q(branch__isnull=True),
                name="visit_settings_one_default",
            ),
            models.CheckConstraint(
                condition=models.Q(overlap_days__gte=1, overlap_days__lte=365),
                name="visit_settings_overlap_range",
            ),
            models.CheckConstraint(
                condition=models.Q(followup_days__gte=1, followup_days__lte=90),
                name="visit_settings_followup_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.branch.name if self.branch_id else '全公司'}走访设置"


class TierChange(models.Model):
    """ClientTier lives in the base ``clients`` app without history; every
    change made here is logged with who and when (R-8.2)."""

    tier = models.ForeignKey(
        "clients.ClientTier", on_delete=models.PROTECT, related_name="+", verbose_name="客户级别"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="操作人"
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    change = models.CharField("变更内容", max_length=300)

    class Meta:
        verbose_name = "客户级别变更记录"
        verbose_name_plural = "客户级别变更记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.change
