"""Machine-readable certificate endpoints outside the language prefix."""

from django.urls import path

from certificates import views

urlpatterns = [
    path("issuer.json", views.issuer_profile, name="certificates_issuer"),
    path("status/revocation.json", views.revocation_list, name="certificates_status_list"),
    path("<str:token>.pdf", views.certificate_pdf, name="certificate_pdf"),
]

verify_urlpatterns = [
    path("verify/<str:token>.json", views.verify_json, name="certificate_verify_json"),
    path("verify/<str:token>/", views.verify_page, name="certificate_verify"),
]

learner_urlpatterns = [
    path("learn/certificates/", views.my_certificates, name="my_certificates"),
    path(
        "learn/certificates/<str:token>/visibility/",
        views.certificate_name_visibility,
        name="certificate_name_visibility",
    ),
]
