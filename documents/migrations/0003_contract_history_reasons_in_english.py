"""Contract history reasons kept in the catalogue's English (documents/history.py): the reasons
written in Russian or Chinese are put back into English, so they too show in each reader's
language. The msgids are written out here, as they were when this ran, not imported."""

import re

from django.db import migrations
from django.utils import translation

PLAIN = ("Drafted", "Changed", "Approved", "Returned", "Signed")
SUBMITTED = "Submitted version %(version)s"
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
    # One update per distinct reason, not per history row.
    reasons = history.objects.exclude(history_change_reason=None).values_list("history_change_reason", flat=True)
    for reason in set(reasons.distinct()):
        english = plain.get(reason)
        for pattern in submitted:
            matched = english is None and pattern.fullmatch(reason)
            if matched:
                english = SUBMITTED % {"version": matched.group(1)}
        if english is not None and english != reason:
            history.objects.filter(history_change_reason=reason).update(history_change_reason=english)


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_attachment_on_proposal")]

    operations = [migrations.RunPython(_in_english, migrations.RunPython.noop)]
