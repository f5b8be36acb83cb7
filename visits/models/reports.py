"""The quarterly visit report to the leaders (R-7.4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from visits.models.visits import ScopedQuerySet


class QuarterlyReport(models.Model):
    class Level(models.TextChoices):
        TEAM = "team", "团队"
        BRANCH = "branch", "营业部"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已报送"
        REJECTED = "rejected", "被退回"
        WITHDRAWN = "withdrawn", "已撤回"
        APPROVED = "approved", "领导已阅"

    class Rating(models.TextChoices):
        EXCELLENT = "excellent", "好"
        GOOD = "good", "较好"
        FAIR = "fair", "一般"
        POOR = "poor", "差"

    level = models.CharField("报告层级", max_length=6, choices=Level.choices)
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
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    start = models.DateField("期间起")
    end = models.DateField("期间止")
    figures = models.JSONField("数据快照", default=dict)
    analysis = models.TextField("走访情况分析", blank=True)
    rating = models.CharField("客户诉求处理评价", max_length=10, choices=Rating.choices, blank=True)
    rating_note = models.TextField("评价说明", blank=True)
    measures = models.TextField("改进措施", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="撰写人"
    )
    created_at = models.DateTimeField("起草时间", auto_now_add=True)
    approved_at = models.DateTimeField("审阅时间", null=True, blank=True)
    history = HistoricalRecords(verbose_name="季度报告变更记录", excluded_fields=["figures"])

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "客户走访季度报告"
        verbose_name_plural = "客户走访季度报告"
        ordering = ["-year", "-quarter", "branch", "team"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "year", "quarter"],
                condition=Q(level="team"),
                name="visit_report_team_once",
            ),
            models.UniqueConstraint(
                fields=["branch", "year", "quarter"],
                condition=Q(level="branch"),
                name="visit_report_branch_once",
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="visit_report_quarter_range"
            ),
            models.CheckConstraint(
                condition=Q(level="branch", team__isnull=True)
                | Q(level="team", team__isnull=False),
                name="visit_report_level_unit",
            ),
        ]

    def __str__(self) -> str:
        unit = self.team.name if self.team_id else self.branch.name
        return f"{unit} {self.year} 年第 {self.quarter} 季度客户走访报告"

    def get_absolute_url(self) -> str:
        return reverse("visits:report_detail", args=[self.pk])

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.REJECTED, self.Status.WITHDRAWN)
