"""The question bank in the Wagtail admin: the snippet listing trainers keep (search, tag filter),
the import of questions from a file, and the spreadsheet template to fill in.

Adding questions to the bank, by hand or by import, needs `courses.add_bankquestion` (trainers,
lead trainers and staff: courses migration 0016). The views stay thin: parsing lives in
`courses.quizzes.imports`, writing in `courses.quizzes.services.bank_questions_import`.
"""

from __future__ import annotations

import io

from django import forms
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from wagtail.admin.filters import PopularTagsFilter, WagtailFilterSet
from wagtail.admin.forms.choosers import SearchFilterMixin
from wagtail.admin.widgets.button import HeaderButton
from wagtail.models import Locale
from wagtail.search.backends import get_search_backend
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetCreateView,
)
from wagtail.snippets.views.snippets import CopyView, CreateView, EditView, IndexView, SnippetViewSet

from courses.authoring.search import query_terms
from courses.quizzes import imports
from courses.quizzes.bank import BankQuestion
from courses.quizzes.blocks import bank_tag_choices
from courses.quizzes.services import bank_questions_import
from training.spreadsheets import xlsx_cell
from volunteers.uploads import SNIFF_BYTES, content_matches_extension, validate_upload

ADD_PERMISSION = "courses.add_bankquestion"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class BankQuestionFilterSet(WagtailFilterSet):
    """Filter by the bank's tags (every tag a bank question carries, not only the popular ones)."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, **kwargs):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.filters["tag"] = PopularTagsFilter(
            label=_("Tag"),
            field_name="tags__name",
            choices=bank_tag_choices(),
            widget=forms.CheckboxSelectMultiple,
            use_subquery=True,  # filtering a search's results by a related field needs the ids
        )

    class Meta:
        model = BankQuestion
        fields: list[str] = []


class BankQuestionIndexView(IndexView):
    def search_queryset(self, queryset):
        """Search the prompts as catalog search does: Thai runs as the n-grams the index keeps
        (Thai has no spaces between words), every term required."""
        if not self.is_searching:
            return queryset
        return get_search_backend().search(
            query_terms(self.search_query),
            queryset,
            operator="and",
            order_by_relevance=not self.is_explicitly_ordered,
        )

    @property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm(ADD_PERMISSION):
            buttons.append(
                HeaderButton(_("Import questions"), url=reverse("courses_bank_import"), icon_name="upload")
            )
        return buttons


class _WholeFormRequired:
    """Wagtail reads a StreamField's posted blocks by their count; a POST without it (not sent by the
    admin's own form) is refused as bad input instead of failing with a server error."""

    def post(self, request, *args, **kwargs):
        if "question-count" not in request.POST:
            raise BadRequest(_("The form arrived incomplete. Reload the page and try again."))
        return super().post(request, *args, **kwargs)


class BankQuestionCreateView(_WholeFormRequired, CreateView):
    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()


class BankQuestionEditView(_WholeFormRequired, EditView):
    pass


class BankQuestionCopyView(_WholeFormRequired, CopyView):
    pass


class BankQuestionChooserCreateView(_WholeFormRequired, SnippetCreateView):
    def save_form(self, form):
        form.instance.created_by = self.request.user
        return super().save_form(form)


class ThaiSearchFilterMixin(SearchFilterMixin):
    """The chooser's search box, searching the prompts as the bank's listing does: Thai runs as the
    n-grams the index keeps, every term required (Wagtail's own would find a Thai word only where a
    prompt has spaces around it)."""

    def filter(self, objects):
        query = self.cleaned_data.get("q")
        if not query:
            return super().filter(objects)
        objects = super(SearchFilterMixin, self).filter(objects)  # the other filters, not Wagtail's search
        self.is_searching = True
        self.search_query = query
        return get_search_backend().search(query_terms(query), objects, operator="and")


class _ThaiSearchChooser:
    def get_filter_form_class(self):
        form_class = super().get_filter_form_class()
        bases = tuple(
            ThaiSearchFilterMixin if base is SearchFilterMixin else base for base in form_class.__bases__
        )
        return type(form_class.__name__, bases, {})


