"""Data: the analysis report goes to the branch manager for review (R-1.8)."""

from django.db import migrations


def seed(apps, schema_editor):
    Flow = apps.get_model("approvals", "Flow")
    FlowStep = apps.get_model("approvals", "FlowStep")
    if Flow.objects.filter(code="analysis_report").exists():
        return
    flow = Flow.objects.create(
        code="analysis_report",
        name="业务分析报告审阅",
        version=1,
        description="团队月度、半年、年度业务分析报告报营业部经理审阅后归档（第六条）。",
    )
    FlowStep.objects.create(
        flow=flow, order=1, name="营业部经理审阅", action_label="审阅归档", mode="sequential",
        rule="submitter_role", role="branch_manager",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0001_initial"),
        ("approvals", "0002_seed_plan_and_rules_flows"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
