"""Background work of learning: the hourly course reminders (run by the scheduler)."""

from django_tasks import task


@task()
def course_reminders_task() -> dict[str, int]:
    from courses.learning.reminders import course_reminders_send

    return course_reminders_send()
