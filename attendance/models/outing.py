"""营销人员出访单 (R-2.6) and the leader's after-checks (抽查/全查)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from attendance.models.roll import ScopedQuerySet
from staff.models import Stamped


class OutingSlip(Stamped):
    """Filed by the client manager before he leaves, often from a phone. A
    filed slip is not edited: it is what he declared before going out."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="outing_slips",
        verbose_name="出访人",
    )
    destination = models.CharField("目的地", max_length=200)
    visitee = models.CharField("被访人", max_length=100)
    contact = models.CharField("联系方式", max_length=50)
    purpose = models.TextField("出访目的")
    planned_out = models.DateTimeField("计划外出时间")
    planned_back = models.DateTimeField("计划返回时间")
    filed_at = models.DateTimeField("填单时间", auto_now_add=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy = models.PositiveIntegerField("定位精度（米）", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "营销人员出访单"
        verbose_name_plural = "营销人员出访单"
        ordering = ["-planned_out", "-id"]
        indexes = [
            models.Index(fields=["team", "planned_out"], name="slip_team_out"),
            models.Index(fields=["person", "planned_out"], name="slip_person_out"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.person.name} → {self.destination}"

    def get_absolute_url(self) -> str:
        return reverse("attendance:slip_detail", args=[self.pk])

    @property
    def number(self) -> str:
        return f"CF{self.filed_at:%Y%m}-{self.pk:06d}" if self.filed_at else "—"

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class CheckRound(models.Model):
    """One after-check of a team's slips over a period: 全查 takes every slip,
    抽查 a random sample drawn from a stored seed, so the same seed and period
    always give the same sample and anyone can verify it."""

    class Mode(models.TextChoices):
        SAMPLE = "sample", "抽查"
        ALL = "all", "全查"

    team = models.ForeignKey(
        "staff.Team", on_delete=models.PROTECT, related_name="+", verbose_name="团队"
    )
    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    period_start = models.DateField("期间自")
    period_end = models.DateField("期间至")
    mode = models.CharField("方式", max_length=10, choices=Mode.choices)
    seed = models.BigIntegerField("随机种子")
    population = models.PositiveIntegerField("期间出访单数")
    sample_size = models.PositiveIntegerField("抽取份数")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="检查人"
    )
    # The population is the slips filed up to this moment, so the sample can
    # be drawn again from the seed and compared.
    drawn_at = models.DateTimeField("抽取时间")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "出访单检查"
        verbose_name_plural = "出访单检查"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.team.name} {self.period_start}～{self.period_end} {self.get_mode_display()}"

    def get_absolute_url(self) -> str:
        return reverse("attendance:check_detail", args=[self.pk])


class OutingCheck(models.Model):
    class Result(models.TextChoices):
        PENDING = "pending", "待核查"
        CONFIRMED = "confirmed", "属实"
        DISCREPANCY = "discrepancy", "不符"

    round = models.ForeignKey(
        CheckRound, on_delete=models.PROTECT, related_name="checks", verbose_name="检查批次"
    )
    slip = models.ForeignKey(
        OutingSlip, on_delete=models.PROTECT, related_name="checks", verbose_name="出访单"
    )
    result = models.CharField(
        "核查结果", max_length=12, choices=Result.choices, default=Result.PENDING
    )
    note = models.TextField("核查说明", blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="核查人",
    )
    checked_at = models.DateTimeField("核查时间", null=True, blank=True)
    history = HistoricalRecords(verbose_name="核查变更记录")

    class Meta:
        verbose_name = "出访单核查"
        verbose_name_plural = "出访单核查"
        ordering = ["round", "slip"]
        constraints = [
            models.UniqueConstraint(fields=["round", "slip"], name="check_round_slip"),
        ]

    def __str__(self) -> str:
        return f"{self.slip} {self.get_result_display()}"
