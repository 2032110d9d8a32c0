"""Routing loads a page together with the related rows its page type names, and no others."""

import pytest
from django.apps import apps
from wagtail.models import Page


def routed_page_types():
    return [m for m in apps.get_models() if issubclass(m, Page) and hasattr(m, "route_queryset")]


def test_the_learning_page_types_load_through_their_own_route_queryset():
    names = {model.__name__ for model in routed_page_types()}
    assert {"CoursePage", "ModulePage", "LessonPage", "QuizPage"} <= names


@pytest.mark.parametrize("model", routed_page_types(), ids=lambda model: model.__name__)
def test_routing_joins_only_the_related_rows_a_page_type_names(model):
    """`select_related()` without fields joins every non-null foreign key (content type, locale...),
    rows the page never reads; Django 6.1 deprecates it (RemovedInDjango2028Warning)."""
    joined = model.route_queryset().query.select_related
    assert joined is not True
    assert set(joined or {}) == set(getattr(model, "route_select_related", ()))
