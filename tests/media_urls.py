"""The site's URLs with MEDIA_ROOT served at MEDIA_URL, as the embedded default serves it
(`SERVE_MEDIA`), for tests of what anyone can fetch under /media/ on either test stack."""

from django.urls import re_path

from training import views
from training.urls import urlpatterns as site_urlpatterns

urlpatterns = [re_path(r"^media/(?P<path>.*)$", views.public_media), *site_urlpatterns]
