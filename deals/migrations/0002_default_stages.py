from django.db import migrations

DEFAULT_PIPELINE = [
    ("Lead", 10, 10, "open"),
    ("Qualified", 20, 20, "open"),
    ("Proposal", 30, 40, "open"),
    ("Negotiation", 40, 60, "open"),
    ("Contract", 50, 80, "open"),
    ("Won", 60, 100, "won"),
    ("Lost", 70, 0, "lost"),
]


def create_default_stages(apps, schema_editor):
    Stage = apps.get_model("deals", "Stage")
    db = schema_editor.connection.alias
    for name, order, probability, kind in DEFAULT_PIPELINE:
        Stage.objects.using(db).get_or_create(
            name=name, defaults={"order": order, "default_probability": probability, "kind": kind}
        )


def remove_default_stages(apps, schema_editor):
    Stage = apps.get_model("deals", "Stage")
    names = [row[0] for row in DEFAULT_PIPELINE]
    Stage.objects.using(schema_editor.connection.alias).filter(name__in=names, deals__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("deals", "0001_initial")]

    operations = [migrations.RunPython(create_default_stages, remove_default_stages)]
