"""客户移交: a leaving or moving manager's clients reassigned in bulk to one
or several colleagues (R-7.5). The ownership history itself is
``clients.ClientAssignment``; these rows keep the batch together with the
follow-ups and plans that moved along."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from visits.models.visits import ScopedQuerySet


class Reassignment(models.Model):
    from_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="原客户经理",
    )
    effective_on = models.DateField("生效日期")
    reason = models.CharField("移交原因", max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="操作人"
    )
    created_at = models.DateTimeField("操作时间", auto_now_add=True)
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
    client_count = models.PositiveIntegerField("客户数", default=0)
    followup_count = models.PositiveIntegerField("随同移交督办数", default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "客户移交"
        verbose_name_plural = "客户移交"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.from_manager.name}的客户移交（{self.effective_on} 起）"

    def get_absolute_url(self) -> str:
        return reverse("visits:reassignment_detail", args=[self.pk])


class ReassignmentLine(models.Model):
    batch = models.ForeignKey(
        Reassignment, on_delete=models.CASCADE, related_name="lines", verbose_name="移交批次"
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="+", verbose_name="客户"
    )
    to_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="接收客户经理",
    )
    assignment = models.ForeignKey(
        "clients.ClientAssignment",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="归属记录",
    )
    followups_moved = models.PositiveIntegerField("随同移交督办", default=0)
    plans_moved = models.PositiveIntegerField("随同移交计划", default=0)

    class Meta:
        verbose_name = "客户移交明细"
        verbose_name_plural = "客户移交明细"
        ordering = ["batch", "id"]

    def __str__(self) -> str:
        return f"{self.client} → {self.to_manager.name}"
