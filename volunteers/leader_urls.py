from django.urls import path

from volunteers import leaders

urlpatterns = [
    path("", leaders.organisation_home, name="organisation_home"),
    path("<int:organization_id>/", leaders.organisation_detail, name="organisation_detail"),
    path(
        "<int:organization_id>/members.<str:export_format>",
        leaders.organisation_export,
        name="organisation_export",
    ),
    path(
        "<int:organization_id>/requests/<int:profile_id>/confirm/",
        leaders.request_decide,
        {"decision": "confirm"},
        name="organisation_request_confirm",
    ),
    path(
        "<int:organization_id>/requests/<int:profile_id>/decline/",
        leaders.request_decide,
        {"decision": "decline"},
        name="organisation_request_decline",
    ),
    path(
        "<int:organization_id>/requests/<int:profile_id>/decline-reason/",
        leaders.request_decline_form,
        name="organisation_request_decline_form",
    ),
]
