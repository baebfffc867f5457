"""The targets app's pages, by sub-domain: ``plans`` (the grid, decomposition, plan vs
actual), ``norms`` (activity norms) and ``receivables`` (aging, the overdue list, payment
schedules). urls.py routes to the sub-modules directly."""
