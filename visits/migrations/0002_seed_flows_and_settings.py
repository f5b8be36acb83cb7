"""Data: the month-end verification of visit logs (R-7.1: the logs go to the
responsible person, who verifies them and writes an opinion), the quarterly
report's way to the leaders (R-7.4), and the company default settings."""

from django.db import migrations

FLOWS = {
    "visit_log_review": (
        "客户走访日志月度核验",
        "客户经理每月末将当月客户走访日志报团队负责人核验并签署意见（篇5 一）。",
        [(1, "团队负责人核验", "核验通过", "team_leader")],
    ),
    "visit_report_team": (
        "客户走访季度报告（团队）",
        "团队每季度将客户走访情况及客户诉求处理情况形成报告，报营业部领导（篇5 一）。",
        [(1, "营业部经理审阅", "已阅", "branch_manager")],
    ),
    "visit_report_branch": (
        "客户走访季度报告（营业部）",
        "营业部每季度将客户走访情况及客户诉求处理情况形成报告，报公司主管领导（篇5 一）。",
        [(1, "主管副总裁审阅", "已阅", "vp")],
    ),
}


def seed(apps, schema_editor):
    Flow = apps.get_model("approvals", "Flow")
    FlowStep = apps.get_model("approvals", "FlowStep")
    for code, (name, description, steps) in FLOWS.items():
        if Flow.objects.filter(code=code).exists():
            continue
        flow = Flow.objects.create(code=code, name=name, version=1, description=description)
        for order, step_name, label, role in steps:
            FlowStep.objects.create(
                flow=flow,
                order=order,
                name=step_name,
                action_label=label,
                mode="sequential",
                rule="submitter_role",
                role=role,
            )
    VisitSettings = apps.get_model("visits", "VisitSettings")
    if not VisitSettings.objects.filter(branch__isnull=True).exists():
        VisitSettings.objects.create(branch=None, overlap_days=30, followup_days=7)


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0001_initial"),
        ("approvals", "0002_seed_plan_and_rules_flows"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
