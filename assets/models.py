"""Physical assets (SPEC §4, 第十一–十四条).

The ledger (``Movement``) is append-only: every 入库, 领用, transfer, 归还,
报废, count adjustment and loss is a new row, never changed or deleted. What
each person or store holds (``Holding``) and the register's current columns
on ``Item`` are a projection of the ledger, written only by
``assets.services.ledger`` in the same transaction as the movement, under a
lock on the item row; ``assets.selectors.ledger_discrepancies`` recomputes
them from the ledger.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

User = settings.AUTH_USER_MODEL


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete a ledger row."""


# -- configuration --------------------------------------------------------------


class Category(models.Model):
    """资产类别. Equipment is tracked one by one; promotional material is
    counted stock (R-4.1)."""

    class Tracking(models.TextChoices):
        UNIT = "unit", "逐件管理（设备）"
        STOCK = "stock", "数量管理（物料）"

    code = models.CharField(
        "类别代码",
        max_length=10,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9]+$", "类别代码只能是大写字母和数字。")],
    )
    name = models.CharField("类别名称", max_length=50, unique=True)
    tracking = models.CharField("管理方式", max_length=10, choices=Tracking.choices)
    unit = models.CharField("计量单位", max_length=10, default="台")
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "资产类别"
        verbose_name_plural = "资产类别"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_stock(self) -> bool:
        return self.tracking == self.Tracking.STOCK


# -- the register --------------------------------------------------------------


class ItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        from assets.selectors import item_visibility_q

        return self.filter(item_visibility_q(user))


class Item(models.Model):
    """One row of 实物管理明细表 (R-4.3). A unit item (a computer) has at most
    one holding of one; a stock item (brochures) has quantities spread over
    stores and people."""

    class Status(models.TextChoices):
        IN_STORE = "in_store", "在库"
        IN_USE = "in_use", "在用"
        USED_UP = "used_up", "已发完"
        LOST = "lost", "已丢失"
        SCRAPPED = "scrapped", "已报废"

    asset_no = models.CharField(
        "资产编号",
        max_length=30,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9-]+$", "资产编号只能包含字母、数字和连字符。")],
        error_messages={"unique": "该资产编号已被使用。"},
    )
    name = models.CharField("名称", max_length=100)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="items", verbose_name="类别"
    )
    specification = models.CharField("规格型号", max_length=200, blank=True)
    purchase_date = models.DateField("购置日期", null=True, blank=True)
    value = models.DecimalField(
        "单价（元）",
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text="设备为原值，物料为单价",
    )
    note = models.CharField("备注", max_length=200, blank=True)
    # Org stamp: the team accountable for it; never changes.
    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    team = models.ForeignKey(
        "staff.Team", on_delete=models.PROTECT, related_name="asset_items", verbose_name="团队"
    )
    registered_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    registered_at = models.DateTimeField("登记时间", auto_now_add=True)

    # Projection of the ledger (written only by assets.services.ledger).
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.IN_STORE, db_index=True
    )
    quantity = models.PositiveIntegerField("账面数量", default=0)
    in_store = models.PositiveIntegerField("库存数量", default=0)
    outlet = models.ForeignKey(
        "staff.Outlet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所在网点",
    )
    custodian = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="保管人",
    )

    history = HistoricalRecords(
        verbose_name="实物变更记录",
        excluded_fields=["status", "quantity", "in_store", "outlet", "custodian"],
    )

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = "实物"
        verbose_name_plural = "实物管理明细表"
        ordering = ["asset_no"]
        indexes = [
            models.Index(fields=["branch", "team"], name="asset_item_branch_team"),
            models.Index(fields=["team", "category", "status"], name="asset_item_team_cat"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.asset_no}）"

    def get_absolute_url(self) -> str:
        return reverse("assets:item_detail", args=[self.pk])

    @property
    def issued(self) -> int:
        """Units held by people rather than in a store."""
        return self.quantity - self.in_store


class Holding(models.Model):
    """What one person (or, with no holder, the team's store) holds of an item
    at an outlet. A projection of the ledger: never written except by the
    ledger service."""

    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="holdings", verbose_name="实物"
    )
    outlet = models.ForeignKey(
        "staff.Outlet", on_delete=models.PROTECT, related_name="+", verbose_name="网点"
    )
    holder = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="asset_holdings",
        verbose_name="保管人",
        help_text="空表示在库（实物管理员保管）",
    )
    quantity = models.PositiveIntegerField("数量")

    class Meta:
        verbose_name = "实物持有"
        verbose_name_plural = "实物持有"
        constraints = [
            models.UniqueConstraint(
                fields=["item", "outlet", "holder"],
                condition=Q(holder__isnull=False),
                name="holding_one_row_per_holder",
            ),
            models.UniqueConstraint(
                fields=["item", "outlet"],
                condition=Q(holder__isnull=True),
                name="holding_one_store_row",
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="holding_positive"),
        ]
        indexes = [models.Index(fields=["holder", "item"], name="holding_holder_item")]

    def __str__(self) -> str:
        who = self.holder.name if self.holder_id else "库存"
        return f"{self.item.asset_no} · {who} · {self.quantity}"


