"""Signing in, with the number of unread notifications on the person's row.

Every signed-in page shows the bell with that number; asking for it in the query that loads the
person for the request (AUTHENTICATION_BACKENDS) costs no query of its own. That query's SQL is
compiled once per process (training.precompiled): the ORM took longer to build it than the database
to answer it.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from notifications.models import Notification
from training.precompiled import STAND_IN_INT, Precompiled


def unread_count_expression():
    unread = (
        Notification.objects.filter(user=OuterRef("pk"), shown_at__isnull=False, read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), 0)


person_with_unread_count = Precompiled(
    lambda user_id: (
        get_user_model()
        ._default_manager.annotate(notifications_unread=unread_count_expression())
        .filter(pk=user_id)
        .order_by("pk")[:1]
    ),
    STAND_IN_INT,
)


class NotificationCountBackend(ModelBackend):
    """Django's model backend; the person it loads for a request carries `notifications_unread`."""

    def get_user(self, user_id):
        try:
            user_id = get_user_model()._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = person_with_unread_count.first(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
