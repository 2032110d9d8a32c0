from django.urls import path

from volunteers import certification_views, leaders

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
    path(
        "<int:organization_id>/certification/",
        certification_views.certification_home,
        name="certification_home",
    ),
    path(
        "<int:organization_id>/certification/start/",
        certification_views.certification_start,
        name="certification_start",
    ),
    path(
        "<int:organization_id>/certification/<int:application_id>/",
        certification_views.certification_detail,
        name="certification_detail",
    ),
    path(
        "<int:organization_id>/certification/<int:application_id>/submit/",
        certification_views.certification_submit,
        name="certification_submit",
    ),
    path(
        "<int:organization_id>/certification/<int:application_id>/board/",
        certification_views.certification_board_add,
        name="certification_board_add",
    ),
    path(
        "<int:organization_id>/certification/<int:application_id>/board/<int:member_id>/remove/",
        certification_views.certification_board_remove,
        name="certification_board_remove",
    ),
    path(
        "<int:organization_id>/certification/<int:application_id>/documents/",
        certification_views.certification_document_add,
        name="certification_document_add",
    ),
    path(
        "<int:organization_id>/certification/<int:application_id>/documents/<int:document_id>/",
        certification_views.certification_document,
        name="certification_document",
    ),
    path(
        "<int:organization_id>/certification/<int:application_id>/documents/<int:document_id>/remove/",
        certification_views.certification_document_remove,
        name="certification_document_remove",
    ),
]
