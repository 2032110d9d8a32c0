"""What live sessions keep about a person, for the volunteer register's privacy registry: the
sessions they attended, the reminders sent to them and their calendar feed. Erasure removes all
three, so the feed's address stops working; attendance a trainer recorded keeps no link to an
erased trainer."""

from courses.live.models import CalendarFeed, SessionAttendance, SessionReminder
from volunteers.privacy import PrivacyProvider, register_privacy_provider


def export_live_sessions(user) -> dict:
    feed = CalendarFeed.objects.filter(user=user).first()
    return {
        "sessions_attended": [
            {
                "course": row.session.run.course.title,
                "session": row.session.title,
                "starts": row.session.starts.isoformat(),
                "recorded_from": row.source,
            }
            for row in SessionAttendance.objects.filter(volunteer=user)
            .select_related("session__run__course")
            .order_by("session__starts", "pk")
        ],
        "sessions_reminded": [
            {"session": row.session.title, "sent_at": row.sent_at.isoformat()}
            for row in SessionReminder.objects.filter(volunteer=user)
            .select_related("session")
            .order_by("sent_at")
        ],
        # Whether a feed exists, not its address: the export may be kept or sent on, the address is a key.
        "calendar_feed": {"exists": feed is not None, "since": feed.created_at.isoformat() if feed else None},
        "attendance_you_recorded": SessionAttendance.objects.filter(recorded_by=user).count(),
    }


def erase_live_sessions(user, identifiers: list[str]) -> None:
    SessionAttendance.objects.filter(volunteer=user).delete()
    SessionReminder.objects.filter(volunteer=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
    SessionAttendance.objects.filter(recorded_by=user).update(recorded_by=None)


def register_live_privacy_provider() -> None:
    register_privacy_provider(
        PrivacyProvider(
            label="live_sessions",
            models=(SessionAttendance, SessionReminder, CalendarFeed),
            export=export_live_sessions,
            erase=erase_live_sessions,
            order=295,
        )
    )
