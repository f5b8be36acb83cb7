"""Team plans and goals (SPEC §1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class FilingQuerySet(models.QuerySet):
    def visible_to(self, user):
        from teams.selectors import filing_visibility_q

        return self.filter(filing_visibility_q(user, self.model))


class FilingStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PENDING = "pending", "报批中"
    APPROVED = "approved", "已批准（执行中）"
    REJECTED = "rejected", "被退回"
    WITHDRAWN = "withdrawn", "已撤回"
    SUPERSEDED = "superseded", "已被新版本替代"


class RulesFiling(models.Model):
    """管理及薪酬标准实施细则: each team's own management and pay rules, filed
    with and approved by 渠道管理部 before they apply (R-1.1, 第二条). An
    approved version is never edited; a newly approved one supersedes it."""

    team = models.ForeignKey(
        "staff.Team", on_delete=models.PROTECT, related_name="rules_filings", verbose_name="团队"
    )
    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    version = models.PositiveSmallIntegerField("版本号")
    title = models.CharField("标题", max_length=120)
    content = models.TextField("细则正文")
    effective_from = models.DateField("拟执行日期", null=True, blank=True)
    status = models.CharField(
        "状态",
        max_length=12,
        choices=FilingStatus.choices,
        default=FilingStatus.DRAFT,
        db_index=True,
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="编制人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="被替代为",
    )
    history = HistoricalRecords(verbose_name="细则变更记录")

    objects = FilingQuerySet.as_manager()

    class Meta:
        verbose_name = "管理及薪酬标准实施细则"
        verbose_name_plural = "管理及薪酬标准实施细则"
        ordering = ["team", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["team", "version"], name="rules_team_version")
        ]

    def __str__(self) -> str:
        return f"{self.team.name} {self.title}（第 {self.version} 版）"

    def get_absolute_url(self) -> str:
        return reverse("teams:rules_detail", args=[self.pk])
