from django.db import migrations

TIERS = [
    ("core", "核心", 1, 30, 5_000_000),
    ("important", "重要", 2, 60, 1_000_000),
    ("general", "一般", 3, 90, None),
]


def seed(apps, schema_editor):
    ClientTier = apps.get_model("clients", "ClientTier")
    for code, name, rank, days, assets in TIERS:
        ClientTier.objects.get_or_create(
            code=code,
            defaults={"name": name, "rank": rank, "visit_interval_days": days, "min_assets": assets},
        )


class Migration(migrations.Migration):
    dependencies = [("clients", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
