"""Remove a person's authenticator apps when they lost their phone; they set one up at next sign-in."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from volunteers.services import two_factor_devices_remove


class Command(BaseCommand):
    help = "Turn off two-step verification for one account (lost phone). It is set up again at next sign-in."

    def add_arguments(self, parser):
        parser.add_argument("email", help="the account's email address")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(email__iexact=options["email"].strip()).first()
        if user is None:
            raise CommandError("No account has this email address.")
        removed = two_factor_devices_remove(user=user, actor=None)
        self.stdout.write(f"Removed {removed} authenticator app(s) from the account (user id {user.pk}).")
