"""Background work of live sessions: the hourly session reminders (run by the scheduler)."""

from django_tasks import task


@task()
def live_session_reminders_task() -> dict[str, int]:
    from courses.live.reminders import live_session_reminders_send

    return live_session_reminders_send()