# -- the ledger ------------------------------------------------------------------


class MovementQuerySet(models.QuerySet):
    def visible_to(self, user):
        from assets.selectors import movement_visibility_q

        return self.filter(movement_visibility_q(user))

    def update(self, **kwargs):
        raise AppendOnlyError("出入库流水只能追加，不能修改。")

    def delete(self):
        raise AppendOnlyError("出入库流水只能追加，不能删除。")


class Movement(models.Model):
    """One entry of the append-only ledger (R-4.3). A side with no holder is
    the team's store at that outlet; a missing side is outside the books
    (bought in, handed out to clients, scrapped, lost)."""

    class Kind(models.TextChoices):
        RECEIVE = "receive", "入库"
        ISSUE = "issue", "领用"
        TRANSFER = "transfer", "调拨"
        RETURN = "return", "归还"
        HANDOVER = "handover", "交接"
        CONSUME = "consume", "发放耗用"
        SCRAP = "scrap", "报废"
        COUNT_GAIN = "count_gain", "盘盈"
        COUNT_LOSS = "count_loss", "盘亏"
        LOSS = "loss", "丢失/被盗核销"

    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="movements", verbose_name="实物"
    )
    kind = models.CharField("类型", max_length=12, choices=Kind.choices, db_index=True)
    quantity = models.PositiveIntegerField("数量", validators=[MinValueValidator(1)])
    from_outlet = models.ForeignKey(
        "staff.Outlet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="调出网点",
    )
    from_holder = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="交出人",
    )
    to_outlet = models.ForeignKey(
        "staff.Outlet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="调入网点",
    )
    to_holder = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="接收人",
    )
    occurred_on = models.DateField("业务日期")
    note = models.CharField("说明", max_length=200, blank=True)
    # Where it came from, when a document caused it.
    handover = models.ForeignKey(
        "Handover",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="movements",
        verbose_name="交接单",
    )
    stocktake = models.ForeignKey(
        "StockTake",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="movements",
        verbose_name="盘点单",
    )
    incident = models.ForeignKey(
        "Incident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="movements",
        verbose_name="损失事件",
    )
    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    team = models.ForeignKey(
        "staff.Team", on_delete=models.PROTECT, related_name="+", verbose_name="团队"
    )
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="经办人"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = MovementQuerySet.as_manager()

    class Meta:
        verbose_name = "出入库流水"
        verbose_name_plural = "出入库流水"
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["item", "occurred_on"], name="movement_item_date"),
            models.Index(fields=["branch", "team", "occurred_on"], name="movement_stamp_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.item.asset_no} ×{self.quantity}"

    def save(self, *args, **kwargs):
        # Integrity of the ledger, not business logic: a row is written once.
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("出入库流水只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("出入库流水只能追加，不能删除。")


# -- custodians per outlet (R-4.2) --------------------------------------------------


class OutletCustodian(models.Model):
    """The client manager who keeps a team's shared assets at an outlet
    (R-4.2), dated like every assignment (half-open)."""

    team = models.ForeignKey(
        "staff.Team", on_delete=models.PROTECT, related_name="+", verbose_name="团队"
    )
    outlet = models.ForeignKey(
        "staff.Outlet", on_delete=models.PROTECT, related_name="+", verbose_name="网点"
    )
    person = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="保管人"
    )
    valid_from = models.DateField("起始日期")
    valid_to = models.DateField("截止日期（不含）", null=True, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="指定人"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "网点实物保管人"
        verbose_name_plural = "网点实物保管人"
        ordering = ["team", "outlet", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "outlet"],
                condition=Q(valid_to__isnull=True),
                name="custodian_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.outlet.name} · {self.person.name}"


# -- handover (R-4.3, R-1.7) ------------------------------------------------------


class HandoverQuerySet(models.QuerySet):
    def visible_to(self, user):
        from assets.selectors import handover_visibility_q

        return self.filter(handover_visibility_q(user))


class Handover(models.Model):
    """实物交接单: everything a person holds of one team, opened when he is
    marked leaving or moves, confirmed line by line by the keeper and the
    receiver (R-4.3)."""

    class Reason(models.TextChoices):
        LEAVING = "leaving", "离职"
        MOVE = "move", "调动"
        OTHER = "other", "岗位变动（其他）"

    class Status(models.TextChoices):
        OPEN = "open", "交接中"
        DONE = "done", "已完成"
        CANCELLED = "cancelled", "已取消"

    person = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="asset_handovers", verbose_name="交出人"
    )
    reason = models.CharField("交接原因", max_length=10, choices=Reason.choices)
    from_outlet = models.ForeignKey(
        "staff.Outlet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="原网点",
    )
    to_outlet = models.ForeignKey(
        "staff.Outlet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="新网点",
    )
    receiver = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="接收人",
        help_text="空表示归还库房",
    )
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    note = models.CharField("说明", max_length=200, blank=True)
    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    team = models.ForeignKey(
        "staff.Team", on_delete=models.PROTECT, related_name="+", verbose_name="团队"
    )
    opened_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发起人",
    )
    opened_at = models.DateTimeField("发起时间", auto_now_add=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    history = HistoricalRecords(verbose_name="交接单变更记录")

    objects = HandoverQuerySet.as_manager()

    class Meta:
        verbose_name = "实物交接单"
        verbose_name_plural = "实物交接单"
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "team"],
                condition=Q(status="open"),
                name="handover_one_open_per_team",
            )
        ]

    def __str__(self) -> str:
        return f"实物交接单 JJ{self.pk:05d}（{self.person.name}，{self.get_reason_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("assets:handover_detail", args=[self.pk])

    @property
    def number(self) -> str:
        return f"JJ{self.pk:05d}"


