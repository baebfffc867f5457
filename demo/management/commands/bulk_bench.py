"""``python manage.py bulk_bench`` — bulk-reassign a team's deals as its lead through
core.bulk and roll it all back (see demo/bulk_bench.py)."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Role, User
from demo.bulk_bench import measure_bulk_reassign


class Command(BaseCommand):
    help = (
        "Bulk-reassign ROWS deals of a team as its lead (one job, one task), then the same batch with "
        "another team's deal (refused); everything is rolled back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=1000)
        parser.add_argument("--lead", default=None, help="The lead's username (default: the first lead).")

    def handle(self, *args, **options):
        leads = User.objects.filter(role=Role.LEAD, is_active=True, team__isnull=False).order_by("pk")
        if options["lead"]:
            leads = leads.filter(username=options["lead"])
        lead = leads.select_related("team").first()
        if lead is None:
            raise CommandError("No such active lead with a team.")
        try:
            result = measure_bulk_reassign(lead=lead, rows=options["rows"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        for line in result.lines():
            self.stdout.write(line)
