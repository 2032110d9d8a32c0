"""Tasks that follow data (training.queue): on the database queue the task row is written in the
same transaction as the data, so it exists exactly when the data does; with the immediate backend
the task runs only once the data is committed."""

import pytest
from django.core import mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from volunteers.services import volunteer_sign_up

pytestmark = pytest.mark.django_db(transaction=True)


def account_mail_tasks():
    return DBTaskResult.objects.filter(task_path="volunteers.tasks.account_email_send")


def sign_up(email: str):
    return volunteer_sign_up(
        email=email, password="a-long-pass-phrase-2026", language="th", consent_version=1
    )


def test_on_the_database_queue_the_mail_task_is_written_with_the_account_and_rolled_back_with_it(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with transaction.atomic():
        sign_up("kept@example.org")
        assert account_mail_tasks().count() == 1  # queued before the commit, in the same transaction
    with pytest.raises(RuntimeError), transaction.atomic():
        sign_up("rolled.back@example.org")
        raise RuntimeError("the request failed after the sign-up")
    assert [row.args_kwargs["kwargs"]["kind"] for row in account_mail_tasks()] == ["confirm"]


def test_with_the_immediate_backend_the_mail_waits_for_the_commit():
    with transaction.atomic():
        sign_up("waits@example.org")
        assert mail.outbox == []
    assert [message.to for message in mail.outbox] == [["waits@example.org"]]
    with pytest.raises(RuntimeError), transaction.atomic():
        sign_up("never@example.org")
        raise RuntimeError("rolled back")
    assert len(mail.outbox) == 1
