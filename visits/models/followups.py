"""督办 — whoever visits follows up (R-7.3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from visits.models.choices import FollowUpCategory, FollowUpStatus, HandlingDept, InformedHow
from visits.models.visits import ScopedQuerySet, Stamped, Visit

OPEN_STATUSES = (FollowUpStatus.OPEN, FollowUpStatus.FORWARDED, FollowUpStatus.HANDLING)
NOT_CLOSED = (*OPEN_STATUSES, FollowUpStatus.RESOLVED, FollowUpStatus.INFORMED)


class FollowUp(Stamped):
    """A client's problem not solved on the spot: recorded with the client,
    forwarded, chased, and closed only once the client has been told the
    result. The visitor owns it (谁走访谁督办); the stamp is the owner's."""

    visit = models.ForeignKey(
        Visit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followups",
        verbose_name="来源走访",
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="+", verbose_name="客户"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visit_followups",
        verbose_name="督办人",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    raised_on = models.DateField("登记日期")
    category = models.CharField("问题类别", max_length=12, choices=FollowUpCategory.choices)
    description = models.TextField("问题描述")
    department = models.CharField(
        "转办部门", max_length=12, choices=HandlingDept.choices, blank=True
    )
    department_note = models.CharField("承办部门/经办人", max_length=100, blank=True)
    due_on = models.DateField("办结期限")
    status = models.CharField(
        "状态", max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    resolution = models.TextField("处理结果", blank=True)
    resolved_on = models.DateField("解决日期", null=True, blank=True)
    informed_on = models.DateField("告知客户日期", null=True, blank=True)
    informed_how = models.CharField(
        "告知方式", max_length=10, choices=InformedHow.choices, blank=True
    )
    informed_note = models.CharField("告知情况", max_length=300, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="督办变更记录")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "督办事项"
        verbose_name_plural = "督办事项"
        ordering = ["due_on", "id"]
        constraints = [
            # No close without how and when the client was told.
            models.CheckConstraint(
                condition=~Q(status__in=["informed", "closed"])
                | (Q(informed_on__isnull=False) & ~Q(informed_how="")),
                name="followup_closed_client_informed",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["resolved", "informed", "closed"])
                | Q(resolved_on__isnull=False),
                name="followup_resolved_dated",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "status"], name="followup_owner_status"),
            models.Index(fields=["team", "status", "due_on"], name="followup_team_status_due"),
            models.Index(fields=["client", "status"], name="followup_client_status"),
            models.Index(fields=["team", "raised_on"], name="followup_team_raised"),
        ]

    def __str__(self) -> str:
        return f"{self.client.name}：{self.description[:30]}"

    def get_absolute_url(self) -> str:
        return reverse("visits:followup_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def overdue_on(self, today) -> bool:
        """Past its due date and not yet resolved."""
        return self.status in OPEN_STATUSES and self.due_on < today


class FollowUpStep(models.Model):
    """One move of a follow-up, with who, when and what was said."""

    followup = models.ForeignKey(
        FollowUp, on_delete=models.CASCADE, related_name="steps", verbose_name="督办事项"
    )
    from_status = models.CharField(
        "原状态", max_length=10, choices=FollowUpStatus.choices, blank=True
    )
    to_status = models.CharField("新状态", max_length=10, choices=FollowUpStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    at = models.DateTimeField("时间")
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "督办记录"
        verbose_name_plural = "督办记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"
