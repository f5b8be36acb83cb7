"""The one approval & countersign engine (DESIGN: the approval engine).

A Flow version is an ordered list of steps; a Request runs one version for
one subject. A step starts as a StepRun whose participants are resolved then
and stored as Tasks. Every action is an immutable Action row.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from staff.models import Role


class Flow(models.Model):
    """A version of an approval flow. A running request keeps its version;
    changing a flow that has requests means saving a new version."""

    code = models.CharField("流程代码", max_length=40)
    name = models.CharField("流程名称", max_length=100)
    version = models.PositiveIntegerField("版本", default=1)
    description = models.TextField("说明", blank=True)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "审批流程"
        verbose_name_plural = "审批流程"
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="flow_code_version")
        ]

    def __str__(self) -> str:
        return f"{self.name}（第 {self.version} 版）"


class FlowStep(models.Model):
    class Mode(models.TextChoices):
        SEQUENTIAL = "sequential", "依次审批"
        ALL = "all", "会签（全部同意）"
        ANY = "any", "或签（一人同意）"

    class Rule(models.TextChoices):
        SUBMITTER_ROLE = "submitter_role", "申请人所在单位的岗位"
        DEPARTMENTS = "departments", "总部部门"
        PERSON = "person", "指定人员"
        CHOSEN = "chosen", "由上一步审批人指定"

    class ChoiceKind(models.TextChoices):
        DEPARTMENTS = "departments", "指定部门"
        USERS = "users", "指定人员"

    flow = models.ForeignKey(
        Flow, on_delete=models.CASCADE, related_name="steps", verbose_name="流程"
    )
    order = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("步骤名称", max_length=60)
    action_label = models.CharField("同意按钮文字", max_length=20, default="同意")
    mode = models.CharField(
        "审批方式", max_length=12, choices=Mode.choices, default=Mode.SEQUENTIAL
    )
    rule = models.CharField("参与人规则", max_length=20, choices=Rule.choices)
    role = models.CharField("岗位", max_length=30, choices=Role.choices, blank=True)
    departments = models.ManyToManyField(
        "staff.Department", blank=True, related_name="+", verbose_name="总部部门"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="指定人员",
    )
    choice_kind = models.CharField(
        "下一步参与人由本步指定",
        max_length=12,
        choices=ChoiceKind.choices,
        blank=True,
        help_text="填写后，本步审批人同意时须为下一步指定参与部门或人员",
    )
    four_eyes = models.BooleanField(
        "四眼原则", default=False, help_text="本步审批人不得是申请材料的编制人"
    )

    class Meta:
        verbose_name = "流程步骤"
        verbose_name_plural = "流程步骤"
        ordering = ["flow", "order"]
        constraints = [
            models.UniqueConstraint(fields=["flow", "order"], name="flowstep_flow_order")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    def clean(self) -> None:
        """Checks the step's own fields; how steps fit together (a choice
        needs a following "chosen" step and vice versa) is checked across
        the steps by the admin's inline formset (``approvals.admin``)."""
        errors = {}
        if self.rule == self.Rule.SUBMITTER_ROLE and not self.role:
            errors["role"] = "参与人规则为“申请人所在单位的岗位”时，须选择岗位。"
        if self.rule == self.Rule.PERSON and not self.person_id:
            errors["person"] = "参与人规则为“指定人员”时，须选择审批人。"
        if errors:
            raise ValidationError(errors)


class RequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Submitter, participants (and their deputies), people copied, and
        the org scope of the request's stamp; HQ oversight sees all."""
        from approvals.selectors import request_visibility_q

        return self.filter(request_visibility_q(user))


