"""Admin wiring for courses: help lines and course runs as snippets that staff keep; staff enrolment
of volunteers, moves between runs and extensions;
quiz statistics and trying a quiz for those who may edit it."""

from django.conf import settings
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.authoring.models import CoursePage, HelpLine
from courses.evaluations import admin_views as evaluation_admin
from courses.evaluations.models import EvaluationForm
from courses.evaluations.selectors import evaluation_results_courses
from courses.evaluations.services import evaluation_form_saved
from courses.learning import admin_views
from courses.learning.admin_views import ENROL_PERMISSION
from courses.learning.run_admin import CourseRunViewSet, enrolment_run
from courses.live import admin_views as live_admin
from courses.quizzes import admin_views as quiz_admin
from courses.quizzes import bank_admin
from courses.quizzes import trial as quiz_trial
from courses.quizzes.models import QuizPage
from courses.reports import chart_views, dashboard, participants
from courses.reports import views as report_views
from courses.translation import admin_views as translation_admin
from courses.translation.localize_labels import editor_labels_script
from volunteers.admin_views import RecordsChooserViewSet


class HelpLineViewSet(SnippetViewSet):
    model = HelpLine
    icon = "help"
    menu_label = _("Help lines")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["organisation", "country", "phone", "hours", "languages"]
    list_filter = ["country"]
    search_fields = ["organisation", "phone", "languages"]
    ordering = ["country", "sort_order", "organisation"]
    chooser_viewset_class = RecordsChooserViewSet


register_snippet(HelpLineViewSet)


class EvaluationFormViewSet(SnippetViewSet):
    model = EvaluationForm
    icon = "pick"
    menu_label = _("Evaluation forms")
    menu_order = 305
    add_to_admin_menu = True
    # The default form as a tick, not the word "True".
    list_display = [
        "name_th",
        "name_en",
        BooleanColumn("is_default", label=EvaluationForm._meta.get_field("is_default").verbose_name),
        "version",
    ]
    add_view_class = evaluation_admin.EvaluationFormCreateView
    edit_view_class = evaluation_admin.EvaluationFormEditView
    copy_view_class = evaluation_admin.EvaluationFormCopyView
    delete_view_class = evaluation_admin.EvaluationFormDeleteView
    search_fields = ["name_th", "name_en"]
    chooser_viewset_class = RecordsChooserViewSet


register_snippet(EvaluationFormViewSet)
register_snippet(CourseRunViewSet)
register_snippet(live_admin.LiveSessionViewSet)
register_snippet(bank_admin.BankQuestionViewSet)


@hooks.register("register_admin_urls")
def live_session_admin_urls():
    return [
        path(
            "live-sessions/<int:session_id>/attendance/",
            live_admin.session_attendance,
            name="courses_live_attendance",
        ),
    ]


@hooks.register("register_log_actions")
def live_session_log_actions(actions):
    actions.register_action(
        "courses.attendance_mark", _("Mark attendance"), _("Marked as attending a live session")
    )
    actions.register_action(
        "courses.attendance_unmark", _("Unmark attendance"), _("Attendance at a live session removed")
    )


@hooks.register("after_edit_snippet")
def evaluation_form_new_version(request, instance):
    if isinstance(instance, EvaluationForm):
        evaluation_form_saved(form=instance)


class EvaluationResultsMenuItem(MenuItem):
    def is_shown(self, request):
        scope = evaluation_results_courses(request.user)
        return scope is None or scope.exists()


@hooks.register("register_reports_menu_item")
def evaluation_results_menu_item():
    return EvaluationResultsMenuItem(
        _("Course evaluations"), reverse("courses_evaluation_index"), icon_name="pick", order=830
    )


@hooks.register("register_admin_urls")
def evaluation_admin_urls():
    return [
        path("evaluations/", evaluation_admin.results_index, name="courses_evaluation_index"),
        path(
            "evaluations/<int:course_id>/",
            evaluation_admin.results_view,
            name="courses_evaluation_results",
        ),
    ]


@hooks.register("register_log_actions")
def evaluation_log_actions(actions):
    actions.register_action(
        "courses.evaluation_export", _("Export evaluation results"), _("Exported evaluation results")
    )


class EnrolMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(ENROL_PERMISSION)


@hooks.register("register_admin_menu_item")
def enrol_csv_menu_item():
    return EnrolMenuItem(_("Enrol volunteers"), reverse("courses_enrol_csv"), icon_name="upload", order=310)


