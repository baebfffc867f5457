"""Lost reasons become a list the head keeps (issue 14): the seeded reasons, and the old
free-text reason of every deal, stage change and history row moved onto them.

The free text is first renamed to the comment, so nothing is lost whatever the mapping
decides; ``move_free_text_reasons`` then gives each row the reason its text names (in
English, Russian or Chinese, or a known phrase such as "Budget frozen") or "Other". The
comment is cleared only when the text was exactly the reason's name."""

import django.db.models.deletion
from django.db import migrations, models

# name, order — the names are translated at display time (deals.models.SEEDED_LOST_REASON_NAMES).
SEEDED_REASONS = [
    ("Price", 10),
    ("Competitor", 20),
    ("No budget", 30),
    ("No decision / timing", 40),
    ("Product fit", 50),
    ("Lost contact", 60),
    ("Other", 70),
]
OTHER = "Other"

# Each reason's name in the three languages: a text equal to one of them becomes the reason
# with no comment.
NAMES = {
    "Price": ["price", "цена", "价格"],
    "Competitor": ["competitor", "конкурент", "竞争对手"],
    "No budget": ["no budget", "нет бюджета", "没有预算"],
    "No decision / timing": ["no decision / timing", "нет решения / сроки", "未决策 / 时机"],
    "Product fit": ["product fit", "не подошёл продукт", "产品不匹配"],
    "Lost contact": ["lost contact", "пропал контакт", "失去联系"],
    "Other": ["other", "другое", "其他"],
}
# Texts the department used for these reasons (the demo's among them): the reason, with the
# text kept as the comment.
PHRASES = {
    "Price": [
        "too expensive",
        "expensive",
        "price too high",
        "chose a competitor on price",
        "дорого",
        "высокая цена",
        "太贵",
        "价格太高",
    ],
    "Competitor": [
        "chose a competitor",
        "went with a competitor",
        "lost to a competitor",
        "lost to competitor",
        "went with their in-house team",
        "ушли к конкуренту",
        "выбрали конкурента",
        "选择了竞争对手",
    ],
    "No budget": [
        "budget",
        "budget cut",
        "budget frozen",
        "budget frozen until next year",
        "no money",
        "бюджет",
        "нет денег",
        "预算",
        "预算不足",
    ],
    "No decision / timing": [
        "no decision",
        "timing",
        "postponed",
        "not now",
        "no decision maker access",
        "project cancelled by the client",
        "project cancelled",
        "отложили",
        "нет решения",
        "推迟",
    ],
    "Product fit": [
        "not a fit",
        "missing feature",
        "our delivery time was too long",
        "не подошёл продукт",
        "不合适",
    ],
    "Lost contact": [
        "no response",
        "went silent",
        "stopped answering",
        "stopped answering after the proposal",
        "не отвечает",
        "пропал",
        "不回复",
    ],
}


def normalise(text: str) -> str:
    return " ".join(text.split()).strip(" .!;").casefold()


def reason_for(text: str) -> tuple[str, bool]:
    """(the reason's name, whether the text was exactly its name) for an old free text."""
    key = normalise(text)
    for name, spellings in NAMES.items():
        if key in spellings:
            return name, True
    for name, phrases in PHRASES.items():
        if key in phrases:
            return name, False
    return OTHER, False


def seed_reasons(apps, schema_editor):
    LostReason = apps.get_model("deals", "LostReason")
    db = schema_editor.connection.alias
    for name, order in SEEDED_REASONS:
        LostReason.objects.using(db).get_or_create(name=name, defaults={"order": order})


def move_free_text_reasons(apps, schema_editor):
    """Every row with a comment but no reason (what the rename left) gets the reason its
    text names; one UPDATE per distinct text, so a large history costs few statements."""
    seed_reasons(apps, schema_editor)
    LostReason = apps.get_model("deals", "LostReason")
    db = schema_editor.connection.alias
    reasons = {reason.name: reason for reason in LostReason.objects.using(db)}
    for model_name in ("Deal", "StageChange", "HistoricalDeal"):
        model = apps.get_model("deals", model_name)
        pending = model.objects.using(db).filter(lost_reason__isnull=True).exclude(lost_comment="")
        texts = list(pending.order_by().values_list("lost_comment", flat=True).distinct())
        for text in texts:
            name, exact = reason_for(text)
            changes = {"lost_reason": reasons[name]}
            if exact:
                changes["lost_comment"] = ""
            pending.filter(lost_comment=text).update(**changes)


def reasons_back_to_text(apps, schema_editor):
    """Backwards: a row with a reason and no comment gets the reason's name as its text."""
    db = schema_editor.connection.alias
    for model_name in ("Deal", "StageChange", "HistoricalDeal"):
        model = apps.get_model("deals", model_name)
        rows = model.objects.using(db).filter(lost_reason__isnull=False, lost_comment="")
        for reason_id, name in rows.order_by().values_list("lost_reason", "lost_reason__name").distinct():
            rows.filter(lost_reason=reason_id).update(lost_comment=name)


class Migration(migrations.Migration):
    dependencies = [("deals", "0010_merge_forecast")]

    operations = [
        migrations.CreateModel(
            name="LostReason",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, unique=True, verbose_name="name")),
                ("order", models.PositiveIntegerField(default=0, verbose_name="order")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
            ],
            options={
                "verbose_name": "lost reason",
                "verbose_name_plural": "lost reasons",
                "ordering": ["order", "pk"],
            },
        ),
        migrations.RunPython(seed_reasons, migrations.RunPython.noop),
        # The old free text becomes the comment: nothing is lost whatever the mapping decides.
        migrations.RenameField("deal", "lost_reason", "lost_comment"),
        migrations.RenameField("stagechange", "lost_reason", "lost_comment"),
        migrations.RenameField("historicaldeal", "lost_reason", "lost_comment"),
        migrations.AlterField(
            model_name="deal",
            name="lost_comment",
            field=models.CharField(blank=True, max_length=300, verbose_name="lost reason comment"),
        ),
        migrations.AlterField(
            model_name="stagechange",
            name="lost_comment",
            field=models.CharField(blank=True, max_length=300, verbose_name="lost reason comment"),
        ),
        migrations.AlterField(
            model_name="historicaldeal",
            name="lost_comment",
            field=models.CharField(blank=True, max_length=300, verbose_name="lost reason comment"),
        ),
        migrations.AddField(
            model_name="deal",
            name="lost_reason",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="deals",
                to="deals.lostreason",
                verbose_name="lost reason",
            ),
        ),
        migrations.AddField(
            model_name="stagechange",
            name="lost_reason",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="deals.lostreason",
                verbose_name="lost reason",
            ),
        ),
        migrations.AddField(
            model_name="historicaldeal",
            name="lost_reason",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="deals.lostreason",
                verbose_name="lost reason",
            ),
        ),
        migrations.RunPython(move_free_text_reasons, reasons_back_to_text),
    ]
