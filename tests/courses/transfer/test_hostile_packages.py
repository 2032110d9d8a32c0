"""A course package is a file from elsewhere: each hostile or malformed one is refused, naming the
file and the field, and nothing on the site changes (issue 23)."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageLogEntry, Revision, WorkflowState

from courses.transfer.export import zip_entry
from courses.transfer.format import PackageRefused
from courses.transfer.importer import course_import
from tests.courses.transfer.helpers import entries, exported, move_out_of_the_way, rebuilt, with_course_json

pytestmark = pytest.mark.django_db

LESSON = ("course", "children", 0, "children", 0)
LESSON_PATH = "course.children[0].children[0]"
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">&lol4;</w:document>"""
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'


def site_state() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "workflows": WorkflowState.objects.count(),
        "images": get_image_model().objects.count(),
        "documents": get_document_model().objects.count(),
        "log": PageLogEntry.objects.count(),
    }


def lesson_node(data):
    node = data
    for step in LESSON:
        node = node[step]
    return node


def refused(package: bytes, lead) -> PackageRefused:
    before = site_state()
    with pytest.raises(PackageRefused) as caught:
        course_import(io.BytesIO(package), user=lead)
    assert site_state() == before
    return caught.value


def with_entry(package: bytes, name, content: bytes) -> bytes:
    files = entries(package)
    return rebuilt(files, raw=[(name if isinstance(name, zipfile.ZipInfo) else zip_entry(name), content)])


def with_media(package: bytes, kind: str, extension: str, content: bytes, use) -> bytes:
    """`package` with one more image or document listed and used by `use(data, path)`."""
    path = f"media/{kind}/{hashlib.sha256(content).hexdigest()}.{extension}"
    files = entries(package)
    files[path] = content

    def change(data):
        entry = {"path": path, "title": "Hostile"}
        if kind == "images":
            entry["description"] = ""
        data["media"][kind].append(entry)
        use(data, path)

    package = rebuilt(files)
    return with_course_json(package, change)


def test_a_name_climbing_out_of_the_package_is_refused(small_course, lead):
    error = refused(with_entry(exported(small_course), "../../settings.py", b"x"), lead)
    assert error.file == "../../settings.py"
    assert "นอกแพ็กเกจ" in error.message  # "outside the package"


def test_an_absolute_name_is_refused(small_course, lead):
    error = refused(with_entry(exported(small_course), "/etc/cron.d/job", b"x"), lead)
    assert error.file == "/etc/cron.d/job"


def test_a_file_a_package_never_holds_is_refused(small_course, lead):
    error = refused(with_entry(exported(small_course), "media/images/run.sh", b"x"), lead)
    assert error.file == "media/images/run.sh"


def test_too_many_entries_are_refused(small_course, lead, settings):
    settings.COURSE_PACKAGE_LIMITS = {"entries": 2}
    error = refused(exported(small_course), lead)
    assert "ไม่เกิน 2 ไฟล์" in error.message  # "at most 2"


def test_a_zip_bomb_entry_that_expands_thousands_of_times_is_refused_before_it_is_read(small_course, lead):
    zeros = b"\0" * (20 * 1024 * 1024)
    name = f"media/documents/{hashlib.sha256(zeros).hexdigest()}.txt"
    error = refused(with_entry(exported(small_course), name, zeros), lead)
    assert error.file == name
    assert "ขยายขนาด 1028 เท่า" in error.message  # "expands 1028 times"


def test_a_package_larger_than_the_limit_when_unpacked_is_refused(small_course, lead, settings):
    settings.COURSE_PACKAGE_LIMITS = {"total_bytes": 1000}
    error = refused(exported(small_course), lead)
    assert error.file == "(zip)"


def test_a_script_in_rich_text_is_refused_naming_the_field(small_course, lead):
    def script(data):
        lesson_node(data)["fields"]["body"][0]["value"] = "<p>Hello</p><script>alert(1)</script>"

    error = refused(with_course_json(exported(small_course), script), lead)
    assert (error.file, error.field) == ("course.json", f"{LESSON_PATH}.fields.body[0].value")
    assert "<script>" in error.message


@pytest.mark.parametrize(
    "html",
    [
        '<p><b onmouseover="alert(1)">Hello</b></p>',
        '<p><a href="javascript:alert(1)">Hello</a></p>',
        '<p><img src="x" onerror="alert(1)"></p>',
        '<p><iframe src="https://evil.example/"></iframe></p>',
        "<h2>A heading the lesson text block does not allow</h2>",
    ],
)
def test_markup_outside_the_fields_features_is_refused(small_course, lead, html):
    def inject(data):
        lesson_node(data)["fields"]["body"][0]["value"] = html

    error = refused(with_course_json(exported(small_course), inject), lead)
    assert error.field == f"{LESSON_PATH}.fields.body[0].value"


