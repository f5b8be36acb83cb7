"""The organisation and its people (DESIGN: the shared model).

Date ranges are half-open everywhere in this app: a row is in force on day
``d`` when ``valid_from <= d`` and (``valid_to`` is empty or ``d < valid_to``).
Ending a row sets ``valid_to`` to the first day it no longer applies, so a
same-day correction leaves an empty, still visible, superseded row.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from portal.identity import validate_bank_account, validate_id_number


def in_force_q(on: dt.date, prefix: str = "") -> Q:
    """Rows of a dated model in force on ``on``."""
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": on})
    )


class OrgQuerySet(models.QuerySet):
    """Org units are visible where the user has any part in them."""

    def visible_to(self, user):
        from staff.access import scope_for

        return self.filter(scope_for(user).org_unit_q(self.model))


class Branch(models.Model):
    code = models.CharField("营业部代码", max_length=20, unique=True)
    name = models.CharField("营业部名称", max_length=100, unique=True)
    address = models.CharField("地址", max_length=200, blank=True)
    is_active = models.BooleanField("在用", default=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = "营业部"
        verbose_name_plural = "营业部"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A headquarters department (总部部门)."""

    class Code(models.TextChoices):
        OFFICE = "office", "经纪业务综合室"
        CHANNEL = "channel", "渠道管理部"
        COMPLIANCE = "compliance", "合规部"
        HR = "hr", "人力资源部"
        FINANCE = "finance", "财务部"
        RISK = "risk", "风险管理部"
        IT = "it", "信息技术部"

    code = models.CharField("部门代码", max_length=20, unique=True)
    name = models.CharField("部门名称", max_length=100, unique=True)
    # Countersigning departments are the ones 渠道管理部 may name.
    countersigns = models.BooleanField("可参与会签", default=True)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "总部部门"
        verbose_name_plural = "总部部门"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class PartnerBank(models.Model):
    code = models.CharField("银行代码", max_length=20, unique=True)
    name = models.CharField("银行名称", max_length=100, unique=True)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "合作银行"
        verbose_name_plural = "合作银行"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Outlet(models.Model):
    """网点: where client managers sit; its hours are theirs (R-2.3)."""

    code = models.CharField("网点代码", max_length=20, unique=True)
    name = models.CharField("网点名称", max_length=100)
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="outlets", verbose_name="营业部"
    )
    partner_bank = models.ForeignKey(
        PartnerBank,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outlets",
        verbose_name="合作银行",
        help_text="营业部本部网点留空",
    )
    address = models.CharField("地址", max_length=200, blank=True)
    work_start = models.TimeField("上班时间", default=dt.time(9, 0))
    work_end = models.TimeField("下班时间", default=dt.time(17, 30))
    regional_manager = models.ForeignKey(
        "staff.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="covered_outlets",
        verbose_name="区域经理",
    )
    is_active = models.BooleanField("在用", default=True)
    history = HistoricalRecords(verbose_name="网点变更记录")

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = "网点"
        verbose_name_plural = "网点"
        ordering = ["branch__code", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(work_end__gt=models.F("work_start")), name="outlet_hours_order"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    class Kind(models.TextChoices):
        BRANCH = "branch", "营业部团队"
        BANK = "bank", "银行渠道团队"

    class Status(models.TextChoices):
        PREPARING = "preparing", "筹建中"
        ACTIVE = "active", "运营中"
        DISSOLVED = "dissolved", "已撤销"

    code = models.CharField("团队代码", max_length=20, unique=True)
    name = models.CharField("团队名称", max_length=100)
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="teams", verbose_name="营业部"
    )
    kind = models.CharField("团队类型", max_length=10, choices=Kind.choices)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.PREPARING
    )
    founded_on = models.DateField("成立日期", null=True, blank=True)
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)
    history = HistoricalRecords(verbose_name="团队变更记录")

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = "营销团队"
        verbose_name_plural = "营销团队"
        ordering = ["branch__code", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def holds_morning_meetings(self) -> bool:
        return self.kind == self.Kind.BRANCH


class Group(models.Model):
    """小组 within a team, led by a group leader (R-1.9)."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="groups", verbose_name="所属团队"
    )
    name = models.CharField("小组名称", max_length=50)
    is_active = models.BooleanField("在用", default=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = "小组"
        verbose_name_plural = "小组"
        ordering = ["team__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="group_unique_name_in_team")
        ]

    def __str__(self) -> str:
        return f"{self.team.name} · {self.name}"


class Level(models.Model):
    """客户经理级别; pay standards hang on it (R-5.4)."""

    code = models.CharField("级别代码", max_length=20, unique=True)
    name = models.CharField("级别名称", max_length=50, unique=True)
    rank = models.PositiveSmallIntegerField("级次", help_text="数字越大级别越高")
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "客户经理级别"
        verbose_name_plural = "客户经理级别"
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.name


class UserQuerySet(models.QuerySet):
    def visible_to(self, user):
        """People the user may see (DESIGN: who sees what)."""
        from staff.access import scope_for

        return self.filter(scope_for(user).people_q())

    def shaped(self):
        return self.select_related("branch", "department", "team", "group", "outlet", "level")


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def create_user(self, employee_no, password=None, **extra):
        if not employee_no:
            raise ValueError("工号不能为空")
        user = self.model(employee_no=employee_no, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, employee_no, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("status", User.Status.ACTIVE)
        extra.setdefault("name", employee_no)
        return self.create_user(employee_no, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    class EmploymentType(models.TextChoices):
        FULL_TIME = "full_time", "全职（劳动合同）"
        PART_TIME = "part_time", "证券经纪人（营销合作协议）"

    class Status(models.TextChoices):
        ONBOARDING = "onboarding", "入职中"
        ACTIVE = "active", "在岗"
        LEAVING = "leaving", "离职中"
        LEFT = "left", "已离职"

    employee_no = models.CharField(
        "工号",
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9_]+$", "工号只能包含字母、数字和下划线。")],
        error_messages={"unique": "该工号已被使用。"},
    )
    name = models.CharField("姓名", max_length=50, db_index=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    id_number = models.CharField(
        "身份证号", max_length=18, blank=True, validators=[validate_id_number]
    )
    bank_account = models.CharField(
        "工资卡号", max_length=30, blank=True, validators=[validate_bank_account]
    )
    bank_name = models.CharField("工资卡开户行", max_length=100, blank=True)
    sac_no = models.CharField("执业登记编号", max_length=30, blank=True)
    sac_expires_on = models.DateField("执业登记有效期至", null=True, blank=True)

    # Current posting; every change is kept as a dated Posting row.
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name="营业部",
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name="总部部门",
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name="团队",
    )
    group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name="小组",
    )
    outlet = models.ForeignKey(
        Outlet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name="网点",
    )
    level = models.ForeignKey(
        Level,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name="级别",
    )
    title = models.CharField("岗位", max_length=50, blank=True, default="客户经理")
    employment_type = models.CharField(
        "用工类型",
        max_length=10,
        choices=EmploymentType.choices,
        default=EmploymentType.FULL_TIME,
    )
    status = models.CharField(
        "人员状态",
        max_length=10,
        choices=Status.choices,
        default=Status.ONBOARDING,
        db_index=True,
    )
    hired_on = models.DateField("入职日期", null=True, blank=True)
    left_on = models.DateField("离职日期", null=True, blank=True)

    is_staff = models.BooleanField("可登录管理后台", default=False)
    is_active = models.BooleanField("账号可用", default=True)
    must_change_password = models.BooleanField("首次登录须改密码", default=False)
    date_joined = models.DateTimeField("账号创建时间", default=timezone.now)

    history = HistoricalRecords(
        verbose_name="人员变更记录", excluded_fields=["password", "last_login"]
    )

    objects = UserManager()

    USERNAME_FIELD = "employee_no"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["employee_no"]
        indexes = [
            models.Index(fields=["branch", "team"], name="user_branch_team"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.employee_no}）"

    def get_absolute_url(self) -> str:
        return reverse("staff:user_detail", args=[self.pk])

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name


class PostingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The posting history of the people the user may see."""
        return self.filter(user__in=User.objects.visible_to(user).values("pk"))


class Posting(models.Model):
    """A dated period of a person's branch/team/group/outlet/level (R-1.7)."""

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="postings", verbose_name="人员"
    )
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="营业部",
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="总部部门",
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="团队",
    )
    group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="小组",
    )
    outlet = models.ForeignKey(
        Outlet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="网点",
    )
    level = models.ForeignKey(
        Level,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="级别",
    )
    valid_from = models.DateField("起始日期")
    valid_to = models.DateField("截止日期（不含）", null=True, blank=True)
    reason = models.CharField("变动原因", max_length=200, blank=True)
    created_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = PostingQuerySet.as_manager()

    class Meta:
        verbose_name = "任职变动记录"
        verbose_name_plural = "任职变动记录"
        ordering = ["user", "valid_from", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(valid_to__isnull=True), name="posting_one_open"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="posting_dates_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.name} {self.valid_from} 起"


class Role(models.TextChoices):
    """Positions and duties, each scoped to one kind of unit (DESIGN)."""

    TEAM_LEADER = "team_leader", "团队负责人"
    GROUP_LEADER = "group_leader", "小组长"
    REGIONAL_MANAGER = "regional_manager", "区域经理"
    ATTENDANCE_RECORDER = "attendance_recorder", "考勤员"
    ASSET_KEEPER = "asset_keeper", "实物管理员"
    BRANCH_MANAGER = "branch_manager", "营业部经理"
    DEPUTY_MANAGER = "deputy_manager", "副经理/经理助理"
    CHIEF_ACCOUNTANT = "chief_accountant", "主办会计"
    FINANCE = "finance", "财务人员"
    ARCHIVE_CLERK = "archive_clerk", "交易管理岗（档案）"
    HQ_MEMBER = "hq_member", "总部部门人员"
    VP = "vp", "主管副总裁"
    HQ_ADMIN = "hq_admin", "系统管理员"


class Scope(models.TextChoices):
    TEAM = "team", "团队"
    GROUP = "group", "小组"
    BRANCH = "branch", "营业部"
    DEPARTMENT = "department", "总部部门"
    COMPANY = "company", "全公司"


ROLE_SCOPE: dict[str, str] = {
    Role.TEAM_LEADER: Scope.TEAM,
    Role.GROUP_LEADER: Scope.GROUP,
    Role.REGIONAL_MANAGER: Scope.TEAM,
    Role.ATTENDANCE_RECORDER: Scope.TEAM,
    Role.ASSET_KEEPER: Scope.TEAM,
    Role.BRANCH_MANAGER: Scope.BRANCH,
    Role.DEPUTY_MANAGER: Scope.BRANCH,
    Role.CHIEF_ACCOUNTANT: Scope.BRANCH,
    Role.FINANCE: Scope.BRANCH,
    Role.ARCHIVE_CLERK: Scope.BRANCH,
    Role.HQ_MEMBER: Scope.DEPARTMENT,
    Role.VP: Scope.COMPANY,
    Role.HQ_ADMIN: Scope.COMPANY,
}


class RoleAssignmentQuerySet(models.QuerySet):
    def in_force(self, on: dt.date | None = None):
        return self.filter(in_force_q(on or timezone.localdate()))

    def visible_to(self, user):
        return self.filter(user__in=User.objects.visible_to(user))


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="role_assignments", verbose_name="人员"
    )
    role = models.CharField("岗位/职责", max_length=30, choices=Role.choices, db_index=True)
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="营业部",
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name="团队",
    )
    group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name="小组",
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name="总部部门",
    )
    valid_from = models.DateField("起始日期")
    valid_to = models.DateField("截止日期（不含）", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="岗位变更记录")

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "岗位任命"
        verbose_name_plural = "岗位任命"
        ordering = ["user", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="role_dates_order",
            ),
        ]
        indexes = [models.Index(fields=["role", "valid_from"], name="role_role_from")]

    def __str__(self) -> str:
        return f"{self.user.name} · {self.get_role_display()} · {self.unit_label}"

    @property
    def unit_label(self) -> str:
        scope = ROLE_SCOPE.get(self.role)
        if scope == Scope.TEAM and self.team_id:
            return self.team.name
        if scope == Scope.GROUP and self.group_id:
            return str(self.group)
        if scope == Scope.BRANCH and self.branch_id:
            return self.branch.name
        if scope == Scope.DEPARTMENT and self.department_id:
            return self.department.name
        return "全公司"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        scope = ROLE_SCOPE.get(self.role)
        required = {
            Scope.TEAM: "team",
            Scope.GROUP: "group",
            Scope.BRANCH: "branch",
            Scope.DEPARTMENT: "department",
        }.get(scope)
        if required and not getattr(self, f"{required}_id"):
            raise ValidationError(
                {required: f"“{self.get_role_display()}”须指定{Scope(scope).label}。"}
            )


