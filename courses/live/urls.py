"""Live sessions under the language prefix: /learn/sessions/… and /learn/calendar/."""

from django.urls import path

from courses.live import calendar_views, views

urlpatterns = [
    path("sessions/<int:session_id>/", views.session_page, name="live_session"),
    path("sessions/<int:session_id>/calendar.ics", calendar_views.session_ics, name="live_session_ics"),
    path("calendar/", calendar_views.calendar_page, name="live_calendar"),
]
