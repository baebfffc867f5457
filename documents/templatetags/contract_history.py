"""``{{ entry.history_change_reason|contract_event }}``: a contract history step in the
reader's language (documents.history)."""

from django import template

from documents.history import contract_event

register = template.Library()
register.filter("contract_event", contract_event)
