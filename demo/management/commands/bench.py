"""``python manage.py bench`` — measure the performance budget (see demo/bench.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from accounts.models import User
from demo.bench import run_benchmark


class Command(BaseCommand):
    help = "Measure request times, query counts and the nightly report run on the current database."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=["small", "large"], default="small")
        parser.add_argument(
            "--runs", type=int, default=7, help="Measured runs per figure, after one warm-up."
        )
        parser.add_argument("--output", default=None, help="JSON file (default: bench-results-<size>.json).")
        parser.add_argument("--no-jobs", action="store_true", help="Skip the report run and backfill.")

    def handle(self, *args, **options):
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
