"""Data: the asset categories of 第十一条 (computers, office equipment,
promotional material) and the incident decision flows (R-4.4)."""

from django.db import migrations

CATEGORIES = [
    # code, name, tracking, unit
    ("PC", "电脑设备", "unit", "台"),
    ("OF", "办公设备", "unit", "台"),
    ("PD", "宣传展具", "unit", "个"),
    ("PR", "宣传用具", "stock", "份"),
]

FLOWS = {
    "asset_incident": (
        "实物损失处理决定",
        "实物损毁、丢失或被盗的赔偿或免赔决定，由团队负责人批准（第十四条）。",
        [(1, "团队负责人审批", "批准", "submitter_role", "team_leader")],
    ),
    "asset_incident_leader": (
        "实物损失处理决定（责任人为团队负责人）",
        "责任人是团队负责人本人时，由营业部经理批准（第十四条）。",
        [(1, "营业部经理审批", "批准", "submitter_role", "branch_manager")],
    ),
}


def seed(apps, schema_editor):
    Category = apps.get_model("assets", "Category")
    Flow = apps.get_model("approvals", "Flow")
    FlowStep = apps.get_model("approvals", "FlowStep")
    for code, name, tracking, unit in CATEGORIES:
        Category.objects.get_or_create(
            code=code, defaults={"name": name, "tracking": tracking, "unit": unit}
        )
    for code, (name, description, steps) in FLOWS.items():
        if Flow.objects.filter(code=code).exists():
            continue
        flow = Flow.objects.create(code=code, name=name, version=1, description=description)
        for order, step_name, label, rule, role in steps:
            FlowStep.objects.create(
                flow=flow, order=order, name=step_name, action_label=label,
                mode="sequential", rule=rule, role=role,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("assets", "0001_register_ledger_handover_incidents"),
        ("approvals", "0002_seed_plan_and_rules_flows"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
