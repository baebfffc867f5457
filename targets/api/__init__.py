"""The targets app's /api/v1/ endpoints, by sub-domain: ``plans`` (plans, allocations,
plan vs actual), ``norms`` (activity norms) and ``receivables`` (installments, schedules,
payments, overdue reasons, aging). api_urls.py routes to the sub-modules directly."""
