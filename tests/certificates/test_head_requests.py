"""Link checkers, QR scanners and uptime monitors ask with HEAD: the public GET-only endpoints answer it
as they answer GET (same status and headers), without a body."""

import pytest
from django.core.cache import cache

from certificates.services import certificate_issue
from tests.factories import make_course_tree, make_volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def certificate():
    course, _module, _lesson = make_course_tree(title="หลักสูตรปฐมนิเทศ")
    profile = make_volunteer(given_name_th="กานติมน", family_name_th="รักษาเกียรติ")
    return certificate_issue(volunteer=profile.user, course=course)


def _public_urls(certificate) -> list[str]:
    return [
        f"/verify/{certificate.grouped_token}/",
        f"/verify/{certificate.grouped_token}.json",
        "/certificates/issuer.json",
        "/certificates/status/revocation.json",
        "/healthz",
    ]


def test_head_answers_like_get_without_a_body(client, certificate):
    for url in _public_urls(certificate):
        got = client.get(url)
        head = client.head(url)
        assert got.status_code == 200, url
        assert head.status_code == 200, url
        assert head["Content-Type"] == got["Content-Type"], url
        assert head.content == b"", url


def test_head_on_an_unknown_certificate_is_404_as_for_get(client):
    assert client.head("/verify/not-a-token/").status_code == 404
    assert client.head("/verify/not-a-token.json").status_code == 404


def test_other_methods_are_still_refused(client, certificate):
    assert client.post(f"/verify/{certificate.grouped_token}/").status_code == 405
    assert client.put("/healthz").status_code == 405
