"""Contract history reasons kept in the catalogue's English (documents/history.py): the rows
written in Russian or Chinese are put back into English, so they too show in each reader's
language."""

import re

from django.db import migrations
from django.utils import translation

from documents.history import PLAIN, SUBMITTED

LANGUAGES = ("ru", "zh-hans")


def _in_english(apps, schema_editor):
    history = apps.get_model("documents", "HistoricalContract")
    plain, submitted = {}, []
    for language in LANGUAGES:
        with translation.override(language):
            for msgid in PLAIN:
                plain[translation.gettext(msgid)] = msgid
            pattern = re.escape(translation.gettext(SUBMITTED)).replace(re.escape("%(version)s"), r"(\d+)")
            submitted.append(re.compile(pattern))
    for row in history.objects.exclude(history_change_reason=None).only("pk", "history_change_reason"):
        reason = row.history_change_reason
        english = plain.get(reason)
        if english is None:
            for pattern in submitted:
                matched = pattern.fullmatch(reason)
                if matched:
                    english = SUBMITTED % {"version": matched.group(1)}
                    break
        if english is not None and english != reason:
            history.objects.filter(pk=row.pk).update(history_change_reason=english)


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_attachment_on_proposal")]

    operations = [migrations.RunPython(_in_english, migrations.RunPython.noop)]
