"""Leaders' patrols (R-2.7) and team training and marketing events with
their rosters (R-2.5, R-7.7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from attendance.models.roll import ScopedQuerySet


class Patrol(models.Model):
    """巡查: a leader's visit to an outlet, who was found where."""

    team = models.ForeignKey(
        "staff.Team", on_delete=models.PROTECT, related_name="+", verbose_name="团队"
    )
    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    outlet = models.ForeignKey(
        "staff.Outlet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="巡查网点",
    )
    date = models.DateField("巡查日期")
    time = models.TimeField("巡查时间", null=True, blank=True)
    patrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="巡查人"
    )
    notes = models.TextField("巡查情况", blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "考勤巡查"
        verbose_name_plural = "考勤巡查"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.outlet or self.team} 巡查"

    def get_absolute_url(self) -> str:
        return reverse("attendance:patrol_detail", args=[self.pk])


class PatrolEntry(models.Model):
    class Found(models.TextChoices):
        IN_POST = "in_post", "在岗"
        OUTING = "outing", "外出（有出访单）"
        LEAVE = "leave", "请假"
        AWAY = "away", "不在岗（无记录）"

    patrol = models.ForeignKey(
        Patrol, on_delete=models.CASCADE, related_name="entries", verbose_name="巡查"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="人员"
    )
    found = models.CharField("巡查所见", max_length=10, choices=Found.choices)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "巡查所见"
        verbose_name_plural = "巡查所见"
        ordering = ["patrol", "person"]
        constraints = [
            models.UniqueConstraint(fields=["patrol", "person"], name="patrol_entry_once")
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.get_found_display()}"


class TeamEvent(models.Model):
    """Team training (business, etiquette, sales skills — R-7.7) or a
    marketing event; members are required to attend (R-2.5)."""

    class Kind(models.TextChoices):
        TRAINING = "training", "培训"
        MARKETING = "marketing", "营销活动"

    class Topic(models.TextChoices):
        BUSINESS = "business", "业务知识"
        ETIQUETTE = "etiquette", "商务礼仪"
        SALES = "sales", "销售技巧"
        COMPLIANCE = "compliance", "合规与风控"
        OTHER = "other", "其他"

    team = models.ForeignKey(
        "staff.Team", on_delete=models.PROTECT, related_name="+", verbose_name="团队"
    )
    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    topic = models.CharField("内容类别", max_length=12, choices=Topic.choices)
    title = models.CharField("主题", max_length=120)
    date = models.DateField("日期")
    start_time = models.TimeField("开始时间", null=True, blank=True)
    end_time = models.TimeField("结束时间", null=True, blank=True)
    place = models.CharField("地点", max_length=120, blank=True)
    trainer = models.CharField("讲师/负责人", max_length=60, blank=True)
    notes = models.TextField("内容摘要", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="组织人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    attendance_recorded = models.BooleanField("已登记到场", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "培训与营销活动"
        verbose_name_plural = "培训与营销活动"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["team", "date"], name="event_team_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}：{self.title}"

    def get_absolute_url(self) -> str:
        return reverse("attendance:event_detail", args=[self.pk])


class EventAttendance(models.Model):
    class Status(models.TextChoices):
        EXPECTED = "expected", "应到"
        PRESENT = "present", "到场"
        EXCUSED = "excused", "请假"
        ABSENT = "absent", "缺席"

    event = models.ForeignKey(
        TeamEvent, on_delete=models.CASCADE, related_name="roster", verbose_name="活动"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="event_attendances",
        verbose_name="人员",
    )
    status = models.CharField(
        "到场情况", max_length=10, choices=Status.choices, default=Status.EXPECTED
    )
    note = models.CharField("说明", max_length=200, blank=True)
    history = HistoricalRecords(verbose_name="到场变更记录")

    class Meta:
        verbose_name = "活动名单"
        verbose_name_plural = "活动名单"
        ordering = ["event", "person"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="event_person_once")
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.get_status_display()}"
