"""Create the demo site, content and accounts. Safe to run again: it converges, never duplicates."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from training.demo import seed_site
from volunteers.demo import DEMO_PASSWORD, seed_demo_accounts


class Command(BaseCommand):
    help = "Create the demo site, content and demo users (refused under production settings)."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is not allowed with these settings (demo passwords are public).")
        seed_site()
        accounts = seed_demo_accounts()
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Demo logins (password for all):"))
        self.stdout.write(f"  password: {DEMO_PASSWORD}")
        for account in accounts:
            self.stdout.write(f"  {account.role:<14} {account.email}")
