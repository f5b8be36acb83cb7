"""Visit plans, 客户走访日志 and their month-end submission (R-7.1), and the
overlap warnings given before saving (R-7.2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from staff.models import Stamped
from visits.models.choices import VisitMode


class ScopedQuerySet(models.QuerySet):
    """``visible_to(user)`` delegates to the chapter's selectors, which know
    each model's stamp (DESIGN: who sees what)."""

    def visible_to(self, user):
        from visits.selectors.scope import visibility_q

        return self.filter(visibility_q(user, self.model))


class MonthlySubmission(Stamped):
    """A client manager's logs of one month, submitted at month end to the
    responsible person, who verifies them through the approval engine with
    an opinion (R-7.1). Pending and verified months are read-only."""

    class Status(models.TextChoices):
        PENDING = "pending", "待核验"
        VERIFIED = "verified", "已核验"
        REJECTED = "rejected", "退回修改"
        WITHDRAWN = "withdrawn", "已撤回"

    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visit_submissions",
        verbose_name="走访人",
    )
    month = models.DateField("月份", help_text="该月第一天")
    status = models.CharField("状态", max_length=10, choices=Status.choices)
    visit_count = models.PositiveIntegerField("走访次数", default=0)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="核验人",
    )
    verified_at = models.DateTimeField("核验时间", null=True, blank=True)
    opinion = models.TextField("核验意见", blank=True)
    history = HistoricalRecords(verbose_name="月度走访日志变更记录")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "月度走访日志"
        verbose_name_plural = "月度走访日志"
        ordering = ["-month", "visitor_id"]
        constraints = [
            models.UniqueConstraint(fields=["visitor", "month"], name="visit_submission_once")
        ]
        indexes = [models.Index(fields=["team", "month"], name="visit_sub_team_month")]

    def __str__(self) -> str:
        return f"{self.visitor.name} {self.month:%Y 年 %-m 月}客户走访日志"

    def get_absolute_url(self) -> str:
        return reverse("visits:month_detail", args=[self.pk])

    @property
    def locked(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.VERIFIED)


class Visit(Stamped):
    """客户走访日志: one visit to one client (R-7.1)."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="+", verbose_name="客户"
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name="走访人",
    )
    visited_on = models.DateField("走访日期")
    mode = models.CharField("走访方式", max_length=10, choices=VisitMode.choices)
    companions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name="同行人员"
    )
    other_companions = models.CharField("其他同行人员", max_length=100, blank=True)
    met_with = models.CharField("接待人", max_length=60, blank=True, help_text="客户方参与人")
    content = models.TextField("走访内容")
    opinions = models.TextField("客户意见和建议", blank=True)
    needs = models.TextField("发现的需求", blank=True)
    next_step = models.TextField("下一步安排", blank=True)
    month = models.DateField("所属月份", help_text="走访日期所在月的第一天")
    submission = models.ForeignKey(
        MonthlySubmission,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name="月度提交",
    )
    # The warnings shown before saving and confirmed by the visitor.
    overlap_note = models.TextField("重叠提示", blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords(
        verbose_name="走访日志变更记录", excluded_fields=["submission", "month"]
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "客户走访日志"
        verbose_name_plural = "客户走访日志"
        ordering = ["-visited_on", "-id"]
        indexes = [
            models.Index(fields=["client", "visited_on"], name="visit_client_day"),
            models.Index(fields=["visitor", "visited_on"], name="visit_visitor_day"),
            models.Index(fields=["team", "visited_on"], name="visit_team_day"),
            models.Index(fields=["branch", "visited_on"], name="visit_branch_day"),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.visitor.name} {self.get_mode_display()}走访 {self.client.name}"

    def get_absolute_url(self) -> str:
        return reverse("visits:visit_detail", args=[self.pk])


class VisitPlan(Stamped):
    """A planned visit; it becomes done when the visit is logged from it."""

    class Status(models.TextChoices):
        PLANNED = "planned", "计划中"
        DONE = "done", "已走访"
        CANCELLED = "cancelled", "已取消"

    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="+", verbose_name="客户"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visit_plans",
        verbose_name="计划人",
    )
    planned_on = models.DateField("计划日期")
    mode = models.CharField(
        "走访方式", max_length=10, choices=VisitMode.choices, default=VisitMode.ONSITE
    )
    purpose = models.CharField("走访目的", max_length=200)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    visit = models.OneToOneField(
        Visit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan",
        verbose_name="走访日志",
    )
    cancel_reason = models.CharField("取消原因", max_length=200, blank=True)
    overlap_note = models.TextField("重叠提示", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="走访计划变更记录")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "走访计划"
        verbose_name_plural = "走访计划"
        ordering = ["planned_on", "id"]
        indexes = [
            models.Index(fields=["manager", "planned_on"], name="visit_plan_mgr_day"),
            models.Index(fields=["client", "planned_on"], name="visit_plan_client_day"),
        ]

    def __str__(self) -> str:
        return f"{self.planned_on} {self.manager.name} 计划走访 {self.client.name}"

    def get_absolute_url(self) -> str:
        return reverse("visits:plan_list") + f"#plan-{self.pk}"


class OverlapWarning(models.Model):
    """A warning given before a plan or a visit was saved, and confirmed
    (R-7.2). The leader's overlap list reads these rows."""

    class Kind(models.TextChoices):
        OWNED = "owned", "客户归属他人"
        VISITED = "visited", "他人近期已走访"
        PLANNED = "planned", "他人已计划走访"

    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="+", verbose_name="客户"
    )
    visit = models.ForeignKey(
        Visit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="overlaps",
        verbose_name="走访日志",
    )
    plan = models.ForeignKey(
        VisitPlan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="overlaps",
        verbose_name="走访计划",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="走访人"
    )
    on_date = models.DateField("走访（计划）日期")
    other_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="相关客户经理",
    )
    other_date = models.DateField("相关日期", null=True, blank=True)
    message = models.CharField("提示内容", max_length=300)
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
    other_team = models.ForeignKey(
        "staff.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="相关团队",
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "走访重叠提示"
        verbose_name_plural = "走访重叠提示"
        ordering = ["-on_date", "-id"]
        indexes = [
            models.Index(fields=["team", "on_date"], name="overlap_team_day"),
            models.Index(fields=["other_team", "on_date"], name="overlap_other_team_day"),
        ]

    def __str__(self) -> str:
        return self.message
