"""The public verification page and JSON, the holder's PDF, and "My certificates"."""

import pytest
from django.core.cache import cache

from certificates import credentials
from certificates.models import Certificate
from certificates.services import certificate_issue, certificate_revoke
from tests.factories import PASSWORD, make_course_tree, make_user, make_volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def certificate():
    course, _module, _lesson = make_course_tree(title="หลักสูตรปฐมนิเทศ")
    profile = make_volunteer(
        email="kantimon@example.org", given_name_th="กานติมน", family_name_th="รักษาเกียรติ",
        given_name_en="Kantimon", family_name_en="Raksakiat", phone="+4712345678",
    )  # fmt: skip
    return certificate_issue(volunteer=profile.user, course=course)


def test_the_verify_page_shows_status_name_course_date_and_issuer_in_both_languages(client, certificate):
    response = client.get(f"/verify/{certificate.grouped_token}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "ใบประกาศนียบัตรนี้ถูกต้อง" in html and "This certificate is valid" in html
    assert "กานติมน รักษาเกียรติ" in html and "Kantimon Raksakiat" in html
    assert "หลักสูตรปฐมนิเทศ" in html and certificate.serial in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"].startswith("noindex")


def test_the_verify_page_shows_nothing_else_about_the_person(client, certificate):
    html = client.get(f"/verify/{certificate.token}/").content.decode()
    assert "kantimon@example.org" not in html
    assert "+4712345678" not in html
    assert f"/{certificate.volunteer_id}/" not in html
    assert "score" not in html.lower()


def test_the_verify_page_costs_two_queries_and_then_one(client, certificate, django_assert_num_queries):
    with django_assert_num_queries(2):  # the certificate's state, then the certificate to render
        assert client.get(f"/verify/{certificate.token}/").status_code == 200
    with django_assert_num_queries(1):  # the state; the page itself comes from the cache
        assert client.get(f"/verify/{certificate.token}/").status_code == 200


def test_a_cached_verify_page_costs_one_cache_read(client, certificate, monkeypatch):
    """The client's misses and the cached page come in one round trip to the cache (Redis when
    scaled out), and the code's other spellings find the same entry."""
    reads, depth = [], [0]

    def counted(method):
        real = getattr(cache, method)

        def read(*args, **kwargs):
            if not depth[0]:  # (the local-memory cache's get_many calls its own get)
                reads.append(method)
            depth[0] += 1
            try:
                return real(*args, **kwargs)
            finally:
                depth[0] -= 1

        return read

    for method in ("get", "get_many"):
        monkeypatch.setattr(cache, method, counted(method))
    client.get(f"/verify/{certificate.token}/")
    reads.clear()
    html = client.get(f"/verify/{certificate.grouped_token.lower()}/").content.decode()
    assert "This certificate is valid" in html
    assert reads == ["get_many"]


def test_erasure_leaves_no_cached_page_with_the_name(client, certificate):
    from certificates.selectors import verify_page_cache_key
    from volunteers.services import volunteer_erase

    client.get(f"/verify/{certificate.token}/")
    assert "กานติมน" in cache.get(verify_page_cache_key(certificate.token))[1]  # the control
    volunteer_erase(user=certificate.volunteer, actor=make_user(group="Staff"))
    assert cache.get(verify_page_cache_key(certificate.token)) is None


def test_codes_are_read_whatever_their_case_and_dashes(client, certificate):
    assert client.get(f"/verify/{certificate.grouped_token.lower()}/").status_code == 200


def test_the_verify_page_lives_outside_the_language_prefix(client, certificate):
    assert client.get(f"/en/verify/{certificate.token}/").status_code == 404


def test_a_revoked_certificate_says_so(client, certificate):
    certificate_revoke(certificate=certificate, actor=make_user(group="Staff"), reason="Issued in error")
    html = client.get(f"/verify/{certificate.token}/").content.decode()
    assert "This certificate has been revoked" in html
    status_list = client.get("/certificates/status/revocation.json").json()
    assert credentials.status_list_is_set(
        status_list["credentialSubject"]["encodedList"], certificate.status_index
    )


def test_a_masked_name_when_the_holder_hides_it(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(name_hidden=True)
    html = client.get(f"/verify/{certificate.token}/").content.decode()
    assert "กานติมน" not in html and "Kantimon" not in html
    assert "ก•••••" in html


def test_unknown_codes_get_a_404_page_and_too_many_misses_a_429(client):
    for _ in range(30):
        assert client.get("/verify/AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GG/").status_code == 404
    response = client.get("/verify/AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GH/")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"


def test_legitimate_checks_are_not_throttled(client, certificate):
    for _ in range(40):
        assert client.get(f"/verify/{certificate.token}/").status_code == 200


def test_garbage_codes_are_a_404_not_an_error(client):
    for code in ["x", "ก" * 30, "A" * 500, "<script>"]:
        assert client.get(f"/verify/{code}/").status_code in {404, 429}
    assert client.get("/verify/%00/").status_code == 400  # refused before any query


def test_the_json_credential_is_served_and_verifies(client, certificate):
    response = client.get(f"/verify/{certificate.token}.json")
    assert response.status_code == 200
    assert response.json() == certificate.credential


def test_only_the_holder_and_staff_download_the_pdf(client, certificate):
    url = f"/certificates/{certificate.token}.pdf"
    assert client.get(url).status_code == 302  # to login
    other = make_volunteer()
    client.login(email=other.user.email, password=PASSWORD)
    assert client.get(url).status_code == 404
    client.login(email="kantimon@example.org", password=PASSWORD)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content if response.streaming else [response.content]).startswith(
        b"%PDF"
    )
    staff = make_user(group="Staff")
    client.login(email=staff.email, password=PASSWORD)
    assert client.get(url).status_code == 200
    trainer = make_user(group="Trainers")
    client.login(email=trainer.email, password=PASSWORD)
    assert client.get(url).status_code == 404


def test_my_certificates_lists_downloads_and_the_share_link(client, certificate):
    client.login(email="kantimon@example.org", password=PASSWORD)
    html = client.get("/learn/certificates/").content.decode()
    assert certificate.serial in html
    assert f"/certificates/{certificate.token}.pdf" in html
    assert f"/verify/{certificate.token}.json" in html
    assert f"/verify/{certificate.grouped_token}/" in html


def test_the_holder_hides_and_shows_their_name(client, certificate):
    client.login(email="kantimon@example.org", password=PASSWORD)
    url = f"/learn/certificates/{certificate.token}/visibility/"
    assert client.post(url, {"hidden": "1"}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.name_hidden
    client.post(url, {"hidden": "0"})
    certificate.refresh_from_db()
    assert not certificate.name_hidden


def test_nobody_else_can_hide_a_name(client, certificate):
    other = make_volunteer()
    client.login(email=other.user.email, password=PASSWORD)
    assert (
        client.post(f"/learn/certificates/{certificate.token}/visibility/", {"hidden": "1"}).status_code
        == 404
    )
    certificate.refresh_from_db()
    assert not certificate.name_hidden


def test_the_cached_page_follows_every_change_at_once(client, certificate):
    from certificates.services import certificate_set_name_hidden
    from volunteers.services import volunteer_erase

    url = f"/verify/{certificate.token}/"
    assert "This certificate is valid" in client.get(url).content.decode()
    certificate_set_name_hidden(certificate=certificate, hidden=True)
    assert "กานติมน" not in client.get(url).content.decode()
    certificate_set_name_hidden(certificate=certificate, hidden=False)
    assert "กานติมน" in client.get(url).content.decode()
    staff = make_user(group="Staff")
    certificate_revoke(certificate=certificate, actor=staff, reason="error")
    assert "This certificate has been revoked" in client.get(url).content.decode()
    volunteer_erase(user=certificate.volunteer, actor=staff)
    html = client.get(url).content.decode()
    assert "กานติมน" not in html and "Kantimon" not in html


def test_a_signed_in_visitor_never_gets_a_page_cached_for_someone_else(client, certificate, monkeypatch):
    """The page shows nothing about its reader today; were it to (a header naming who is signed in),
    that page must never be cached for others, nor a cached page be served to a signed-in reader."""
    from certificates import views

    real_render = views.render_to_string

    def render_naming_the_reader(template, context=None, request=None):
        html = real_render(template, context, request=request)
        if request is not None and request.user.is_authenticated:
            html += f"<p>Signed in as {request.user.email}</p>"
        return html

    monkeypatch.setattr(views, "render_to_string", render_naming_the_reader)
    url = f"/verify/{certificate.token}/"
    viewer, other = make_volunteer(), make_volunteer()
    client.login(email=viewer.user.email, password=PASSWORD)
    first = client.get(url).content.decode()
    assert "This certificate is valid" in first and viewer.user.email in first  # the control
    client.logout()
    anonymous = client.get(url).content.decode()  # now cached for visitors
    assert "This certificate is valid" in anonymous and viewer.user.email not in anonymous
    client.login(email=other.user.email, password=PASSWORD)
    second = client.get(url).content.decode()
    assert other.user.email in second and viewer.user.email not in second


def test_the_dashboard_offers_the_certificate_of_a_completed_course(client, certificate):
    from courses.learning.services import course_enrol, lesson_complete
    from courses.models import LessonPage

    course_enrol(volunteer=certificate.volunteer, course=certificate.course)
    lesson_complete(
        volunteer=certificate.volunteer, lesson=LessonPage.objects.descendant_of(certificate.course).get()
    )
    client.login(email="kantimon@example.org", password=PASSWORD)
    html = client.get("/learn/").content.decode()
    assert f"/certificates/{certificate.token}.pdf" in html
    assert "/learn/certificates/" in html


def test_a_revoked_certificate_shows_its_state_and_reason_and_offers_nothing_that_looks_valid(
    client, certificate
):
    valid_course, _module, _lesson = make_course_tree(title="หลักสูตรที่สอง")
    valid = certificate_issue(volunteer=certificate.volunteer, course=valid_course)
    certificate_revoke(certificate=certificate, actor=make_user(group="Staff"), reason="ออกให้ผิดหลักสูตร")
    client.login(email="kantimon@example.org", password=PASSWORD)
    html = client.get("/en/learn/certificates/").content.decode()
    revoked_card = html.split(f'id="certificate-{certificate.serial}"', 1)[1].split("</article>", 1)[0]
    assert "This certificate has been revoked and is no longer valid." in revoked_card
    assert "Reason: ออกให้ผิดหลักสูตร" in revoked_card
    for offered in (
        f"/certificates/{certificate.token}.pdf",
        f"/verify/{certificate.token}.json",
        f"/verify/{certificate.grouped_token}/",
        f"/learn/certificates/{certificate.token}/visibility/",
    ):
        assert offered not in html
    # The valid certificate keeps its PDF, share link and name switch.
    assert f"/certificates/{valid.token}.pdf" in html
    assert f"/verify/{valid.grouped_token}/" in html
    assert f"/learn/certificates/{valid.token}/visibility/" in html


def test_a_replaced_certificate_points_to_the_new_one(client, certificate):
    from certificates.services import certificate_reissue

    new = certificate_reissue(certificate=certificate, actor=make_user(group="Staff"), reason="name spelling")
    client.login(email="kantimon@example.org", password=PASSWORD)
    html = client.get("/en/learn/certificates/").content.decode()
    old_card = html.split(f'id="certificate-{certificate.serial}"', 1)[1].split("</article>", 1)[0]
    assert "replaced by a newer one" in old_card and "Reason: name spelling" in old_card
    assert f'href="#certificate-{new.serial}"' in old_card
    assert f"/certificates/{certificate.token}.pdf" not in html
    assert f"/certificates/{new.token}.pdf" in html


def test_the_holder_cannot_download_a_revoked_certificate_but_staff_still_can(client, certificate):
    certificate_revoke(certificate=certificate, actor=make_user(group="Staff"), reason="ออกให้ผิดหลักสูตร")
    url = f"/certificates/{certificate.token}.pdf"
    client.login(email="kantimon@example.org", password=PASSWORD)
    response = client.get(url)
    assert response.status_code == 410 and response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "ออกให้ผิดหลักสูตร" in html and f"#certificate-{certificate.serial}" in html
    staff = make_user(group="Staff")
    client.login(email=staff.email, password=PASSWORD)
    assert client.get(url).status_code == 200
