"""The learning area under the language prefix: /learn/ (Thai) and /en/learn/ (English)."""

from django.urls import path

from courses.learning import offline as learning_offline
from courses.learning import sync
from courses.learning import views as learning_views

urlpatterns = [
    path("", learning_views.dashboard, name="learning_dashboard"),
    path("courses/<int:course_id>/enrol/", learning_views.enrol, name="learning_enrol"),
    path("courses/<int:course_id>/continue/", learning_views.continue_course, name="learning_continue"),
    path("courses/<int:course_id>/offline/", learning_offline.course_offline, name="learning_course_offline"),
    path("lessons/<int:lesson_id>/done/", learning_views.lesson_done, name="learning_lesson_done"),
    # The offline app's queue of lessons done and quizzes submitted (issue 24).
    path("sync/", sync.sync, name="learning_sync"),
]
