"""Staff see the background tasks that failed every attempt, with their error, and send them again."""

import pytest
from django.contrib.auth.models import Group
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.factories import client_in_group, make_failed_task

pytestmark = pytest.mark.django_db


def test_staff_read_each_failed_task_with_its_error_in_thai():
    job = make_failed_task()
    DBTaskResult.objects.filter(pk=job.pk).update(
        traceback="Traceback ...\nSMTPServerDisconnected: gone away"
    )
    done = make_failed_task()
    DBTaskResult.objects.filter(pk=done.pk).update(
        status=TaskResultStatus.SUCCESSFUL, task_path="x.y.finished_fine"
    )
    page = client_in_group("Staff").get("/admin/tasks/failed/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "housekeeping" in text and "RuntimeError" in text and "SMTPServerDisconnected: gone away" in text
    assert "finished_fine" not in text
    assert "ส่งอีกครั้ง" in text  # "Send again", in the staff's Thai admin


def test_sending_a_failed_task_again_queues_it_with_fresh_attempts():
    job = make_failed_task()
    client = client_in_group("Staff")
    response = client.post(f"/admin/tasks/failed/{job.pk}/send-again/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.worker_ids) == (TaskResultStatus.READY, [])
    assert client.post(f"/admin/tasks/failed/{job.pk}/send-again/").status_code == 404  # not failed any more


def test_trainers_neither_see_nor_send_failed_tasks():
    job = make_failed_task()
    trainer = client_in_group("Trainers")
    assert trainer.get("/admin/tasks/failed/").status_code == 302
    trainer.post(f"/admin/tasks/failed/{job.pk}/send-again/")
    job.refresh_from_db()
    assert job.status == TaskResultStatus.FAILED
    assert Group.objects.get(name="Staff").permissions.filter(codename="change_dbtaskresult").exists()
