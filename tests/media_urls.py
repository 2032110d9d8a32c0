"""The site's URLs plus MEDIA_ROOT served at MEDIA_URL, as `make run` (DEBUG) and a web server in
front of the app serve public media: what anyone on the internet can fetch under /media/."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from training.urls import urlpatterns as site_urlpatterns


def public_media(request, path: str):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [re_path(r"^media/(?P<path>.*)$", public_media), *site_urlpatterns]