def test_a_script_in_a_rich_text_field_of_the_course_is_refused(small_course, lead):
    def inject(data):
        data["course"]["fields"]["description"] = '<p onclick="steal()">About</p>'

    error = refused(with_course_json(exported(small_course), inject), lead)
    assert error.field == "course.fields.description"


def test_an_svg_named_as_a_png_is_refused(small_course, lead):
    def use(data, path):
        lesson_node(data)["fields"]["body"][1]["value"]["image"] = path

    package = with_media(exported(small_course), "images", "png", SVG, use)
    error = refused(package, lead)
    assert error.file.startswith("media/images/") and "SVG" in error.message


def test_an_svg_image_is_refused_by_the_format(small_course, lead):
    def use(data, path):
        lesson_node(data)["fields"]["body"][1]["value"]["image"] = path

    error = refused(with_media(exported(small_course), "images", "svg", SVG, use), lead)
    assert error.file in ("course.json", "media/images/" + hashlib.sha256(SVG).hexdigest() + ".svg")


def test_a_web_page_named_as_a_text_document_is_refused(small_course, lead):
    def use(data, path):
        lesson_node(data)["fields"]["body"][2]["value"]["document"] = path

    page = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
    error = refused(with_media(exported(small_course), "documents", "txt", page, use), lead)
    assert error.file.startswith("media/documents/")


def test_an_xml_bomb_inside_an_office_document_is_refused(small_course, lead):
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("[Content_Types].xml", b'<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", BILLION_LAUGHS)

    def use(data, path):
        lesson_node(data)["fields"]["body"][2]["value"]["document"] = path

    error = refused(with_media(exported(small_course), "documents", "docx", docx.getvalue(), use), lead)
    assert error.file.endswith(".docx")
    assert "word/document.xml" in error.message


def test_malformed_json_is_refused_with_its_line_and_column(small_course, lead):
    files = entries(exported(small_course))
    files["course.json"] = b'{"format": "thai-volunteer-lms/course-package",\n  "course": }'
    error = refused(rebuilt(files), lead)
    assert error.file == "course.json"
    assert error.field == "บรรทัด 2 คอลัมน์ 13"  # line 2, column 13


def test_a_value_of_the_wrong_type_is_refused_naming_its_field(small_course, lead):
    def wrong(data):
        lesson_node(data)["fields"]["estimated_minutes"] = "ten"

    error = refused(with_course_json(exported(small_course), wrong), lead)
    assert (error.file, error.field) == ("course.json", f"{LESSON_PATH}.fields.estimated_minutes")


def test_a_media_file_whose_bytes_do_not_match_its_name_is_refused(small_course, lead):
    files = entries(exported(small_course))
    document = next(name for name in files if name.startswith("media/documents/"))
    files[document] = b"Something else."
    error = refused(rebuilt(files), lead)
    assert error.file == document


def test_a_block_that_does_not_validate_refuses_the_whole_package_and_leaves_no_files(
    small_course, lead, monkeypatch
):
    """Refused inside the transaction, after the new media were written: the rows roll back and
    the files written go too."""
    package = exported(small_course)
    move_out_of_the_way(small_course)
    get_image_model().objects.all().delete()
    get_document_model().objects.all().delete()

    def video_of_text(data):
        body = lesson_node(data)["fields"]["body"]
        document = body[2]["value"]["document"]
        body.append(
            {
                "type": "video",
                "id": "6a4c1f52-0000-4000-8000-000000000001",
                "value": {"video": document, "captions": None, "captions_language": "th", "title": "Video"},
            }
        )

    package = with_course_json(package, video_of_text)
    # The files this import writes, by name: the bucket of the scale-out pass is shared by the test
    # workers, so a listing before and after would also see another worker's uploads.
    written = []
    save = default_storage.save

    def recording_save(name, content, *args, **kwargs):
        written.append(save(name, content, *args, **kwargs))
        return written[-1]

    monkeypatch.setattr(default_storage, "save", recording_save)
    error = refused(package, lead)
    assert error.field == f"{LESSON_PATH}.fields.body"
    assert written, "the refusal came before any media were written; the test proves nothing"
    assert [name for name in written if default_storage.exists(name)] == []


def test_a_course_of_another_key_at_the_same_address_is_refused(small_course, lead):
    package = exported(small_course)
    Page.objects.filter(pk=small_course.pk).update(translation_key="7f1f9a43-60c4-4f62-9a3c-6f3c2e3f0b21")
    error = refused(package, lead)
    assert error.field == "course.slug"
