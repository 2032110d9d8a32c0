"""Background work of reports: the weekly digests for trainers and staff (run by the scheduler)."""

from django_tasks import task


@task()
def weekly_digests_task() -> dict[str, int]:
    from courses.reports.digests import weekly_digests_send

    return weekly_digests_send()
