"""Catalog search lists the matching lessons and quizzes, not only courses: each result names its
course and module and links to the page; quizzes show their title and introduction, never their
questions, answers or feedback; readers not enrolled who open a lesson see its title, summary and
the enrol prompt. Costs the same queries for 5 results or 30."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from courses.authoring.selectors import SEARCH_PAGE_SIZE
from courses.models import CoursePage, LessonPage, ModulePage
from tests.courses.quizzes.quiz_helpers import ACCEPTED, CHOICE_FEEDBACK, SECRET_FEEDBACK, add_quiz
from tests.factories import catalog_page, enrolled_reader, make_course_tree, make_volunteer

# What the tests make is added to the search index, as outside the tests (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_index")]

ARROW = "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"  # between a result's course and module

HIT = re.compile(
    r'<li class="card search-hit search-hit--(?P<kind>\w+)">.*?<h3(?: lang="(?P<lang>\w+)")?>'
    r'<a href="(?P<url>[^"]+)">(?P<title>[^<]+)</a></h3>\s*<p class="search-hit__place">(?P<place>.*?)</p>'
    r"(?P<rest>.*?)</li>",
    re.S,
)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def search(client, query: str, *, url: str | None = None, **params) -> tuple[str, list[dict]]:
    """The catalog page for a search, and its lesson and quiz results in order."""
    response = client.get(url or catalog_page().url, {"q": query, **params})
    assert response.status_code == 200
    html = response.content.decode()
    hits = [
        {**match.groupdict(), "place": text(match["place"]), "rest": text(match["rest"])}
        for match in HIT.finditer(html)
    ]
    return html, hits


def unescape(value: str) -> str:
    import html

    return html.unescape(value)


# --- Over the demo content -------------------------------------------------------------------


def words_in(page: LessonPage) -> str:
    return " ".join([page.title, page.summary, *page.body.stream_block.get_searchable_content(page.body)])


def test_searching_words_inside_lesson_text_lists_the_orientation_lessons_with_course_and_module(
    demo, client
):
    """The issue's own searches: ความรุนแรง and ครอบครัว are inside lesson text of the orientation
    course; each lesson saying them is listed with its course and module and links to it; a
    volunteer not enrolled who opens one sees its title, summary and the enrol prompt."""
    orientation = CoursePage.objects.get(slug="orientation", locale__language_code="th")
    lessons = list(LessonPage.objects.descendant_of(orientation).live().order_by("path"))
    for word in ("ความรุนแรง", "ครอบครัว"):
        expected = [lesson for lesson in lessons if word in words_in(lesson)]
        assert expected, word
        html, hits = search(client, word)
        assert orientation.title in html  # the course is still listed
        by_url = {hit["url"]: hit for hit in hits}
        for lesson in expected:
            hit = by_url[lesson.url]
            module = ModulePage.objects.get(pk=lesson.get_parent().pk)
            assert unescape(hit["title"]) == lesson.title
            assert orientation.title in hit["place"]
            assert module.title in hit["place"]
            assert hit["kind"] == "lesson"
            assert lesson.summary in unescape(hit["rest"])
    # The demo's sensitive lesson on the signs of abuse says it opens with a content note, and
    # never shows the note itself in the results.
    html, hits = search(client, "ความรุนแรง")
    signs = LessonPage.objects.get(slug="recognising-abuse", locale__language_code="th")
    assert signs.is_sensitive and signs.content_note
    hit = next(hit for hit in hits if hit["url"] == signs.url)
    assert "เริ่มด้วยคำเตือนเนื้อหา" in hit["rest"]
    assert signs.content_note not in html

    # A volunteer not enrolled opens the result: title, summary, the enrol prompt, not the body.
    client.force_login(make_volunteer().user)
    lesson_html = client.get(hit["url"]).content.decode()
    assert f"<h1>{signs.title}</h1>" in lesson_html
    assert signs.summary in lesson_html
    assert 'class="card enrol-prompt"' in lesson_html
    assert "ลงทะเบียนเรียนหลักสูตรนี้" in lesson_html  # "Enrol in this course"
    assert 'id="lesson-body"' not in lesson_html
    assert signs.content_note not in lesson_html


def test_quiz_titles_match_but_their_questions_answers_and_feedback_never_do(demo, client):
    """Searching "แบบทดสอบ" (quiz) lists the demo's quizzes by title; words that appear only in a
    demo quiz's accepted answer or feedback find no quiz and show none of its text."""
    html, hits = search(client, "แบบทดสอบ")
    quizzes = [hit for hit in hits if hit["kind"] == "quiz"]
    assert len(quizzes) >= 5
    assert all("แบบทดสอบ" in hit["title"] for hit in quizzes)
    # An accepted answer (the mental health hotline), a choice's feedback and a question's
    # feedback of the demo quizzes.
    for secret, shown in (
        ("1323", "สายด่วนกรมสุขภาพจิตหมายเลขใด"),  # the answer, and its question's text
        ("เปิดเผย", "เพื่อนอาสาสมัครไม่ใช่เหตุผลในการเปิดเผย"),
        ("ความลับเป็นของเขา", "ถูกต้อง ความลับเป็นของเขา"),
    ):
        html, hits = search(client, secret)
        assert [hit for hit in hits if hit["kind"] == "quiz"] == [], secret
        assert shown not in html


