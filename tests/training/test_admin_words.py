"""The rules tests/journeys/test_admin_in_thai.py reads a screen by: what it calls untranslated,
and what it lets pass as data, codes or allowed words."""

import pytest

from tests.journeys.thai_admin import DataText, kind_of_screen, untranslated

DATA = DataText(
    [
        "Find a course and start learning",
        "Chai",
        "Charoensuk",
        "Chai Charoensuk chai.no@example.org",
        "documents/fund-checklist.txt",
        "Helping others while looking after yourself: ask for help when you need it.",
        "10 minutes",
    ]
)


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("Save draft", ["Save draft"]),
        ("8 minutes ที่ผ่านมา", ["minutes"]),  # a word the data has, but a label of the software
        ("Help", ["Help"]),
        ("CURRENT PAGE STATUS:", ["CURRENT PAGE STATUS"]),
        ("A comma-separated list of tags.", ["A comma-separated list of tags"]),
        ("PNG, JPEG or GIF", ["or"]),
        ("แก้ไข 'Find a course and start learning'", []),  # a title of the data in a Thai label
        ("ชื่อ: Find a course and sta…", []),  # a title shortened with an ellipsis
        ("Find a course and start learning (English)", []),
        ("Chai Charoensuk", []),
        ("Charoensuk", []),  # a name of the data, no label's word
        ("fund-checklist.txt", []),
        ("ไฟล์ .xlsx หรือ .gift", []),  # extensions are codes
        ("courses.lessonpage", []),  # a page type's code
        ("มีอะไรใหม่ใน Wagtail 8.0", []),  # allowed: the software's name, a version
        ("ตัวอักษรหนา\nCtrl + B", []),  # a key
        ("800 x 600", []),
    ],
)
def test_what_the_thai_admin_check_calls_untranslated(text, left):
    assert untranslated([text], DATA) == left


def test_one_of_each_kind_of_screen_is_opened():
    assert kind_of_screen("https://x/admin/pages/34/edit/") == kind_of_screen("https://x/admin/pages/9/edit/")
    assert kind_of_screen("https://x/admin/images/?p=2") == kind_of_screen("https://x/admin/images/")
    assert kind_of_screen("https://x/admin/reports/?course=3") != kind_of_screen("https://x/admin/reports/")