class HandoverLine(models.Model):
    class Disposition(models.TextChoices):
        TO_RECEIVER = "receiver", "交接给接收人"
        TO_STORE = "store", "归还库房"
        KEEP = "keep", "本人继续保管（随调动）"

    class State(models.TextChoices):
        PENDING = "pending", "待清点"
        COUNTED = "counted", "待接收人确认"
        DONE = "done", "已完成"
        CANCELLED = "cancelled", "已取消"

    handover = models.ForeignKey(
        Handover, on_delete=models.PROTECT, related_name="lines", verbose_name="交接单"
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name="实物")
    outlet = models.ForeignKey(
        "staff.Outlet", on_delete=models.PROTECT, related_name="+", verbose_name="所在网点"
    )
    expected = models.PositiveIntegerField("账面数量")
    disposition = models.CharField("去向", max_length=10, choices=Disposition.choices, blank=True)
    counted = models.PositiveIntegerField("清点数量", null=True, blank=True)
    state = models.CharField(
        "状态", max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    keeper_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="实物管理员确认",
    )
    keeper_at = models.DateTimeField("清点时间", null=True, blank=True)
    receiver_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="接收人确认",
    )
    receiver_at = models.DateTimeField("接收时间", null=True, blank=True)
    incident = models.ForeignKey(
        "Incident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="缺失登记",
    )

    class Meta:
        verbose_name = "交接明细"
        verbose_name_plural = "交接明细"
        ordering = ["handover", "item__asset_no", "id"]

    def __str__(self) -> str:
        return f"{self.handover.number} · {self.item.asset_no}"

    @property
    def missing(self) -> int:
        return 0 if self.counted is None else max(self.expected - self.counted, 0)


# -- incidents (R-4.4) -----------------------------------------------------------------


class IncidentQuerySet(models.QuerySet):
    def visible_to(self, user):
        from assets.selectors import incident_visibility_q

        return self.filter(incident_visibility_q(user, self.model))