def test_the_english_catalog_searches_english_lessons_and_thai_ones_not_translated_yet(demo, client):
    """Under /en/ a search lists the English lessons with English course and module names and
    /en/ addresses; a Thai lesson not translated yet is listed in Thai (marked so) at its /en/
    address, which shows it with the untranslated notice."""
    english_catalog = catalog_page("en")
    html, hits = search(client, "violence", url=english_catalog.url)
    signs = next(hit for hit in hits if hit["title"] == "Signs of domestic violence")
    assert signs["url"] == "/en/courses/orientation/domestic-violence/recognising-abuse/"
    assert "Orientation for overseas social development volunteers" in signs["place"]
    assert "Recognising and responding to domestic violence" in signs["place"]
    assert signs["lang"] is None
    assert any(hit["kind"] == "quiz" and hit["title"] == "Quiz: domestic violence" for hit in hits)
    assert all(hit["url"].startswith("/en/") for hit in hits)
    assert "lessons and quizzes match your search" in html

    html, hits = search(client, "ความรุนแรง", url=english_catalog.url)
    case = next(hit for hit in hits if "นก" in unescape(hit["title"]))
    assert case["lang"] == "th"
    assert case["url"] == "/en/courses/case-practice/case-practice/case-nok/"
    assert "ฝึกปฏิบัติ" in case["place"]
    response = client.get(case["url"])
    assert response.status_code == 200
    assert "This page is not translated into your language yet" in response.content.decode()


# --- With factories ----------------------------------------------------------------------------


def test_a_lesson_result_names_its_course_and_module_and_links_to_the_lesson(client):
    _course, _module, lesson = make_course_tree(
        title="Listening skills",
        summary="How to listen without judging.",
        body=[{"type": "text", "value": "<p>The word quokkaish appears here.</p>"}],
    )
    make_course_tree(title="Welfare law")
    html, hits = search(client, "quokkaish")
    assert hits == [
        {
            "kind": "lesson",
            "lang": None,
            "url": lesson.url,
            "title": "Listening skills lesson",
            "place": f"หลักสูตร: Listening skills {ARROW} หน่วยการเรียน: Listening skills module",
            "rest": "How to listen without judging.",
        }
    ]
    assert "Welfare law" not in html


def test_a_lesson_without_a_summary_is_listed_by_title(client):
    _course, _module, lesson = make_course_tree(
        title="Plain", body=[{"type": "text", "value": "<p>wombatish</p>"}]
    )
    _html, hits = search(client, "wombatish")
    assert [hit["url"] for hit in hits] == [lesson.url]
    assert hits[0]["rest"] == ""


