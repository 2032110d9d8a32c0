"""The notification centre: the bell with the unread count on every page (at no query's cost), the
list of notifications, marking them read, and only one's own."""

import pytest
from django.utils import timezone

from notifications.models import Notification
from notifications.views import PAGE_SIZE
from tests.factories import PASSWORD, make_user, make_volunteer
from training.notices import notify

pytestmark = pytest.mark.django_db


def told(user, *, reason="ออกให้ผิดคน", count=1, capture=None):
    """`count` revocation notices for `user`, delivered as after a commit."""
    for index in range(count):
        with capture(execute=True):
            notify(
                user.pk,
                "certificate_revoked",
                {
                    "serial": f"MSDHS-2026-{index:06d}",
                    "course_title": {"th": "หลักสูตรปฐมนิเทศ", "en": "Orientation"},
                    "reason": reason,
                    "link": {"th": "/learn/certificates/", "en": "/en/learn/certificates/"},
                },
            )


@pytest.fixture
def volunteer(client):
    user = make_volunteer().user
    client.force_login(user)
    return user


def test_the_bell_shows_the_unread_count_with_an_accessible_label(
    client, volunteer, django_capture_on_commit_callbacks
):
    page = client.get("/learn/").content.decode()
    assert 'aria-label="การแจ้งเตือน"' in page and "site-bell__count" not in page
    told(volunteer, count=3, capture=django_capture_on_commit_callbacks)
    page = client.get("/learn/").content.decode()
    assert 'aria-label="การแจ้งเตือน 3 รายการที่ยังไม่ได้อ่าน"' in page
    assert '<span class="site-bell__count">3</span>' in page
    english = client.get("/en/learn/").content.decode()
    assert 'aria-label="Notifications, 3 unread"' in english


def test_the_unread_count_adds_no_query_to_a_signed_in_page(
    client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    volunteer = make_user()
    client.post("/accounts/login/", {"username": volunteer.email, "password": PASSWORD})
    told(volunteer, count=2, capture=django_capture_on_commit_callbacks)
    client.get("/")  # warm the site and locale caches
    # The budget of tests/training/test_query_budget.py, with unread notifications to count.
    with django_assert_max_num_queries(9):
        response = client.get("/")
    assert b'<span class="site-bell__count">2</span>' in response.content


def test_the_centre_lists_newest_first_escaped_and_in_the_readers_language(
    client, volunteer, django_capture_on_commit_callbacks
):
    told(volunteer, reason="<script>alert(1)</script>", capture=django_capture_on_commit_callbacks)
    told(volunteer, reason="ชื่อสะกดผิด", capture=django_capture_on_commit_callbacks)
    page = client.get("/learn/notifications/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.index("ชื่อสะกดผิด") < page.index("&lt;script&gt;")
    assert "เกียรติบัตรหลักสูตร “หลักสูตรปฐมนิเทศ” ของคุณถูกเพิกถอน" in page
    english = client.get("/en/learn/notifications/").content.decode()
    assert "Your certificate for “Orientation” has been revoked." in english


def test_the_centre_is_paginated(client, volunteer, django_capture_on_commit_callbacks):
    told(volunteer, count=PAGE_SIZE + 1, capture=django_capture_on_commit_callbacks)
    first = client.get("/learn/notifications/").content.decode()
    assert first.count('class="notification ') == PAGE_SIZE
    second = client.get("/learn/notifications/?page=2").content.decode()
    assert second.count('class="notification ') == 1
    assert client.get("/learn/notifications/?page=nonsense").status_code == 200


def test_mark_all_read_is_a_post_and_clears_the_count(client, volunteer, django_capture_on_commit_callbacks):
    told(volunteer, count=2, capture=django_capture_on_commit_callbacks)
    assert client.get("/learn/notifications/read-all/").status_code == 405
    response = client.post("/learn/notifications/read-all/")
    assert response.status_code == 302
    assert not Notification.objects.filter(user=volunteer, read_at__isnull=True).exists()
    assert b"site-bell__count" not in client.get("/learn/").content


def test_opening_a_notification_marks_it_read_and_follows_its_link(
    client, volunteer, django_capture_on_commit_callbacks
):
    told(volunteer, capture=django_capture_on_commit_callbacks)
    notification = Notification.objects.get(user=volunteer)
    response = client.post(f"/learn/notifications/{notification.pk}/read/")
    assert response.status_code == 302 and response["Location"] == "/learn/certificates/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_another_persons_notification_can_be_neither_opened_nor_marked(
    client, volunteer, django_capture_on_commit_callbacks
):
    other = make_volunteer().user
    told(other, capture=django_capture_on_commit_callbacks)
    theirs = Notification.objects.get(user=other)
    assert client.post(f"/learn/notifications/{theirs.pk}/read/").status_code == 404
    client.post("/learn/notifications/read-all/")
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "ออกให้ผิดคน" not in client.get("/learn/notifications/").content.decode()


def test_the_centre_needs_sign_in(client):
    assert client.get("/learn/notifications/").status_code == 302


def test_the_csrf_token_guards_marking_read(volunteer, django_capture_on_commit_callbacks):
    from django.test import Client

    told(volunteer, capture=django_capture_on_commit_callbacks)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(volunteer)
    assert strict.post("/learn/notifications/read-all/").status_code == 403
    assert Notification.objects.filter(user=volunteer, read_at__isnull=True).count() == 1
    page = strict.get("/learn/notifications/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page


def test_a_link_that_leads_off_the_site_is_not_followed(client, volunteer):
    notification = Notification.objects.create(
        user=volunteer,
        kind="email_confirmed",
        context={"link": "//evil.example/"},
        shown_at=timezone.now(),
    )
    response = client.post(f"/learn/notifications/{notification.pk}/read/")
    assert response["Location"] == "/learn/notifications/"


def test_the_demo_volunteer_sees_a_count_on_the_bell_and_read_and_unread_lines(demo, client):
    from volunteers.demo import DEMO_PASSWORD

    client.login(email="volunteer@example.org", password=DEMO_PASSWORD)
    page = client.get("/learn/").content.decode()
    assert 'class="site-bell__count"' in page
    centre = client.get("/learn/notifications/").content.decode()
    assert "notification--unread" in centre
    assert centre.count('class="notification"') >= 1  # the read one
    # Staff issued the demo volunteer's orientation certificate by hand: no completion is claimed.
    assert "เกียรติบัตรหลักสูตร “ปฐมนิเทศอาสาสมัคร พม. ในต่างประเทศ” ของคุณพร้อมแล้ว" in centre
