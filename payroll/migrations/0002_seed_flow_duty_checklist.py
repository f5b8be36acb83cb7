"""Data: the pay-standard flow (营业部经理 → 渠道管理部, R-1.1), a default
duty checklist (R-5.3) and score bands."""

from decimal import Decimal

from django.db import migrations

ITEMS = [
    ("worklog", "工作日志填写及质量", Decimal("20"), 1),
    ("attendance", "考勤纪律", Decimal("20"), 2),
    ("service", "客户服务规范", Decimal("25"), 3),
    ("visits", "客户走访与回访", Decimal("20"), 4),
    ("teamwork", "团队协作与例会", Decimal("15"), 5),
]
BANDS = [
    (Decimal("90"), Decimal("1.0000")),
    (Decimal("80"), Decimal("0.9000")),
    (Decimal("70"), Decimal("0.8000")),
    (Decimal("60"), Decimal("0.6000")),
    (Decimal("0"), Decimal("0.0000")),
]


def seed(apps, schema_editor):
    Flow = apps.get_model("approvals", "Flow")
    FlowStep = apps.get_model("approvals", "FlowStep")
    Department = apps.get_model("staff", "Department")
    DutyItem = apps.get_model("payroll", "DutyItem")
    ScoreBand = apps.get_model("payroll", "ScoreBand")
    if not Flow.objects.filter(code="pay_standard").exists():
        flow = Flow.objects.create(
            code="pay_standard", name="薪酬标准报批", version=1,
            description="营业部薪酬标准经营业部经理审核、报渠道管理部批准后执行（第二条、第十五条）。",
        )
        FlowStep.objects.create(flow=flow, order=1, name="营业部经理审核", action_label="同意", mode="sequential",
                                rule="submitter_role", role="branch_manager")
        step = FlowStep.objects.create(flow=flow, order=2, name="渠道管理部批准", action_label="批准",
                                       mode="sequential", rule="departments")
        step.departments.set(Department.objects.filter(code="channel"))
    for code, name, points, order in ITEMS:
        DutyItem.objects.get_or_create(code=code, defaults={"name": name, "max_points": points, "order": order})
    for score, coefficient in BANDS:
        ScoreBand.objects.get_or_create(min_score=score, defaults={"coefficient": coefficient})


class Migration(migrations.Migration):
    dependencies = [
        ("payroll", "0001_initial"),
        ("approvals", "0002_seed_plan_and_rules_flows"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
