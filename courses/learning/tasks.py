"""Background work of learning, run by the scheduler: the hourly course and deadline reminders, and
the daily pruning of the offline app's sync records."""

from django_tasks import task


@task()
def course_reminders_task() -> dict[str, int]:
    from courses.learning.reminders import course_reminders_send

    return course_reminders_send()


@task()
def run_deadline_reminders_task() -> dict[str, int]:
    from courses.learning.deadlines import run_deadline_reminders_send

    return run_deadline_reminders_send()


@task()
def synced_actions_prune_task() -> dict[str, int]:
    from courses.learning.sync import synced_actions_prune

    return {"synced_actions_deleted": synced_actions_prune()}