class BankQuestionChooseView(_ThaiSearchChooser, ChooseView):
    """The chooser pop-up, its search box searching Thai as the listing does."""


class BankQuestionChooseResultsView(_ThaiSearchChooser, ChooseResultsView):
    """The chooser's results as the search box refreshes them."""


class BankQuestionChooserViewSet(SnippetChooserViewSet):
    choose_view_class = BankQuestionChooseView
    choose_results_view_class = BankQuestionChooseResultsView
    create_view_class = BankQuestionChooserCreateView


class BankQuestionViewSet(SnippetViewSet):
    model = BankQuestion
    icon = "help"
    menu_label = gettext_lazy("Question bank")
    menu_order = 304
    add_to_admin_menu = True
    list_display = ["__str__", "kind", "tag_names", "updated_at"]
    filterset_class = BankQuestionFilterSet
    # The export lists the questions' text and tags, never answers or feedback.
    list_export = ["prompt", "kind", "tag_names", "updated_at"]
    index_view_class = BankQuestionIndexView
    add_view_class = BankQuestionCreateView
    edit_view_class = BankQuestionEditView
    copy_view_class = BankQuestionCopyView
    chooser_viewset_class = BankQuestionChooserViewSet


FORMATS = [
    ("xlsx", gettext_lazy("Spreadsheet template (.xlsx)")),
    ("gift", gettext_lazy("Moodle GIFT (.txt or .gift)")),
    ("aiken", gettext_lazy("Moodle Aiken (.txt)")),
]
EXTENSIONS = {"xlsx": {"xlsx"}, "gift": {"txt", "gift"}, "aiken": {"txt"}}


