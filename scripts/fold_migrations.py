"""Folds AddIndex/AddConstraint into the CreateModel of the same migration
(the same schema, far fewer model-state re-renders on ``migrate``).

Usage, from the project folder, on migrations not yet applied anywhere or
whose schema must stay the same (see docs/decisions.md, "Initial
migrations fold their indexes"):

    .venv/bin/python scripts/fold_migrations.py app/migrations/0001_initial.py ...

Then check ``makemigrations --check`` and compare ``sqlite3 .schema``.
"""

import importlib
import os
import sys
from pathlib import Path

import django

sys.path.insert(0, ".")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()
from django.db import migrations  # noqa: E402
from django.db.migrations.writer import MigrationWriter  # noqa: E402

for path in sys.argv[1:]:
    module_name = path[:-3].replace("/", ".")
    module = importlib.import_module(module_name)
    mig = module.Migration(module_name.split(".")[-1], module_name.split(".")[0])
    ops = list(mig.operations)
    created = {}
    added_later = set()
    out = []
    folded = 0
    for op in ops:
        if isinstance(op, migrations.CreateModel):
            created[op.name_lower] = op
            out.append(op)
        elif isinstance(op, migrations.AddField):
            added_later.add(op.model_name_lower)
            out.append(op)
        elif (
            isinstance(op, (migrations.AddIndex, migrations.AddConstraint))
            and op.model_name_lower in created
            and op.model_name_lower not in added_later
        ):
            cm = created[op.model_name_lower]
            key = "indexes" if isinstance(op, migrations.AddIndex) else "constraints"
            item = op.index if key == "indexes" else op.constraint
            cm.options[key] = [*cm.options.get(key, []), item]
            folded += 1
        else:
            out.append(op)
    mig.operations = out
    mig.dependencies = [
        ("__setting__", d.setting) if getattr(d, "setting", None) else d for d in mig.dependencies
    ]
    text = MigrationWriter(mig, include_header=False).as_string()
    # The loader resolved swappable dependencies; write them back as settings.
    text = text.replace(
        f"swappable_dependency(settings.{django.conf.settings.AUTH_USER_MODEL})",
        "swappable_dependency(settings.AUTH_USER_MODEL)",
    )
    Path(path).write_text(text)
    left = sum(isinstance(o, (migrations.AddIndex, migrations.AddConstraint)) for o in out)
    print(path, "folded", folded, "left", left)
