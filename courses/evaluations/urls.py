"""The volunteer's evaluation under the language prefix: /learn/evaluations/<course id>/."""

from django.urls import path

from courses.evaluations import views

urlpatterns = [path("<int:course_id>/", views.evaluation_view, name="evaluation_form")]