class Request(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "审批中"
        APPROVED = "approved", "已通过"
        REJECTED = "rejected", "已退回申请人"
        WITHDRAWN = "withdrawn", "已撤回"

    flow = models.ForeignKey(
        Flow, on_delete=models.PROTECT, related_name="requests", verbose_name="流程"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name="事项类型")
    object_id = models.PositiveBigIntegerField("事项编号")
    subject = GenericForeignKey("content_type", "object_id")
    title = models.CharField("标题", max_length=200)
    summary = models.JSONField("摘要快照", default=list, blank=True)
    url = models.CharField("事项链接", max_length=300, blank=True)
    branch = models.ForeignKey(
        "staff.Branch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="营业部",
    )
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
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="submitted_requests",
        verbose_name="申请人",
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="编制人",
    )
    state = models.CharField("状态", max_length=12, choices=State.choices, db_index=True)
    round = models.PositiveSmallIntegerField("轮次", default=1)
    current_step = models.ForeignKey(
        FlowStep,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="当前步骤",
    )
    submitted_at = models.DateTimeField("提交时间")
    ended_at = models.DateTimeField("办结时间", null=True, blank=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = "审批单"
        verbose_name_plural = "审批单"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="request_one_per_subject"
            )
        ]
        indexes = [models.Index(fields=["branch", "team"], name="request_branch_team")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("approvals:request_detail", args=[self.pk])


class StepRun(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "进行中"
        COMPLETED = "completed", "已完成"
        RETURNED = "returned", "已退回"
        REJECTED = "rejected", "未通过"
        CANCELLED = "cancelled", "已取消"

    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="step_runs", verbose_name="审批单"
    )
    step = models.ForeignKey(
        FlowStep, on_delete=models.PROTECT, related_name="+", verbose_name="步骤"
    )
    round = models.PositiveSmallIntegerField("轮次")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    started_at = models.DateTimeField("开始时间")
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "步骤办理"
        verbose_name_plural = "步骤办理"
        ordering = ["request", "started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"], condition=Q(status="active"), name="steprun_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request} · {self.step.name}"


class Task(models.Model):
    """One participant's part in a step: a person, or a department any of
    whose members may act for it."""

    class Status(models.TextChoices):
        OPEN = "open", "待办"
        QUEUED = "queued", "排队中"
        WAITING = "waiting", "等待加签人"
        APPROVED = "approved", "已同意"
        REJECTED = "rejected", "不同意"
        RETURNED = "returned", "已退回"
        TRANSFERRED = "transferred", "已转交"
        CANCELLED = "cancelled", "已取消"

    class Origin(models.TextChoices):
        RESOLVED = "resolved", "流程指定"
        ADDED_BEFORE = "added_before", "前加签"
        ADDED_AFTER = "added_after", "后加签"
        TRANSFER = "transfer", "转交"

    OPEN_STATES = (Status.OPEN, Status.QUEUED, Status.WAITING)

    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="tasks", verbose_name="审批单"
    )
    step_run = models.ForeignKey(
        StepRun, on_delete=models.CASCADE, related_name="tasks", verbose_name="步骤办理"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approval_tasks",
        verbose_name="办理人",
    )
    department = models.ForeignKey(
        "staff.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approval_tasks",
        verbose_name="办理部门",
    )
    position = models.PositiveSmallIntegerField("次序", default=0)
    origin = models.CharField(
        "来源", max_length=15, choices=Origin.choices, default=Origin.RESOLVED
    )
    added_by_task = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="added_tasks",
        verbose_name="加签/转交自",
    )
    status = models.CharField("状态", max_length=12, choices=Status.choices, db_index=True)
    escalated_from = models.CharField("上提自", max_length=60, blank=True)
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="实际办理人",
    )
    acted_at = models.DateTimeField("办理时间", null=True, blank=True)
    opinion = models.TextField("意见", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "待办任务"
        verbose_name_plural = "待办任务"
        ordering = ["step_run", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(department__isnull=False),
                name="task_has_assignee",
            )
        ]
        indexes = [
            models.Index(fields=["user", "status"], name="task_user_status"),
            models.Index(fields=["department", "status"], name="task_dept_status"),
        ]

    def __str__(self) -> str:
        return f"{self.request} · {self.assignee_label}"

    @property
    def assignee_label(self) -> str:
        if self.department_id:
            return self.department.name
        return self.user.name

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATES


class ImmutableActionError(Exception):
    """Raised when code tries to change or delete a written Action row."""


