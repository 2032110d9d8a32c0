"""After a restore: erase again everyone the erasure log names whose data the backup brought back."""

from django.core.management.base import BaseCommand

from volunteers.erasure_log import erasure_entries, erasures_replay


class Command(BaseCommand):
    help = "Erase again everyone in the erasure log whose account the restored database still holds."

    def handle(self, *args, **options):
        erased = erasures_replay()
        self.stdout.write(
            f"The erasure log holds {len(erasure_entries())} erasure(s); "
            f"{len(erased)} person(s) restored from the backup were erased again."
        )