def test_drafts_and_restricted_lessons_and_quizzes_are_never_results(client):
    body = [{"type": "text", "value": "<p>The word narwhalite appears here.</p>"}]
    course, module, shown = make_course_tree(title="Open course", body=body)
    draft = LessonPage(title="Draft lesson narwhalite", slug="draft", body=body)
    module.add_child(instance=draft)
    draft.live = False
    draft.save()
    hidden_module = ModulePage(title="Hidden module", slug="hidden", summary="Hidden")
    course.add_child(instance=hidden_module)
    below_hidden = LessonPage(title="Below a restricted module", slug="below", body=body)
    hidden_module.add_child(instance=below_hidden)
    for page in (hidden_module, below_hidden):
        page.save_revision().publish()
    PageViewRestriction.objects.create(page=hidden_module, restriction_type="login")
    private, _m, _private_lesson = make_course_tree(title="Private course", body=body)
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    make_course_tree(title="Draft course", publish=False, body=body)
    _html, hits = search(client, "narwhalite")
    assert [hit["url"] for hit in hits] == [shown.url]


def test_quiz_results_show_title_and_introduction_never_questions_answers_or_feedback(client):
    _course, module, _lesson = make_course_tree(title="Helping")
    quiz = add_quiz(module, slug="check")
    quiz.intro = "<p>Answer at least 70% to pass (capybarine).</p>"
    quiz.save_revision().publish()
    html, hits = search(client, "capybarine")
    assert hits == [
        {
            "kind": "quiz",
            "lang": None,
            "url": quiz.url,
            "title": "Check your understanding",
            "place": f"หลักสูตร: Helping {ARROW} หน่วยการเรียน: Helping module",
            "rest": "Answer at least 70% to pass (capybarine).",
        }
    ]
    for secret in (SECRET_FEEDBACK, CHOICE_FEEDBACK, ACCEPTED, "decides", "Firefighters"):
        html, hits = search(client, secret)
        assert hits == [], secret
        assert "Who decides what happens next?" not in html


def test_a_sensitive_lesson_is_listed_by_title_with_a_gentle_mark_never_its_content_note(client):
    make_course_tree(
        title="Violence",
        summary="Recognising abuse at home.",
        is_sensitive=True,
        content_note="NOTE-TEXT describes abuse in detail.",
        body=[{"type": "text", "value": "<p>axolotlish</p>"}],
    )
    html, hits = search(client, "axolotlish")
    assert hits[0]["title"] == "Violence lesson"
    assert "หัวข้ออ่อนไหว: บทเรียนนี้เริ่มด้วยคำเตือนเนื้อหา" in hits[0]["rest"]
    assert "NOTE-TEXT" not in html


def test_results_whose_title_holds_the_words_come_first(client):
    _c, _m, in_body = make_course_tree(title="First", body=[{"type": "text", "value": "<p>ocelotine</p>"}])
    _c, _m, in_title = make_course_tree(title="Second", body=[])
    in_title.title = "All about ocelotine"
    in_title.save_revision().publish()
    _html, hits = search(client, "ocelotine")
    assert [hit["url"] for hit in hits] == [in_title.url, in_body.url]


def test_results_come_in_pages_with_their_count(client):
    _course, module, _lesson = make_course_tree(title="Many", body=[])
    for number in range(SEARCH_PAGE_SIZE + 5):
        lesson = LessonPage(
            title=f"Lesson {number:02d}",
            slug=f"lesson-{number}",
            body=[{"type": "text", "value": "<p>dugongish</p>"}],
        )
        module.add_child(instance=lesson)
        lesson.save_revision().publish()
    html, hits = search(client, "dugongish")
    assert len(hits) == SEARCH_PAGE_SIZE
    assert f"พบบทเรียนและแบบทดสอบที่ตรงกับคำค้น {SEARCH_PAGE_SIZE + 5} รายการ" in text(html)
    assert "Many</a></h2>" in html  # the course on the first page
    assert "page=2" in html
    html, hits = search(client, "dugongish", page="2")
    assert [hit["title"] for hit in hits] == [
        f"Lesson {n:02d}" for n in range(SEARCH_PAGE_SIZE, SEARCH_PAGE_SIZE + 5)
    ]
    assert "Many</a></h2>" not in html
    for odd in ("999", "abc", "-1", "1" * 30):
        assert client.get(catalog_page().url, {"q": "dugongish", "page": odd}).status_code == 200


