"""``python manage.py bench`` — measure the performance budget (see demo/bench.py)."""

import argparse
import json
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from accounts.models import User
from demo.bench import Report, _measure_floor, _measure_jobs, run_benchmark
from demo.bench_compare import compare, serve


class Command(BaseCommand):
    help = "Measure request times, query counts and the nightly report run on the current database."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=["small", "large"], default="small")
        parser.add_argument(
            "--runs", type=int, default=7, help="Measured runs per figure, after one warm-up."
        )
        parser.add_argument("--output", default=None, help="JSON file (default: bench-results-<size>.json).")
        parser.add_argument("--no-jobs", action="store_true", help="Skip the report run and backfill.")
        parser.add_argument(
            "--compare",
            action="store_true",
            help="Both sizes, interleaved: the small demo at BENCH_SMALL_URL and the large data at "
            "BENCH_LARGE_URL (database URLs); prints ratios, query counts, bytes and the budget.",
        )
        parser.add_argument(
            "--only",
            action="append",
            default=None,
            help="With --compare: measure only the requests whose name contains this text "
            "(case-insensitive; repeat for several).",
        )
        parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
        parser.add_argument("--jobs-only", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if options["serve"]:
            return serve()
        if options["jobs_only"]:
            return self._jobs_only(options["runs"])
        if options["compare"]:
            return self._compare(options)
        size = options["size"]
        if size == "large" and connection.vendor != "postgresql":
            raise CommandError("The large benchmark runs on PostgreSQL only: set DATABASE_URL=postgres://...")
        if not User.objects.filter(username="head").exists():
            raise CommandError(
                "No demo data: run `manage.py seed_demo --size %s` first (make bench does)." % size
            )
        if size == "large" and User.objects.filter(role="rep").count() < 100:
            raise CommandError("This database holds the small demo; the large size needs a fresh database.")
        output = Path(options["output"] or Path(settings.BASE_DIR) / f"bench-results-{size}.json")
        run_benchmark(
            size=size, runs=options["runs"], output=output, jobs=not options["no_jobs"], out=self.stdout.write
        )

    def _compare(self, options):
        small_url, large_url = os.environ.get("BENCH_SMALL_URL"), os.environ.get("BENCH_LARGE_URL")
        if not small_url or not large_url:
            raise CommandError("--compare needs BENCH_SMALL_URL and BENCH_LARGE_URL (two database URLs).")
        if not compare(
            small_url=small_url,
            large_url=large_url,
            runs=options["runs"],
            jobs=not options["no_jobs"],
            out=self.stdout.write,
            only=options["only"],
        ):
            raise CommandError("The budget does not hold.")

    def _jobs_only(self, runs: int):
        from django.utils import timezone

        report = Report(size="large", database=connection.vendor, runs=runs, started="")
        floor = _measure_floor(report, runs)
        _measure_jobs(report, floor, timezone.localdate(), 36)
        by_name = {figure.name: figure for figure in report.figures}
        nightly = by_name["Nightly report run (one date)"]
        backfill = by_name["Backfill of 36 months"]
        self.stdout.write(
            json.dumps(
                {
                    "floor_ms": floor,
                    "nightly_ms": nightly.median_ms,
                    "nightly_mb": nightly.peak_mb,
                    "backfill_ms": backfill.median_ms,
                }
            )
        )
