"""Move personal files (certificate PDFs) that earlier releases kept in public media into private storage."""

from django.core.management.base import BaseCommand, CommandError

from training.storage import private_files_move


class Command(BaseCommand):
    help = (
        "Move the files of private file fields (certificate PDFs) from the public media storage into "
        "the private storage. Safe to run again: files already private are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would move; change nothing.")
        parser.add_argument(
            "--forget-missing",
            action="store_true",
            help="Clear references to files found in neither storage (certificate PDFs are then "
            "rendered again by certificates_render_pending).",
        )

    def handle(self, *args, dry_run: bool = False, forget_missing: bool = False, **options):
        result = private_files_move(dry_run=dry_run, forget_missing=forget_missing)
        verb = "Would move" if dry_run else "Moved"
        self.stdout.write(
            f"{verb} {result.moved} file(s) to private storage; {result.already_private} already private; "
            f"{len(result.missing)} missing."
        )
        for line in result.missing:
            self.stderr.write(f"In neither storage: {line}")
        if result.missing and forget_missing and not dry_run:
            self.stdout.write("Their references were cleared; run certificates_render_pending.")
        elif result.missing:
            raise CommandError(
                "Some files are in neither storage (check MEDIA_ROOT or the bucket settings of this shell). "
                "If they are really gone, run again with --forget-missing, then certificates_render_pending."
            )
