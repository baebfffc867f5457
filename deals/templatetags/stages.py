"""``{{ name|stage_label }}``: a stage name kept as text (a report row's) in the reader's
language when it is a seeded one (deals.models.stage_label)."""

from django import template

from deals.models import stage_label

register = template.Library()
register.filter("stage_label", stage_label)
