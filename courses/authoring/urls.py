from django.urls import path

from courses.authoring import views

app_name = "courses"

urlpatterns = [
    path("<int:document_id>/<str:document_filename>", views.lesson_media, name="lesson_media"),
]
