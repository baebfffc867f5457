import django.db.models.deletion
from django.db import migrations, models


def copy_clients(apps, schema_editor):
    OverdueAlert = apps.get_model("reports", "OverdueAlert")
    Installment = apps.get_model("targets", "Installment")
    db = schema_editor.connection.alias
    client = (
        Installment.objects.using(db).filter(pk=models.OuterRef("installment_id")).values("deal__client_id")[:1]
    )
    OverdueAlert.objects.using(db).update(client_id=models.Subquery(client))


class Migration(migrations.Migration):

    dependencies = [
        ("clients", "0001_initial"),
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="overduealert",
            name="client",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="overdue_alerts",
                to="clients.client",
                verbose_name="client",
            ),
        ),
        migrations.RunPython(copy_clients, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="overduealert",
            name="client",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="overdue_alerts",
                to="clients.client",
                verbose_name="client",
            ),
        ),
        migrations.RemoveIndex(
            model_name="overduealert",
            name="overduealert_status_days_idx",
        ),
        migrations.AddIndex(
            model_name="overduealert",
            index=models.Index(fields=["status", "-days_overdue", "id"], name="overduealert_list_idx"),
        ),
        migrations.AddIndex(
            model_name="overduealert",
            index=models.Index(fields=["status", "client"], name="overduealert_status_client_idx"),
        ),
        migrations.AddIndex(
            model_name="overduealert",
            index=models.Index(fields=["status", "due_date"], name="overduealert_status_due_idx"),
        ),
    ]
