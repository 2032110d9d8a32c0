"""The authorization matrix's rows for running the site from the admin: the background tasks that
failed and the mail that could not be delivered. See test_authorization_matrix.py."""

from __future__ import annotations

from tests.security.matrix_site import Row, admin

#                                anonymous   A       B       trainer  staff  superuser
OPERATIONS_ROWS = [
    Row(
        "training_failed_tasks",
        admin("tasks/failed/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "training_failed_task_send_again",
        admin("tasks/failed/{w.failed_task.pk}/send-again/"),
        get="admin-login admin-login admin-login denied 405 405",
        post="admin-login admin-login admin-login denied 302 302",
    ),
    Row(
        "notifications_undelivered_mail",
        admin("mail/undelivered/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "notifications_mail_send_again",
        admin("mail/{w.undelivered_mail.pk}/send-again/"),
        get="admin-login admin-login admin-login denied 405 405",
        post="admin-login admin-login admin-login denied 302 302",
    ),
    Row(
        "notifications_address_allow_again",
        admin("mail/suppressed/{w.suppressed_address.pk}/allow/"),
        get="admin-login admin-login admin-login denied 405 405",
        post="admin-login admin-login admin-login denied 302 302",
    ),
]
