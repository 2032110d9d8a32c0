"""Queries compiled once per process (training.precompiled) give what the ORM gives, and refuse
queries whose SQL would change with their values."""

import copy
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Q

from notifications.auth import NotificationCountBackend, unread_count_expression
from notifications.models import Notification
from tests.factories import make_volunteer
from training.content_version import current_token
from training.models import ContentVersion
from training.precompiled import STAND_IN_INT, STAND_IN_OTHER_INT, STAND_IN_TEXT, Precompiled

pytestmark = pytest.mark.django_db


def test_the_person_for_a_request_comes_with_their_unread_count():
    user = make_volunteer().user
    other = make_volunteer().user
    now = user.date_joined
    Notification.objects.create(user=user, kind="x", shown_at=now)
    Notification.objects.create(user=user, kind="x", shown_at=now)
    Notification.objects.create(user=user, kind="x", shown_at=now, read_at=now)
    Notification.objects.create(user=other, kind="x", shown_at=now)
    backend = NotificationCountBackend()
    loaded = backend.get_user(user.pk)
    annotated = get_user_model().objects.annotate(notifications_unread=unread_count_expression())
    expected = annotated.get(pk=user.pk)
    assert loaded == user
    assert loaded.notifications_unread == expected.notifications_unread == 2
    assert loaded.email == user.email and loaded.password == user.password
    assert backend.get_user(str(other.pk)).notifications_unread == 1
    assert backend.get_user(max(user.pk, other.pk) + 1000) is None
    assert backend.get_user("not-a-number") is None


def test_an_inactive_person_is_not_loaded():
    user = make_volunteer().user
    user.is_active = False
    user.save()
    assert NotificationCountBackend().get_user(user.pk) is None


def test_the_content_version_is_read_without_the_orm():
    ContentVersion.change()
    assert current_token.value() == ContentVersion.objects.get(pk=1).token
    ContentVersion.objects.all().delete()
    assert current_token.value() is None


def test_a_value_takes_every_place_of_its_stand_in():
    model = get_user_model()
    first, second = make_volunteer().user, make_volunteer().user
    either = Precompiled(
        lambda pk, email: (
            model.objects.filter(Q(pk=pk) | Q(email=email) | Q(id=pk)).values_list("email").order_by("pk")
        ),
        STAND_IN_INT,
        STAND_IN_TEXT,
    )
    assert either.rows(first.pk, second.email) == [(first.email,), (second.email,)]
    assert either.rows(second.pk, "nobody@example.org") == [(second.email,)]


def test_two_ids_each_take_their_own_places_and_one_stand_in_for_both_is_refused():
    model = get_user_model()
    first, second = make_volunteer().user, make_volunteer().user
    both = Precompiled(
        lambda pk, other: model.objects.filter(Q(pk=pk) | Q(pk=other)).values_list("email").order_by("pk"),
        STAND_IN_INT,
        STAND_IN_OTHER_INT,
    )
    assert both.rows(first.pk, second.pk) == [(first.email,), (second.email,)]
    assert both.rows(first.pk, first.pk) == [(first.email,)]
    with pytest.raises(ValueError, match="stand-in of its own"):
        Precompiled(lambda pk, other: model.objects.filter(pk=pk, id=other), STAND_IN_INT, STAND_IN_INT)


def test_a_query_without_its_stand_in_is_refused():
    model = get_user_model()
    missing = Precompiled(lambda email: model.objects.filter(email="fixed@example.org"), STAND_IN_TEXT)
    with pytest.raises(ValueError, match="does not appear"):
        missing.first("someone@example.org")


def test_the_default_locale_version_of_a_page_in_two_queries_at_most(django_assert_max_num_queries):
    """`default_locale_page` is read several times on every quiz and progress request: the page
    itself when it is Thai (one one-column read), its Thai source when it is a translation, of the
    translation's own model, as the ORM would give it."""
    from wagtail.models import Locale

    from courses.authoring.selectors import default_locale_page
    from courses.models import LessonPage
    from tests.courses.learning.test_learning import english_catalog
    from tests.factories import make_course_tree

    course, module, lesson = make_course_tree(title="Basics")
    english_catalog()
    english = Locale.objects.get(language_code="en")
    translations = {}
    for page in (course, module, lesson):
        translation = page.copy_for_translation(english)
        translation.save_revision().publish()
        translations[page.pk] = translation
    with django_assert_max_num_queries(1):
        assert default_locale_page(lesson) is lesson
    # Read again for the same page (or a copy of it), later in the request: no query.
    with django_assert_max_num_queries(0):
        assert default_locale_page(lesson) is lesson
        copied = copy.copy(lesson)
        assert default_locale_page(copied) is copied
    # A translation is never taken for a page in the default locale.
    assert default_locale_page(translations[lesson.pk]).pk == lesson.pk
    with django_assert_max_num_queries(2):
        source = default_locale_page(translations[lesson.pk])
    expected = LessonPage.objects.get(pk=lesson.pk)
    assert type(source) is LessonPage and source.pk == lesson.pk
    assert source.title == expected.title and source.path == expected.path
    assert default_locale_page(translations[course.pk]).pk == course.pk
    # Routing loads whether the page is in the default locale with it: no locale read for either.
    routed_thai = LessonPage.route_queryset().get(pk=lesson.pk)
    routed_english = LessonPage.route_queryset().get(pk=translations[lesson.pk].pk)
    with django_assert_max_num_queries(0):
        assert default_locale_page(routed_thai) is routed_thai
    with django_assert_max_num_queries(1):
        assert default_locale_page(routed_english).pk == lesson.pk
    untranslated = LessonPage.objects.get(pk=translations[lesson.pk].pk)
    LessonPage.objects.filter(pk=lesson.pk).update(translation_key=uuid.uuid4())
    assert default_locale_page(untranslated) == untranslated  # no Thai source: the page itself
    routed_untranslated = LessonPage.route_queryset().get(pk=translations[lesson.pk].pk)
    assert default_locale_page(routed_untranslated) == routed_untranslated