class CalendarYear(models.Model):
    """A year whose official holiday schedule has been entered (R-2.9).

    Days of a year without this row count as plain weekdays and are shown
    as provisional."""

    class Source(models.TextChoices):
        PACKAGE = "package", "chinese-calendar 数据包"
        MANUAL = "manual", "管理员录入"

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    entered_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录入人",
    )
    entered_at = models.DateTimeField("录入时间", auto_now=True)
    note = models.CharField(
        "依据", max_length=200, blank=True, help_text="如：国务院办公厅通知文号"
    )

    class Meta:
        verbose_name = "年度工作日历"
        verbose_name_plural = "年度工作日历"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year} 年"


class CalendarDay(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "法定节假日"
        WORKDAY = "workday", "调休上班"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("节日", max_length=50, blank=True)

    class Meta:
        verbose_name = "日历特殊日"
        verbose_name_plural = "日历特殊日"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class Stamped(models.Model):
    """Where it happened: the person's branch/team/group/outlet when the
    record was made, so a later transfer does not carry it to a new leader
    (DESIGN: who sees what; ``staff.access.Scope.stamped_q`` reads it)."""

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
    group = models.ForeignKey(
        "staff.Group",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="小组",
    )
    outlet = models.ForeignKey(
        "staff.Outlet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="网点",
    )

    class Meta:
        abstract = True

    def stamp_from(self, person) -> None:
        self.branch_id = person.branch_id
        self.team_id = person.team_id
        self.group_id = person.group_id
        self.outlet_id = person.outlet_id