class Incident(models.Model):
    """损失事件: damage, loss or theft, with the person responsible, the
    assessed amount and the decision (charged or waived, with reason) that
    the team leader approves (R-4.4). A charged amount reaches payroll
    through ``assets.selectors.charges_for``."""

    class Kind(models.TextChoices):
        DAMAGE = "damage", "损坏"
        LOSS = "loss", "丢失"
        THEFT = "theft", "被盗"

    class Source(models.TextChoices):
        REPORTED = "reported", "登记"
        HANDOVER = "handover", "交接缺失"
        STOCKTAKE = "stocktake", "盘点短缺"

    class Decision(models.TextChoices):
        CHARGE = "charge", "由责任人赔偿"
        WAIVE = "waive", "免予赔偿"

    class Status(models.TextChoices):
        DRAFT = "draft", "待处理"
        PENDING = "pending", "审批中"
        APPROVED = "approved", "已决定"
        REJECTED = "rejected", "被退回"
        WITHDRAWN = "withdrawn", "已撤回"

    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="incidents", verbose_name="实物"
    )
    kind = models.CharField("事件类型", max_length=10, choices=Kind.choices)
    source = models.CharField(
        "来源", max_length=10, choices=Source.choices, default=Source.REPORTED
    )
    quantity = models.PositiveIntegerField("数量", default=1, validators=[MinValueValidator(1)])
    occurred_on = models.DateField("发生日期")
    circumstances = models.TextField("经过")
    responsible = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="asset_incidents", verbose_name="责任人"
    )
    assessed_amount = models.DecimalField(
        "评估损失（元）", max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    decision = models.CharField("处理决定", max_length=10, choices=Decision.choices, blank=True)
    charged_amount = models.DecimalField(
        "赔偿金额（元）",
        max_digits=14,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    decision_reason = models.TextField("决定理由", blank=True)
    deduct_month = models.DateField(
        "扣款月份", null=True, blank=True, help_text="每月 1 日表示该月；批准时不早于批准当月"
    )
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    team = models.ForeignKey(
        "staff.Team", on_delete=models.PROTECT, related_name="+", verbose_name="团队"
    )
    prepared_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    # The approval time is the time of the history entry that approves it.
    history = HistoricalRecords(verbose_name="损失事件变更记录", excluded_fields=["approved_at"])

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = "实物损失事件"
        verbose_name_plural = "实物损失事件"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["branch", "team"], name="incident_branch_team"),
            models.Index(fields=["responsible", "deduct_month"], name="incident_charge"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(charged_amount__lte=models.F("assessed_amount")),
                name="incident_charge_within_assessment",
                violation_error_message="赔偿金额不能超过评估损失。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.item.name}{self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("assets:incident_detail", args=[self.pk])

    @property
    def number(self) -> str:
        return f"SS{self.pk:05d}"


# -- stock-taking ------------------------------------------------------------------------


class StockTakeQuerySet(models.QuerySet):
    def visible_to(self, user):
        from assets.selectors import stocktake_visibility_q

        return self.filter(stocktake_visibility_q(user))


class StockTake(models.Model):
    """盘点: a count of one team's assets at one outlet. While it is open the
    outlet's movements are frozen, so the book figures stay true."""

    class Status(models.TextChoices):
        OPEN = "open", "盘点中"
        CLOSED = "closed", "已完成"

    outlet = models.ForeignKey(
        "staff.Outlet", on_delete=models.PROTECT, related_name="+", verbose_name="网点"
    )
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    note = models.CharField("说明", max_length=200, blank=True)
    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    team = models.ForeignKey(
        "staff.Team", on_delete=models.PROTECT, related_name="+", verbose_name="团队"
    )
    opened_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="发起人"
    )
    opened_on = models.DateField("盘点日期")
    opened_at = models.DateTimeField("发起时间", auto_now_add=True)
    closed_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="结束人",
    )
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    objects = StockTakeQuerySet.as_manager()

    class Meta:
        verbose_name = "实物盘点"
        verbose_name_plural = "实物盘点"
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "outlet"],
                condition=Q(status="open"),
                name="stocktake_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"盘点单 PD{self.pk:05d}（{self.outlet.name}，{self.opened_on}）"

    def get_absolute_url(self) -> str:
        return reverse("assets:stocktake_detail", args=[self.pk])

    @property
    def number(self) -> str:
        return f"PD{self.pk:05d}"


class StockTakeLine(models.Model):
    class Resolution(models.TextChoices):
        PENDING = "pending", "待处理"
        MATCHED = "matched", "账实相符"
        LEDGER = "ledger", "已调账"
        INCIDENT = "incident", "已登记损失"

    stocktake = models.ForeignKey(
        StockTake, on_delete=models.PROTECT, related_name="lines", verbose_name="盘点单"
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name="实物")
    holder = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="保管人",
    )
    expected = models.PositiveIntegerField("账面数量")
    counted = models.PositiveIntegerField("实盘数量", null=True, blank=True)
    counted_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="盘点人",
    )
    counted_at = models.DateTimeField("盘点时间", null=True, blank=True)
    resolution = models.CharField(
        "处理", max_length=10, choices=Resolution.choices, default=Resolution.PENDING
    )
    incident = models.ForeignKey(
        Incident,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="损失事件",
    )

    class Meta:
        verbose_name = "盘点明细"
        verbose_name_plural = "盘点明细"
        ordering = ["stocktake", "item__asset_no", "id"]

    def __str__(self) -> str:
        return f"{self.stocktake.number} · {self.item.asset_no}"

    @property
    def difference(self) -> int | None:
        return None if self.counted is None else self.counted - self.expected