@hooks.register("register_admin_urls")
def courses_admin_urls():
    return [
        path("courses/enrol/", admin_views.enrol_from_csv, name="courses_enrol_csv"),
        path("courses/enrolments/<int:enrolment_id>/run/", enrolment_run, name="courses_enrolment_run"),
        # wagtail-localize's own addresses, answered first by views that check edit rights.
        path(
            "localize/submit/page/<int:page_id>/",
            translation_admin.EditorsSubmitPageTranslationView.as_view(),
            name="courses_submit_page_translation",
        ),
        path(
            "localize/update/<int:translation_source_id>/",
            translation_admin.EditorsUpdateTranslationsView.as_view(),
            name="courses_update_translations",
        ),
    ]


# The bulk action sits on the volunteers snippet listing, registered from here so that
# `volunteers` never imports `courses`.
hooks.register("register_bulk_action", admin_views.EnrolBulkAction)


@hooks.register("register_log_actions")
def learning_log_actions(actions):
    actions.register_action("courses.enrol", _("Enrol in a course"), _("Enrolled in a course by staff"))
    actions.register_action(
        "courses.run_move", _("Move to another run"), _("Moved to another run of a course by staff")
    )
    actions.register_action(
        "courses.deadline_extend", _("Extend a deadline"), _("Deadline in a course extended by staff")
    )


class ReportMenuItem(MenuItem):
    def __init__(self, *args, view_class=report_views.LearningReportView, **kwargs):
        super().__init__(*args, **kwargs)
        self.view_class = view_class

    def is_shown(self, request):
        return self.view_class.user_may_view(request.user)


@hooks.register("register_reports_menu_item")
def completions_report_menu_item():
    return ReportMenuItem(
        _("Course completions"), reverse("courses_report_completions"), icon_name="table", order=800
    )


@hooks.register("register_reports_menu_item")
def progress_report_menu_item():
    return ReportMenuItem(
        _("Progress in courses"), reverse("courses_report_progress"), icon_name="table", order=810
    )


@hooks.register("register_reports_menu_item")
def quiz_results_report_menu_item():
    return ReportMenuItem(
        _("Quiz results"),
        reverse("courses_report_quiz_results"),
        icon_name="table",
        order=820,
        view_class=report_views.QuizResultsReportView,
    )


@hooks.register("register_reports_menu_item")
def charts_report_menu_item():
    return ReportMenuItem(
        _("Charts"),
        reverse("courses_report_charts"),
        icon_name="doc-full",
        order=790,
        view_class=chart_views.ChartsView,
    )


@hooks.register("register_admin_urls")
def courses_report_urls():
    urls = [path("reports/charts/", chart_views.ChartsView.as_view(), name="courses_report_charts")]
    for slug, view_class in (
        ("completions", report_views.CompletionsReportView),
        ("progress", report_views.ProgressReportView),
        ("quiz-results", report_views.QuizResultsReportView),
    ):
        urls += [
            path(f"reports/{slug}/", view_class.as_view(), name=f"courses_report_{slug.replace('-', '_')}"),
            path(
                f"reports/{slug}/results/",
                view_class.as_view(results_only=True),
                name=f"courses_report_{slug.replace('-', '_')}_results",
            ),
        ]
    return urls


@hooks.register("register_admin_urls")
def participants_urls():
    view = report_views.ParticipantsView
    return [
        path("courses/<int:course_id>/participants/", view.as_view(), name="courses_participants"),
        path(
            "courses/<int:course_id>/participants/results/",
            view.as_view(results_only=True),
            name="courses_participants_results",
        ),
    ]


def _participants_button(page, user):
    """A course's participants (issue 23), from the course's page and its row in the explorer."""
    if page.specific_class is CoursePage and participants.may_see_participants(user, page):
        yield PageMenuItem(
            _("Participants"), reverse("courses_participants", args=[page.pk]), "group", 40, page=page
        )


@hooks.register("register_page_header_buttons")
def participants_header_button(page, user, view_name=None, next_url=None):
    yield from _participants_button(page, user)


@hooks.register("register_page_listing_more_buttons")
def participants_listing_button(page, user, next_url=None):
    yield from _participants_button(page, user)


@hooks.register("register_log_actions")
def report_log_actions(actions):
    actions.register_action("courses.report_export", _("Export a report"), _("Exported a report"))


@hooks.register("construct_homepage_panels")
def staff_dashboard_panels(request, panels):
    if request.user.has_perm("volunteers.view_volunteerprofile") and request.user.has_perm(
        report_views.REPORT_PERMISSION
    ):
        panels.extend([dashboard.RegistrationPanel(), dashboard.FiguresPanel(), chart_views.ChartsPanel()])


