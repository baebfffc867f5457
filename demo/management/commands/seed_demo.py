"""Build the demo department, deterministically. Each app's part lives in ``demo/<app>.py``
as ``seed(staff, rng, size)``; a new feature adds its part there and to ``APP_SEEDS``."""

import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from accounts.models import User
from demo import clients, deals, documents, reports, targets
from demo.accounts import DEMO_PASSWORD, demo_logins, seed_staff
from demo.scale import seed_large

# In dependency order: each part builds on the rows of the ones before it.
APP_SEEDS = (clients.seed, deals.seed, documents.seed, targets.seed, reports.seed)


class Command(BaseCommand):
    help = "Create the demo sales department (users with password 'demo' and their data)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when any user exists.")
        parser.add_argument("--size", choices=["small", "large"], default="small")
        parser.add_argument("--seed", type=int, default=20261123, help="Random seed (deterministic output).")

    def handle(self, *args, **options):
        if getattr(settings, "IS_PRODUCTION", False):
            raise CommandError("seed_demo refuses to run under production settings.")
        if User.objects.exists():
            if options["if_empty"]:
                self.stdout.write("The database already has users; demo data not loaded.")
                return
            raise CommandError("The database already has users; seed_demo only fills an empty database.")
        rng = random.Random(options["seed"])
        if options["size"] == "large":
            seed_large(rng=rng, out=self.stdout.write)
            self.stdout.write(self.style.SUCCESS("Department-scale data created (password 'demo')."))
            return
        with transaction.atomic():
            staff = seed_staff()
            for seed in APP_SEEDS:
                seed(staff=staff, rng=rng, size=options["size"])
        if connection.vendor == "postgresql":
            # Every table analyzed as seeded (the large size does the same at its end; the
            # report tables run_reports fills next are analyzed by that run).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(f"Demo department created. Logins (password '{DEMO_PASSWORD}'):")
        )
        for login, who in demo_logins():
            self.stdout.write(f"  {login:<14} {who}")
