"""Placeholder until the calendar files and feed land (the next commit on this issue replaces it)."""

from django.http import Http404


def session_ics(request, session_id):
    raise Http404


def calendar_page(request):
    raise Http404
