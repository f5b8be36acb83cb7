"""Data: requests submitted before per-round snapshots keep only their latest
round's summary (on the request); copy it onto that round's submit or
resubmit action. Earlier rounds' snapshots were overwritten and stay empty."""

from django.db import migrations


def backfill(apps, schema_editor):
    Action = apps.get_model("approvals", "Action")
    Request = apps.get_model("approvals", "Request")
    for request in Request.objects.exclude(summary=[]).only("pk", "round", "summary"):
        latest = (
            Action.objects.filter(
                request_id=request.pk, round=request.round, kind__in=["submit", "resubmit"]
            )
            .order_by("-created_at", "-id")
            .values_list("pk", flat=True)
            .first()
        )
        if latest is not None:
            Action.objects.filter(pk=latest).update(summary=request.summary)


class Migration(migrations.Migration):
    dependencies = [("approvals", "0003_action_summary_snapshot")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
