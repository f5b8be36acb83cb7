from django import forms
from django.utils import timezone

from assets.models import Category, HandoverLine, Incident, Item, Movement
from assets.services.ledger import MANUAL_KINDS
from staff.models import Outlet, Team, User

# ISO dates: a browser's date input accepts nothing else.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.employee_no}）"


class ItemRegisterForm(forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.none(), label="团队")
    category = forms.ModelChoiceField(
        queryset=Category.objects.filter(is_active=True), label="类别"
    )
    name = forms.CharField(label="名称", max_length=100)
    specification = forms.CharField(label="规格型号", max_length=200, required=False)
    value = forms.DecimalField(
        label="单价（元）", max_digits=14, decimal_places=2, min_value=0, help_text="设备填原值"
    )
    quantity = forms.IntegerField(
        label="数量", min_value=1, initial=1, help_text="设备按件各自编号；物料为入库数量"
    )
    outlet = forms.ModelChoiceField(queryset=Outlet.objects.none(), label="入库网点")
    purchase_date = forms.DateField(label="购置日期", required=False, widget=DATE)
    on = forms.DateField(label="入库日期", initial=timezone.localdate, widget=DATE)
    asset_no = forms.CharField(
        label="资产编号", max_length=30, required=False, help_text="留空自动编号（团队-类别-序号）"
    )
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, teams=None, outlets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams if teams is not None else Team.objects.none()
        self.fields["outlet"].queryset = outlets if outlets is not None else Outlet.objects.none()


class ItemEditForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = ["name", "specification", "purchase_date", "value", "note"]
        widgets = {"purchase_date": DATE}


class StockReceiveForm(forms.Form):
    quantity = forms.IntegerField(label="入库数量", min_value=1)
    outlet = forms.ModelChoiceField(queryset=Outlet.objects.none(), label="入库网点")
    on = forms.DateField(label="入库日期", initial=timezone.localdate, widget=DATE)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, outlets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outlet"].queryset = outlets if outlets is not None else Outlet.objects.none()


class MovementForm(forms.Form):
    """领用, 调拨, 归还, 发放耗用, 报废 of one item, from one of its holdings."""

    kind = forms.ChoiceField(label="类型")
    source = forms.ChoiceField(label="调出（当前所在）")
    to_holder = PersonChoiceField(
        queryset=User.objects.none(),
        label="接收人",
        required=False,
        help_text="领用、调拨给个人时填写；调拨回库房留空",
    )
    to_outlet = forms.ModelChoiceField(
        queryset=Outlet.objects.none(),
        label="调入网点",
        required=False,
        help_text="留空：接收人所在网点（归还时为原网点）",
    )
    quantity = forms.IntegerField(label="数量", min_value=1, initial=1)
    on = forms.DateField(label="业务日期", initial=timezone.localdate, widget=DATE)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, item=None, holdings=(), people=None, outlets=None, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = [(k.value, k.label) for k in Movement.Kind if k in MANUAL_KINDS]
        if item is not None and not item.category.is_stock:
            allowed = [k for k in allowed if k[0] != "consume"]
        self.fields["kind"].choices = allowed
        self.holdings = {str(h.pk): h for h in holdings}
        self.fields["source"].choices = [
            (
                str(h.pk),
                f"{h.outlet.name} · {h.holder.name if h.holder else '库存'}（{h.quantity}）",
            )
            for h in holdings
        ]
        self.fields["to_holder"].queryset = people if people is not None else User.objects.none()
        self.fields["to_outlet"].queryset = (
            outlets if outlets is not None else Outlet.objects.none()
        )
        if item is not None and not item.category.is_stock:
            self.fields["quantity"].widget = forms.HiddenInput()


class HandoverStartForm(forms.Form):
    note = forms.CharField(label="说明", max_length=200, required=False)


class HandoverReceiverForm(forms.Form):
    receiver = PersonChoiceField(
        queryset=User.objects.none(),
        label="接收人",
        required=False,
        empty_label="（归还库房）",
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = people if people is not None else User.objects.none()


class HandoverCountForm(forms.Form):
    disposition = forms.ChoiceField(label="去向", choices=HandoverLine.Disposition.choices)
    counted = forms.IntegerField(label="清点数量", min_value=0)


class HandoverCountAllForm(forms.Form):
    disposition = forms.ChoiceField(label="去向", choices=HandoverLine.Disposition.choices)


class IncidentReportForm(forms.Form):
    kind = forms.ChoiceField(label="事件类型", choices=Incident.Kind.choices)
    quantity = forms.IntegerField(label="数量", min_value=1, initial=1)
    occurred_on = forms.DateField(label="发生日期", initial=timezone.localdate, widget=DATE)
    responsible = PersonChoiceField(queryset=User.objects.none(), label="责任人")
    circumstances = forms.CharField(label="经过", widget=forms.Textarea(attrs={"rows": 4}))
    assessed_amount = forms.DecimalField(
        label="评估损失（元）",
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text="留空按单价 × 数量",
    )

    def __init__(self, *args, item=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = people if people is not None else User.objects.none()
        if item is not None and not item.category.is_stock:
            self.fields["quantity"].widget = forms.HiddenInput()


class MonthField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]


class IncidentDecisionForm(forms.ModelForm):
    responsible = PersonChoiceField(queryset=User.objects.none(), label="责任人")
    deduct_month = MonthField(
        label="扣款月份", required=False, help_text="留空为批准当月；批准时不早于批准当月"
    )

    class Meta:
        model = Incident
        fields = [
            "occurred_on",
            "circumstances",
            "responsible",
            "assessed_amount",
            "decision",
            "charged_amount",
            "decision_reason",
            "deduct_month",
        ]
        widgets = {
            "occurred_on": DATE,
            "circumstances": forms.Textarea(attrs={"rows": 3}),
            "decision_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = people if people is not None else User.objects.none()
        self.fields["decision"].required = True


class SubmitForm(forms.Form):
    opinion = forms.CharField(
        label="报批说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class StockTakeOpenForm(forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.none(), label="团队")
    outlet = forms.ModelChoiceField(queryset=Outlet.objects.none(), label="网点")
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, teams=None, outlets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams if teams is not None else Team.objects.none()
        self.fields["outlet"].queryset = outlets if outlets is not None else Outlet.objects.none()


class StockTakeResolveForm(forms.Form):
    how = forms.ChoiceField(
        label="处理方式",
        choices=[("ledger", "盘盈/盘亏调账（记入流水）"), ("incident", "登记损失事件（追究责任）")],
    )
    responsible = PersonChoiceField(
        queryset=User.objects.none(), label="责任人", required=False, help_text="默认为保管人"
    )
    circumstances = forms.CharField(label="情况说明", max_length=500, required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = people if people is not None else User.objects.none()


class CustodianForm(forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.none(), label="团队")
    outlet = forms.ModelChoiceField(queryset=Outlet.objects.none(), label="网点")
    person = PersonChoiceField(queryset=User.objects.none(), label="保管人")
    on = forms.DateField(label="起始日期", initial=timezone.localdate, widget=DATE)

    def __init__(self, *args, teams=None, outlets=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams if teams is not None else Team.objects.none()
        self.fields["outlet"].queryset = outlets if outlets is not None else Outlet.objects.none()
        self.fields["person"].queryset = people if people is not None else User.objects.none()