@hooks.register("register_admin_urls")
def quiz_admin_urls():
    return [
        path(
            "courses/quiz/<int:page_id>/statistics/",
            quiz_admin.statistics_view,
            name="courses_quiz_statistics",
        ),
        path(
            "courses/quiz/<int:page_id>/statistics.xlsx",
            quiz_admin.statistics_export,
            name="courses_quiz_statistics_export",
        ),
        path("courses/quiz/<int:page_id>/try/", quiz_trial.quiz_try_view, name="courses_quiz_try"),
        path("courses/question-bank/import/", bank_admin.import_view, name="courses_bank_import"),
        path(
            "courses/question-bank/template/",
            bank_admin.template_download,
            name="courses_bank_template",
        ),
    ]


@hooks.register("register_log_actions")
def bank_log_actions(actions):
    actions.register_action(
        "courses.bank_import", _("Import into the question bank"), _("Imported into the question bank")
    )


hooks.register("before_edit_page", quiz_admin.warn_when_quiz_has_attempts)


@hooks.register("register_page_header_buttons")
def quiz_statistics_header_button(page, user, view_name=None, next_url=None):
    if isinstance(page.specific, QuizPage) and page.permissions_for_user(user).can_edit():
        yield PageMenuItem(
            _("Statistics"), reverse("courses_quiz_statistics", args=[page.pk]), "table", 60, page=page
        )


@hooks.register("register_page_listing_more_buttons")
def quiz_statistics_listing_button(page, user, next_url=None):
    if page.specific_class is QuizPage and page.permissions_for_user(user).can_edit():
        yield PageMenuItem(
            _("Statistics"), reverse("courses_quiz_statistics", args=[page.pk]), "table", 60, page=page
        )


def _quiz_try_button(page, user):
    if page.specific_class is QuizPage and page.permissions_for_user(user).can_edit():
        yield PageMenuItem(
            _("Try this quiz"), reverse("courses_quiz_try", args=[page.pk]), "clipboard-list", 50, page=page
        )


@hooks.register("register_page_header_buttons")
def quiz_try_header_button(page, user, view_name=None, next_url=None):
    yield from _quiz_try_button(page, user)


@hooks.register("register_page_listing_more_buttons")
def quiz_try_listing_button(page, user, next_url=None):
    yield from _quiz_try_button(page, user)


@hooks.register("construct_homepage_panels")
def trainer_home_panels(request, panels):
    """A trainer's home (issue 23): their courses, drafts and learners' latest quiz attempts."""
    from courses.reports import trainer_home  # appended here; the other imports sit at the top

    if trainer_home.is_trainer(request.user):
        panels.extend(trainer_home.trainer_panels(request.user))


# --- Courses as files (issue 23): export and import, for lead trainers and staff ------------------


@hooks.register("register_admin_urls")
def course_transfer_admin_urls():
    from courses.transfer import views as transfer_views

    return [
        path("courses/import/", transfer_views.course_import_view, name="courses_course_import"),
        path(
            "courses/<int:page_id>/export/", transfer_views.course_export_view, name="courses_course_export"
        ),
    ]


@hooks.register("register_log_actions")
def course_transfer_log_actions(actions):
    actions.register_action("courses.course_import", _("Import course"), _("Imported from a course package"))


def _course_transfer_buttons(page, user):
    from courses.authoring.models import CourseIndexPage, CoursePage
    from courses.transfer.access import may_transfer_courses

    specific_class = page.specific_class
    if specific_class not in (CoursePage, CourseIndexPage) or not may_transfer_courses(user):
        return
    if specific_class is CoursePage and page.locale.language_code == settings.LANGUAGE_CODE:
        yield PageMenuItem(
            _("Export course"), reverse("courses_course_export", args=[page.pk]), "download", 70, page=page
        )
    if specific_class is CourseIndexPage:
        yield PageMenuItem(_("Import course"), reverse("courses_course_import"), "upload", 70, page=page)


@hooks.register("register_page_header_buttons")
def course_transfer_header_buttons(page, user, view_name=None, next_url=None):
    yield from _course_transfer_buttons(page, user)


@hooks.register("register_page_listing_more_buttons")
def course_transfer_listing_buttons(page, user, next_url=None):
    yield from _course_transfer_buttons(page, user)


@hooks.register("insert_global_admin_js")
def localize_editor_labels():
    """Thai for the two labels wagtail-localize's translation editor writes in English itself."""
    return editor_labels_script()
