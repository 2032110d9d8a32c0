"""The notification centre under the language prefix: /learn/notifications/ and /en/learn/notifications/."""

from django.urls import path

from notifications import views

urlpatterns = [
    path("", views.notification_list, name="notification_list"),
    path("read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("<int:notification_id>/read/", views.notification_read, name="notification_read"),
    path("preferences/", views.notification_preferences, name="notification_preferences"),
    path("unsubscribe/<str:token>/", views.notification_unsubscribe, name="notification_unsubscribe"),
]
