import pytest

from tests.factories import make_course_tree, make_document, make_image, make_user


@pytest.fixture
def lead(db):
    return make_user(group="Lead trainers")


@pytest.fixture
def small_course(db):
    """A published course with a figure, a download and rich text in its lesson."""
    image = make_image(title="Figure")
    document = make_document(title="Handout", filename="handout.txt", content=b"Bring your passport.")
    body = [
        {
            "type": "text",
            "value": '<p>Listen <b>first</b>, then <a href="https://example.org/">read</a>.</p>',
        },
        {"type": "image", "value": {"image": image.pk, "alt_text": "A figure", "caption": ""}},
        {"type": "download", "value": {"document": document.pk, "title": "Handout", "description": ""}},
    ]
    course, _module, _lesson = make_course_tree(title="Small course", body=body)
    return course
