"""The demo's evaluation: the case-practice course requires it, and its seeded anonymous answers show
staff the results with small groups hidden."""

import re

import pytest

from courses.evaluations.models import EvaluationAnswer, EvaluationDone
from courses.models import CoursePage
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_the_case_practice_course_requires_the_evaluation_and_the_orientation_course_does_not(demo):
    assert CoursePage.objects.get(slug="case-practice", locale__language_code="th").evaluation_required
    assert not CoursePage.objects.get(slug="orientation", locale__language_code="th").evaluation_required


def test_the_demo_answers_are_anonymous_and_show_with_small_groups_hidden(demo, client):
    course = CoursePage.objects.get(slug="case-practice", locale__language_code="th")
    assert EvaluationAnswer.objects.filter(course=course).count() == 21
    assert not EvaluationDone.objects.exists()  # seeded answers belong to nobody
    client.force_login(make_user(group="Staff"))
    response = client.get(f"/admin/evaluations/{course.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "ซ่อน" in html  # Sweden's and Denmark's small quarters
    # All countries: 7 (Norway; the pooled block reaches into the next quarter), 6 (Norway), and all
    # closed quarters 19 (Norway's 13 and the pool of Sweden and Denmark, which reached 6).
    all_countries = re.search(r"ทุกประเทศ</th>(.*?)</tr>", html).group(1)
    assert re.findall(r"<td>(\d+)</td>", all_countries) == ["7", "6", "19"]
    sweden_row = re.search(r"สวีเดน</th>(.*?)</tr>", html).group(1)
    assert re.findall(r"<td>(\d+)</td>", sweden_row) == []
    sweden = client.get(f"/admin/evaluations/{course.pk}/", {"country": "SE"}).content.decode()
    assert "ซ่อนไว้: ตัวกรองนี้แสดงคำตอบได้น้อยกว่าห้าคำตอบ" in sweden