def test_the_topic_filter_also_narrows_lesson_results(client):
    body = [{"type": "text", "value": "<p>pangolinish</p>"}]
    tagged, _m, tagged_lesson = make_course_tree(title="Tagged", body=body)
    tagged.tags.add("mental health")
    tagged.save_revision().publish()
    make_course_tree(title="Untagged", body=body)
    _html, hits = search(client, "pangolinish", tag="mental-health")
    assert [hit["url"] for hit in hits] == [tagged_lesson.url]


def build_matches(count: int, word: str) -> None:
    """`count` live lessons and quizzes saying `word`, over several courses and modules; every
    fifth lesson is sensitive and has a summary."""
    made = 0
    course_number = 0
    while made < count:
        course_number += 1
        course = CoursePage(
            title=f"{word} course {course_number}", slug=f"{word}-{course_number}", summary="S"
        )
        catalog_page().add_child(instance=course)
        course.save_revision().publish()
        for module_number in range(2):
            module = ModulePage(title=f"Module {module_number}", slug=f"m{module_number}", summary="M")
            course.add_child(instance=module)
            module.save_revision().publish()
            for number in range(4):
                if made >= count:
                    return
                lesson = LessonPage(
                    title=f"Lesson {number}",
                    slug=f"l{number}",
                    summary=f"Summary {number}",
                    is_sensitive=number % 5 == 0,
                    body=[{"type": "text", "value": f"<p>{word}</p>"}],
                )
                module.add_child(instance=lesson)
                lesson.save_revision().publish()
                made += 1
            if made < count:
                quiz = add_quiz(module, slug="quiz")
                quiz.intro = f"<p>{word}</p>"
                quiz.save_revision().publish()
                made += 1


def queries_for(client, url: str, params: dict) -> tuple[int, int]:
    """Queries for a search when the content has just changed, then for the next reader."""
    counts = []
    for _time in range(2):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, params)
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    return counts[0], counts[1]


def test_a_search_costs_the_same_queries_for_5_results_as_for_30(client, django_assert_max_num_queries):
    build_matches(5, "tapirish")
    url = catalog_page().url
    client.get(url)  # the site and its routes, as any reader after the first finds them
    first_small, next_small = queries_for(client, url, {"q": "tapirish"})
    assert len(search(client, "tapirish")[1]) == 5
    assert next_small <= 25  # a small, fixed budget (19 on SQLite today)

    build_matches(30, "okapiish")
    client.get(url)
    assert "ตรงกับคำค้น 30 รายการ" in text(search(client, "okapiish")[0])
    build_matches(1, "refresh")  # changes the content again, so the next search starts cold
    client.get(url)
    with django_assert_max_num_queries(first_small):
        client.get(url, {"q": "okapiish"})
    with django_assert_max_num_queries(next_small):
        client.get(url, {"q": "okapiish"})


# --- Reading a lesson without being enrolled ---------------------------------------------------


def test_a_reader_not_enrolled_sees_the_lessons_title_summary_and_the_enrol_prompt_not_its_body(client):
    course, _module, lesson = make_course_tree(
        title="Safety",
        summary="Planning for safety with the person at risk.",
        body=[{"type": "text", "value": "<p>BODY-ONLY-FOR-ENROLLED</p>"}],
    )
    for reader in ("anonymous", "volunteer"):
        if reader == "volunteer":
            client.force_login(make_volunteer().user)
        html = client.get(lesson.url).content.decode()
        assert "<h1>Safety lesson</h1>" in html, reader
        assert "Planning for safety with the person at risk." in html, reader
        assert 'class="card enrol-prompt"' in html, reader
        assert "BODY-ONLY-FOR-ENROLLED" not in html, reader
    client.logout()
    enrolled_reader(client, course)
    html = client.get(lesson.url).content.decode()
    assert "Planning for safety with the person at risk." in html
    assert "BODY-ONLY-FOR-ENROLLED" in html
