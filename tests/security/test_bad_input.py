"""Property-based bad input: quiz posts, the volunteer CSV import and the verification URL.

Whatever arrives, the answer is never a server error, and a refused request changes nothing.
"""

import uuid
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certificates.models import Certificate
from certificates.services import certificate_issue
from courses.learning.services import course_enrol
from courses.models import CourseCompletion, LessonProgress, QuizAttempt, QuizResult
from tests.courses.quizzes.quiz_helpers import add_quiz
from tests.factories import PASSWORD, make_course_tree, make_organization, make_user, make_volunteer
from volunteers.models import Organization, VolunteerProfile

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text that includes what breaks naive code: NUL and control characters, surrogates are excluded
# (they cannot be encoded), combining marks, right-to-left text, very long values.
nasty_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "\x00", "-1", "0", "1e309", "NaN", "٣", "ก่", "‮abc", "' OR 1=1 --", "../" * 5]),
    st.text(min_size=500, max_size=3000).filter(lambda value: value),
)


@pytest.fixture
def quiz_world(client):
    course, module, _lesson = make_course_tree(title="Fuzz course")
    quiz = add_quiz(module)
    volunteer = make_volunteer().user
    course_enrol(volunteer=volunteer, course=course)
    client.force_login(volunteer)
    token = str(uuid.uuid4())
    assert client.post(quiz.url, {"action": "start", "token": token}).status_code == 302
    return quiz, QuizAttempt.objects.get(token=token)


def quiz_state() -> list:
    return [
        list(QuizAttempt.objects.order_by("pk").values_list("pk", "state", "score", "passed", "answers")),
        list(QuizResult.objects.order_by("pk").values_list("pk", "passed", "grade")),
        LessonProgress.objects.count(),
        CourseCompletion.objects.count(),
    ]


def quiz_post_data(attempt_token: str):
    keys = st.one_of(
        st.sampled_from(
            [
                "action",
                "attempt",
                "token",
                "answer-q-single",
                "answer-q-multi",
                "answer-q-tf",
                "answer-q-short",
                "answer-q-match-p-1",
                "answer-q-nope",
                "score",
                "passed",
                "attempt_id",
            ]
        ),
        st.text(min_size=1, max_size=20),
    )
    values = st.one_of(
        nasty_text,
        st.sampled_from(
            ["start", "save", "submit", attempt_token, str(uuid.uuid4()), "c-right", "m-a", "true"]
        ),
    )
    return st.dictionaries(keys, st.lists(values, min_size=1, max_size=3), max_size=12)


@EXAMPLES
@given(data=st.data())
def test_quiz_posts_never_fail_and_refusals_change_nothing(client, quiz_world, data):
    quiz, attempt = quiz_world
    body = data.draw(quiz_post_data(str(attempt.token)))
    before = quiz_state()
    response = client.post(quiz.url, body)
    assert response.status_code < 500
    if response.status_code == 400:
        assert quiz_state() == before


@EXAMPLES
@given(raw=st.binary(max_size=2000))
def test_raw_quiz_bodies_never_fail_and_change_nothing(client, quiz_world, raw):
    quiz, _attempt = quiz_world
    before = quiz_state()
    response = client.generic("POST", quiz.url, raw, content_type="application/x-www-form-urlencoded")
    assert response.status_code < 500
    if response.status_code == 400:
        assert quiz_state() == before


@pytest.fixture
def importer(client):
    staff = make_user(group="Staff")
    client.login(email=staff.email, password=PASSWORD)
    make_organization(name_th="องค์กรที่มีอยู่")
    make_volunteer(email="known@example.org", given_name_th="เดิม", family_name_th="คนเดิม")
    return client


def register_counts() -> tuple[int, int, int]:
    return get_user_model().objects.count(), VolunteerProfile.objects.count(), Organization.objects.count()


COLUMNS = ["email", "given_name_th", "family_name_th", "title", "given_name_en", "family_name_en", "country",
           "city", "organization", "organization_role", "phone", "preferred_language"]  # fmt: skip


def csv_cell():
    return st.one_of(
        nasty_text,
        st.emails().map(str),
        st.sampled_from(["known@example.org", "NO", "th", "en", "ms", "=HYPERLINK(1)", '"', "a,b", "\r\n"]),
    )


@st.composite
def csv_files(draw) -> bytes:
    header = draw(st.lists(st.sampled_from(COLUMNS), min_size=0, max_size=8, unique=True))
    if draw(st.booleans()):
        header = ["email", "given_name_th", "family_name_th", *header]
    rows = draw(st.lists(st.lists(csv_cell(), min_size=0, max_size=len(header) + 2), max_size=6))

    def line(cells):
        return ",".join(
            '"' + str(cell).replace('"', '""') + '"' if draw(st.booleans()) else str(cell) for cell in cells
        )

    text = "\n".join([",".join(dict.fromkeys(header)), *(line(cells) for cells in rows)])
    return text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"])), errors="replace")


def import_post(client, content: bytes):
    upload = SimpleUploadedFile("people.csv", content, content_type="text/csv")
    return client.post("/admin/volunteers/import/", {"file": upload})


def assert_import_outcome(response, before):
    assert response.status_code < 500
    after = register_counts()
    if response.status_code != 200:
        assert after == before
        return
    created = response.context["counts"].get("created", 0)
    assert after[0] - before[0] == created  # exactly the rows reported as new people
    assert after[1] - before[1] == created


@EXAMPLES
@given(content=st.binary(max_size=3000))
def test_random_bytes_as_the_volunteer_csv_never_fail_and_change_nothing(importer, content):
    before = register_counts()
    assert_import_outcome(import_post(importer, content), before)


@EXAMPLES
@given(content=csv_files())
def test_random_csv_files_import_only_the_rows_they_report(importer, content):
    before = register_counts()
    assert_import_outcome(import_post(importer, content), before)


@pytest.fixture
def issued():
    course, _module, _lesson = make_course_tree(title="Verify course")
    profile = make_volunteer(given_name_th="ทดสอบ", family_name_th="ยืนยัน")
    return certificate_issue(volunteer=profile.user, course=course)


def certificate_state():
    return list(Certificate.objects.order_by("pk").values_list("pk", "status", "name_hidden", "token"))


segments = st.one_of(
    st.text(min_size=1, max_size=80),
    st.sampled_from(["..", "%2e%2e", "' OR '1'='1", "<script>", "A" * 500, "aaaa-bbbb", "\x00", "ก่"]),
    st.from_regex(r"[A-Z2-7]{26}", fullmatch=True),
)


@EXAMPLES
@given(segment=segments, suffix=st.sampled_from(["/", ".json", ""]))
def test_random_verification_urls_answer_not_found_and_change_nothing(client, issued, segment, suffix):
    cache.clear()
    before = certificate_state()
    response = client.get("/verify/" + quote(segment, safe="") + suffix)
    # A NUL is refused before any query, on both databases.
    assert response.status_code in ({400} if "\x00" in segment else {301, 302, 404, 429})
    assert certificate_state() == before


def test_a_value_longer_than_its_column_is_rejected_with_the_row_not_truncated_or_failed(importer):
    content = "email,given_name_th,family_name_th,phone\nlong@example.org,ยาว,มาก," + "1" * 60 + "\n"
    before = register_counts()
    response = import_post(importer, content.encode())
    assert response.status_code == 200
    assert response.context["counts"] == {"rejected": 1}
    assert register_counts() == before