class Action(models.Model):
    """An immutable record of something done on a request, with its opinion.

    ``save()`` refuses to update an existing row and ``delete()`` refuses
    outright. Queryset ``update``/``delete`` bypass both; only the demo
    seeding uses them (to date rows back), and cascades from a deleted
    request remove its actions with it."""

    class Kind(models.TextChoices):
        SUBMIT = "submit", "提交"
        RESUBMIT = "resubmit", "修改后重新提交"
        APPROVE = "approve", "同意"
        REJECT = "reject", "不同意，退回申请人"
        RETURN = "return", "退回至前序步骤"
        WITHDRAW = "withdraw", "撤回"
        COMMENT = "comment", "评论"
        CC = "cc", "抄送"
        TRANSFER = "transfer", "转交"
        ADD_BEFORE = "add_before", "前加签"
        ADD_AFTER = "add_after", "后加签"
        REMIND = "remind", "催办"
        ESCALATE = "escalate", "上提一级"
        FINISH = "finish", "办结"

    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="actions", verbose_name="审批单"
    )
    task = models.ForeignKey(
        Task,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name="任务",
    )
    step = models.ForeignKey(
        FlowStep,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="步骤",
    )
    round = models.PositiveSmallIntegerField("轮次")
    kind = models.CharField("动作", max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="办理人",
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="代理谁",
    )
    department = models.ForeignKey(
        "staff.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="代表部门",
    )
    opinion = models.TextField("意见", blank=True)
    targets = models.JSONField("涉及对象", default=list, blank=True)
    # On submit/resubmit rows: the subject's summary as submitted in this
    # round (Request.summary holds only the latest round's).
    summary = models.JSONField("报送内容快照", default=list, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "审批记录"
        verbose_name_plural = "审批记录"
        ordering = ["request", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.request}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableActionError(f"审批记录一经写入不可修改（记录 #{self.pk}）。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableActionError(f"审批记录一经写入不可删除（记录 #{self.pk}）。")


class ChosenParticipant(models.Model):
    """Who the previous step's approver named for a step chosen at run time
    (渠道管理部 names the countersigning departments, R-1.3)."""

    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="chosen", verbose_name="审批单"
    )
    step = models.ForeignKey(
        FlowStep, on_delete=models.PROTECT, related_name="+", verbose_name="步骤"
    )
    round = models.PositiveSmallIntegerField("轮次")
    department = models.ForeignKey(
        "staff.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="部门",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="人员",
    )
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="指定人"
    )
    # A later choice in the same round (after a return) supersedes this one.
    active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("指定时间", auto_now_add=True)

    class Meta:
        verbose_name = "指定参与人"
        verbose_name_plural = "指定参与人"

    def __str__(self) -> str:
        return str(self.department or self.user)


class CarbonCopy(models.Model):
    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="ccs", verbose_name="审批单"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="approval_ccs",
        verbose_name="抄送给",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="抄送人"
    )
    created_at = models.DateTimeField("抄送时间", auto_now_add=True)

    class Meta:
        verbose_name = "抄送"
        verbose_name_plural = "抄送"
        constraints = [models.UniqueConstraint(fields=["request", "user"], name="cc_once")]

    def __str__(self) -> str:
        return f"{self.request} 抄送 {self.user}"


class DeputyQuerySet(models.QuerySet):
    def in_force(self, on):
        from staff.models import in_force_q

        return self.filter(in_force_q(on))


class Deputy(models.Model):
    """代理人: receives a person's approval tasks for a date range."""

    class Source(models.TextChoices):
        MANUAL = "manual", "本人设置"
        LEAVE = "leave", "请假自动设置"

    principal = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="deputies",
        verbose_name="被代理人",
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="deputising",
        verbose_name="代理人",
    )
    valid_from = models.DateField("起始日期")
    valid_to = models.DateField("截止日期（不含）")
    reason = models.CharField("原因", max_length=200, blank=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.MANUAL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="设置人"
    )
    created_at = models.DateTimeField("设置时间", auto_now_add=True)

    objects = DeputyQuerySet.as_manager()

    class Meta:
        verbose_name = "审批代理人"
        verbose_name_plural = "审批代理人"
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gt=models.F("valid_from")), name="deputy_dates_order"
            ),
            models.CheckConstraint(
                condition=~Q(principal=models.F("deputy")), name="deputy_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy.name} 代理 {self.principal.name}"


class Notice(models.Model):
    """An in-app notice; email and 企业微信 copies are sent after commit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name="接收人",
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    # Callers that must not notify twice (reminders) pass a key.
    dedup_key = models.CharField("去重键", max_length=120, blank=True)

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_user_read")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedup_key"], condition=~Q(dedup_key=""), name="notice_dedup"
            )
        ]

    def __str__(self) -> str:
        return self.title
