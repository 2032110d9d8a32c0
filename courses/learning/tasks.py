"""Background work of learning: the hourly course and deadline reminders (run by the scheduler)."""

from django_tasks import task


@task()
def course_reminders_task() -> dict[str, int]:
    from courses.learning.reminders import course_reminders_send

    return course_reminders_send()


@task()
def run_deadline_reminders_task() -> dict[str, int]:
    from courses.learning.deadlines import run_deadline_reminders_send

    return run_deadline_reminders_send()
