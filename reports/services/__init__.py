"""Report services: each computes one report for a date with database aggregation and
upserts its rows (see the modules); ``runs`` records every run."""
