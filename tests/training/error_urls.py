"""The site's URLconf with one view that refuses (no public view of ours answers 403 on its own),
and the site's error handlers."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from training import urls as site_urls


def forbidden(request):
    raise PermissionDenied


urlpatterns = [path("forbidden/", forbidden), *site_urls.urlpatterns]

handler400 = getattr(site_urls, "handler400", "django.views.defaults.bad_request")
handler403 = getattr(site_urls, "handler403", "django.views.defaults.permission_denied")
handler500 = site_urls.handler500