class BankImportForm(forms.Form):
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=FORMATS)
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("At most 2 MB and 1,000 questions; text files saved as UTF-8."),
    )
    tags = forms.CharField(
        label=gettext_lazy("Tags"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("Given to every imported question, separated by commas."),
    )
    locale = forms.ModelChoiceField(
        label=gettext_lazy("Language of the questions"),
        queryset=Locale.objects.all(),
        empty_label=None,
        required=False,  # not sent: the default language (Thai)
        help_text=gettext_lazy("Quizzes in this language draw the imported questions."),
    )
    valid_only = forms.BooleanField(
        label=gettext_lazy("Import the valid rows and skip the rest"),
        required=False,
        help_text=gettext_lazy("Otherwise any refused row means nothing is imported."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locale"].initial = Locale.get_default().pk

    def clean_tags(self):
        tags, error = imports.parse_tags(self.cleaned_data["tags"])
        if error:
            raise ValidationError(error)
        return tags

    def clean(self):
        cleaned = super().clean()
        upload, kind = cleaned.get("file"), cleaned.get("format")
        if upload is not None and kind:
            try:
                validate_upload(upload, max_bytes=imports.MAX_FILE_BYTES, extensions=EXTENSIONS[kind])
            except ValidationError as error:
                self.add_error("file", error)
                return cleaned
            head = upload.read(SNIFF_BYTES)
            upload.seek(0)
            if kind != "xlsx" and not content_matches_extension(head, "txt"):
                self.add_error(
                    "file", _("The file's content does not match its name: it is not a text file.")
                )
        return cleaned


def _read(kind: str, data: bytes) -> list[imports.ParsedRow]:
    if kind == "xlsx":
        return imports.parse_xlsx(data)
    text = imports.decode_text(data)
    return imports.parse_gift(text) if kind == "gift" else imports.parse_aiken(text)


def import_view(request: HttpRequest) -> HttpResponse:
    """Upload a file of questions; shows what each row became or why it was refused."""
    if not request.user.has_perm(ADD_PERMISSION):
        raise PermissionDenied
    form = BankImportForm(request.POST or None, request.FILES or None)
    outcome, file_error = None, None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read(imports.MAX_FILE_BYTES + 1)
        try:
            rows = imports.check_rows(_read(form.cleaned_data["format"], data))
        except imports.ImportFileError as error:
            file_error = error.message
        else:
            if not rows:
                file_error = _("The file holds no questions.")
            else:
                outcome = bank_questions_import(
                    rows=rows,
                    tags=form.cleaned_data["tags"],
                    locale=form.cleaned_data["locale"],
                    actor=request.user,
                    valid_only=form.cleaned_data["valid_only"],
                )
    invalid = request.method == "POST" and (not form.is_valid() or file_error)
    return render(
        request,
        "courses/admin/bank_import.html",
        {
            "form": form,
            "outcome": outcome,
            "file_error": file_error,
            "page_title": _("Import questions"),
            "header_icon": "upload",
            "template_url": reverse("courses_bank_template"),
            "bank_url": reverse("wagtailsnippets_courses_bankquestion:list"),
        },
        status=400 if invalid else 200,
    )


EXAMPLES = [
    [
        "single_choice",
        "เมืองหลวงของประเทศไทยคือเมืองใด",
        "เชียงใหม่",
        "กรุงเทพมหานคร",
        "ขอนแก่น",
        "",
        "",
        "",
        "",
        "",
        "2",
        "1",
        "กรุงเทพมหานครเป็นเมืองหลวง",
        "ทั่วไป",
    ],
    [
        "multiple_choice",
        "Which of these are Thai provinces?",
        "Chiang Mai",
        "Penang",
        "Khon Kaen",
        "",
        "",
        "",
        "",
        "",
        "1,3",
        "2",
        "",
        "geography",
    ],
    [
        "true_false",
        "อาสาสมัครต้องรายงานตัวต่อสถานเอกอัครราชทูตเมื่อเดินทางถึง",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "TRUE",
        "1",
        "",
        "",
    ],
    [
        "short_answer",
        "How many provinces does Thailand have? (digits)",
        "77",
        "๗๗",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "1",
        "",
        "",
    ],
    [
        "matching",
        "จับคู่คำกับความหมาย",
        "สวัสดี -> Hello",
        "ขอบคุณ -> Thank you",
        "ลาก่อน -> Goodbye",
        "",
        "",
        "",
        "",
        "",
        "",
        "3",
        "",
        "",
    ],
]


def _instructions() -> list[list[str]]:
    return [
        [_("How to fill in the question template")],
        [_("One question per row on the first sheet, below the header row. Keep the header row as it is.")],
        [_("Type: single_choice, multiple_choice, true_false, short_answer or matching.")],
        [_("Options: fill from Option 1 without gaps (up to 8).")],
        [
            _(
                "Single and multiple choice: the options are the choices; Correct gives the right option's "
                "number (several, separated by commas, for multiple choice)."
            )
        ],
        [_("True or false: no options; Correct is TRUE or FALSE.")],
        [_("Short answer: the options are the accepted answers; leave Correct empty.")],
        [_("Matching: each option is a pair written “item -> its match”; leave Correct empty.")],
        [_("Points: a number (1 when empty). Feedback: optional. Tags: optional, separated by commas.")],
        [_("The sheet “Examples” shows a row of each type. At most 1,000 questions per file.")],
    ]


@require_GET
def template_download(request: HttpRequest) -> HttpResponse:
    """The spreadsheet template: headers in Thai and English, an empty questions sheet, examples
    of each type and the instructions."""
    if not request.user.has_perm(ADD_PERMISSION):
        raise PermissionDenied
    book = Workbook()
    questions = book.active
    questions.title = _("Questions")[:31]
    headers = imports.template_headers()
    bold = Font(bold=True)
    examples = book.create_sheet(_("Examples")[:31])
    for sheet in (questions, examples):
        sheet.append([xlsx_cell(sheet, header) for header in headers])
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
        sheet.column_dimensions["B"].width = 50
    for row in EXAMPLES:
        examples.append([xlsx_cell(examples, value or None) for value in row])
    guide = book.create_sheet(_("Instructions")[:31])
    for row in _instructions():
        guide.append([xlsx_cell(guide, value) for value in row])
    guide.column_dimensions["A"].width = 120
    for cell in guide["A"]:
        cell.alignment = Alignment(wrap_text=True)
    guide["A1"].font = bold
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="question-bank-template.xlsx"'
    return response
