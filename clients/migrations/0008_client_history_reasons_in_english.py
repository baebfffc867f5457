"""Client history reasons kept in the catalogue's English (clients/history.py): the reasons
written in Russian or Chinese are put back into English, so they too show in each reader's
language. The msgids are written out here, as they were when this ran, not imported."""

import re

from django.db import migrations
from django.utils import translation

MSGIDS = (
    "Reassigned",
    "Reassigned with its client",
    "Status changed",
    "A deal was won",
    "Handed over",
    "Imported",
    "Merged into #%(id)s %(name)s",
    "Merged from #%(id)s %(name)s",
    "Demo data",
    "Hand-over from %(from)s to %(to)s",
)
LANGUAGES = ("ru", "zh-hans")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _pattern(text):
    parts = PLACEHOLDER.split(text)
    return re.compile(
        "".join(
            re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)" for index, part in enumerate(parts)
        ),
        re.S,
    )


def _in_english(apps, schema_editor):
    history = apps.get_model("clients", "HistoricalClient")
    plain, patterns = {}, []
    for language in LANGUAGES:
        with translation.override(language):
            for msgid in MSGIDS:
                translated = translation.gettext(msgid)
                if translated == msgid:
                    continue
                if PLACEHOLDER.search(msgid):
                    patterns.append((_pattern(translated), msgid))
                else:
                    plain[translated] = msgid
    # One update per distinct reason, not per history row.
    reasons = history.objects.exclude(history_change_reason=None).values_list(
        "history_change_reason", flat=True
    )
    for reason in set(reasons.distinct()):
        english = plain.get(reason)
        for pattern, msgid in patterns:
            matched = english is None and pattern.fullmatch(reason)
            if matched:
                english = msgid % matched.groupdict()
        if english is not None and english != reason:
            history.objects.filter(history_change_reason=reason).update(history_change_reason=english)


class Migration(migrations.Migration):
    dependencies = [("clients", "0007_day_settings")]

    operations = [migrations.RunPython(_in_english, migrations.RunPython.noop)]
