"""Data: the rulebook's plan flow (第四条, R-1.3) and the team rules filing
flow (第二条, R-1.1), exactly as DESIGN.md states them."""

from django.db import migrations

FLOWS = {
    "team_plan": (
        "营销团队计划报批（总部会签）",
        "年度工作计划、营销方案、合作银行营销合作方案、人员招聘、考核办法报总部会签（第四条）。",
        [
            # order, name, action label, mode, rule, role, departments, choice kind
            (1, "营业部经理报送", "同意报送", "sequential", "submitter_role", "branch_manager", [], ""),
            (2, "经纪业务综合室受理", "受理", "sequential", "departments", "", ["office"], ""),
            (3, "渠道管理部审核并指定会签部门", "审核通过", "sequential", "departments", "", ["channel"], "departments"),
            (4, "相关部门会签", "会签同意", "all", "chosen", "", [], ""),
            (5, "经纪业务综合室完成报备", "完成报备", "sequential", "departments", "", ["office"], ""),
            (6, "主管副总裁批示", "批示同意", "sequential", "submitter_role", "vp", [], ""),
            (7, "经纪业务综合室发送会签意见", "发送会签意见", "sequential", "departments", "", ["office"], ""),
        ],
    ),
    "team_rules": (
        "团队管理及薪酬标准实施细则报批",
        "各营销团队的管理及薪酬标准实施细则报渠道管理部，经批准后执行（第二条）。",
        [
            (1, "营业部经理审核", "同意", "sequential", "submitter_role", "branch_manager", [], ""),
            (2, "渠道管理部审批", "批准", "sequential", "departments", "", ["channel"], ""),
        ],
    ),
}


def seed(apps, schema_editor):
    Flow = apps.get_model("approvals", "Flow")
    FlowStep = apps.get_model("approvals", "FlowStep")
    Department = apps.get_model("staff", "Department")
    departments = {d.code: d for d in Department.objects.all()}
    for code, (name, description, steps) in FLOWS.items():
        if Flow.objects.filter(code=code).exists():
            continue
        flow = Flow.objects.create(code=code, name=name, version=1, description=description)
        for order, step_name, label, mode, rule, role, depts, choice in steps:
            step = FlowStep.objects.create(
                flow=flow, order=order, name=step_name, action_label=label, mode=mode, rule=rule,
                role=role, choice_kind=choice,
            )
            step.departments.set([departments[d] for d in depts])


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0001_initial"),
        ("staff", "0002_seed_calendar_departments_levels"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
