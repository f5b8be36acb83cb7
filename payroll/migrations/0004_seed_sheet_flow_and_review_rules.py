"""Data: the payroll sheet's signature flow (R-5.2), quarterly level rules
and annual evaluation bands (R-5.4), all editable in the admin."""

from decimal import Decimal

from django.db import migrations

LEVEL_RULES = {
    # up: revenue, accounts, duty; down: revenue, duty
    "L1": ("60000", 6, "85", "0", "60"),
    "L2": ("90000", 9, "85", "20000", "60"),
    "L3": ("120000", 12, "85", "40000", "60"),
    "L4": ("180000", 15, "88", "60000", "60"),
    "L5": ("99999999", 9999, "100", "90000", "60"),
}
BANDS = [
    ("excellent", 1, "90", "1.0", 1),
    ("competent", 2, "75", "0.8", 0),
    ("basic", 3, "60", "0.6", 0),
    ("incompetent", 4, "0", "0", -1),
]


def seed(apps, schema_editor):
    Flow = apps.get_model("approvals", "Flow")
    FlowStep = apps.get_model("approvals", "FlowStep")
    Level = apps.get_model("staff", "Level")
    LevelRule = apps.get_model("payroll", "LevelRule")
    EvaluationBand = apps.get_model("payroll", "EvaluationBand")
    if not Flow.objects.filter(code="payroll_sheet").exists():
        flow = Flow.objects.create(
            code="payroll_sheet", name="薪酬月报表签批", version=1,
            description="财务编制 → 另一名财务复核 → 主办会计 → 副经理/经理助理 → 经理，签批后作为发放依据并报综合室备案（第十五条）。",
        )
        steps = [
            (1, "财务复核", "复核无误", "finance", True),
            (2, "主办会计签字", "签字", "chief_accountant", False),
            (3, "副经理签字", "签字", "deputy_manager", False),
            (4, "经理签字", "签字批准", "branch_manager", False),
        ]
        for order, name, label, role, four_eyes in steps:
            FlowStep.objects.create(flow=flow, order=order, name=name, action_label=label, mode="sequential",
                                    rule="submitter_role", role=role, four_eyes=four_eyes)
    for code, (up_rev, up_acc, up_duty, down_rev, down_duty) in LEVEL_RULES.items():
        level = Level.objects.filter(code=code).first()
        if level is not None:
            LevelRule.objects.get_or_create(level=level, defaults={
                "up_net_revenue": Decimal(up_rev), "up_new_accounts": up_acc, "up_duty_average": Decimal(up_duty),
                "down_net_revenue": Decimal(down_rev), "down_duty_average": Decimal(down_duty),
            })
    for grade, order, duty, completion, change in BANDS:
        EvaluationBand.objects.get_or_create(grade=grade, defaults={
            "order": order, "min_duty_average": Decimal(duty), "min_completion": Decimal(completion),
            "level_change": change,
        })


class Migration(migrations.Migration):
    dependencies = [("payroll", "0003_sheet_adjustments_reviews")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
