from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.decorators.cache import never_cache
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views import account as wagtailadmin_account
from wagtail.documents import urls as wagtaildocs_urls

from certificates import urls as certificate_urls
from courses.live import calendar_views
from training import pwa, views
from training.observability import metrics
from training.pwa import clears_site_data
from volunteers.coordinator_admin import CoordinatorSiteHistoryView

# A database outage is answered 503 with Retry-After; other failures get the plain 500 page.
handler500 = "training.views.server_error"
# Translated pages in the site's layout; the 400 one never re-reads a body that failed to decode.
handler400 = "training.views.bad_request"
handler403 = "training.views.permission_denied"

# Outside the language prefix: operational and machine-readable endpoints.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),
    # The installable app's service worker, at the root so that the whole site is its scope.
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("favicon.ico", pwa.favicon, name="favicon"),
    path("certificates/", include("certificates.urls")),
    *certificate_urls.verify_urlpatterns,
    # Wagtail's site history, answered first by the same view without what a country coordinator
    # must not see (volunteers.coordinator_admin); Wagtail's names for the addresses still resolve.
    path(
        "admin/reports/site-history/",
        never_cache(require_admin_access(CoordinatorSiteHistoryView.as_view())),
    ),
    path(
        "admin/reports/site-history/results/",
        never_cache(require_admin_access(CoordinatorSiteHistoryView.as_view(results_only=True))),
    ),
    # Wagtail's sign-out, answered first by the same view, which also clears what the installable
    # app kept on the phone (training.pwa); the same name, so two-step verification still lets an
    # unverified session sign out.
    path(
        "admin/logout/",
        clears_site_data(wagtailadmin_account.LogoutView.as_view()),
        name="wagtailadmin_logout",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("lesson-media/", include("courses.authoring.urls")),
    # A volunteer's live sessions for calendar apps, which cannot sign in: the address is the key.
    path("calendar/<str:token>.ics", calendar_views.calendar_feed, name="live_calendar_feed"),
    # Django's view, but a `next` already in a language (/en/...) keeps its page in the other one.
    path("i18n/setlang/", views.set_language, name="set_language"),
]

if getattr(settings, "BENCH_BASELINE", False):
    # The benchmark's baseline: a bare view through the same middleware stack.
    urlpatterns.append(path("bench/ok", views.bench_ok))

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
if settings.SERVE_MEDIA:
    # Public lesson media from the local folder (the embedded default; a proxy in front may serve
    # MEDIA_ROOT itself). Private files never live there.
    urlpatterns.append(
        re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", views.public_media, name="public_media")
    )

# Wagtail's front-end URLs, with our front door to its page view (training.views.serve_page).
wagtail_page_urls = [
    *(pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"),
    re_path(wagtail_urls.serve_pattern, views.serve_page, name="wagtail_serve"),
]

# Thai is unprefixed at /, English lives under /en/.
urlpatterns += i18n_patterns(
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("offline/", pwa.offline, name="offline"),
    path("accounts/", include("volunteers.urls")),
    *certificate_urls.learner_urlpatterns,
    path("learn/notifications/", include("notifications.urls")),
    path("organisation/", include("volunteers.leader_urls")),
    path("learn/evaluations/", include("courses.evaluations.urls")),
    path("learn/", include("courses.live.urls")),
    path("learn/", include("courses.learning.urls")),
    path("", include(wagtail_page_urls)),
    prefix_default_language=False,
)
