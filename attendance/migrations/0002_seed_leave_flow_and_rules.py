"""Data: the leave flow (第八条（五）, R-2.8: approved by the team leader
before it starts; the engine escalates to the branch manager when the
leader himself asks), the leave rules per type and the statutory annual
leave table (《职工带薪年休假条例》第三条)."""

from decimal import Decimal

from django.db import migrations

FLOW = ("leave", "请假审批", "客户经理请事假、病假等须提前向团队负责人请假，同意后方可休假（第八条（五））。")
STEPS = [
    # order, name, action label, mode, rule, role
    (1, "团队负责人审批", "同意", "sequential", "submitter_role", "team_leader"),
]
POLICIES = [
    # kind, max working days per request (None: no limit), paid, note
    ("personal", None, False, "事假不带薪，按日扣减"),
    ("sick", None, True, "按公司病假工资规定执行；事后补办须附病假条"),
    ("annual", None, True, "按工龄享受，余额见年假标准"),
    ("marriage", Decimal("3"), True, "法定婚假 3 天（各地延长婚假另行调整）"),
    ("maternity", Decimal("98"), True, "法定产假 98 天（按工作日计，可按地方规定调整）"),
    ("bereavement", Decimal("3"), True, "直系亲属丧假 1–3 天"),
    ("compensatory", None, True, "以已记录的加班折算，每满 4 小时折半天"),
]
TIERS = [(1, Decimal("5")), (10, Decimal("10")), (20, Decimal("15"))]


def seed(apps, schema_editor):
    Flow = apps.get_model("approvals", "Flow")
    FlowStep = apps.get_model("approvals", "FlowStep")
    code, name, description = FLOW
    if not Flow.objects.filter(code=code).exists():
        flow = Flow.objects.create(code=code, name=name, version=1, description=description)
        for order, step_name, label, mode, rule, role in STEPS:
            FlowStep.objects.create(
                flow=flow, order=order, name=step_name, action_label=label, mode=mode, rule=rule,
                role=role,
            )
    LeavePolicy = apps.get_model("attendance", "LeavePolicy")
    for kind, max_days, paid, note in POLICIES:
        LeavePolicy.objects.get_or_create(
            kind=kind, defaults={"max_days": max_days, "paid": paid, "note": note}
        )
    AnnualLeaveTier = apps.get_model("attendance", "AnnualLeaveTier")
    for from_years, days in TIERS:
        AnnualLeaveTier.objects.get_or_create(from_years=from_years, defaults={"days": days})


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0001_initial"),
        ("approvals", "0002_seed_plan_and_rules_flows"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
