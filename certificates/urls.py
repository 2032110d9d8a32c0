from django.urls import path

from certificates import views

urlpatterns = [
    path("issuer.json", views.issuer_profile, name="certificates_issuer"),
]
