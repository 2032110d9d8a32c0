"""The ISO 3166 country list in Thai and English."""

import pycountry
from django.utils import translation

from volunteers.countries import country_name, sorted_country_choices


def test_every_iso_country_has_a_thai_and_an_english_name():
    for country in pycountry.countries:
        thai, english = country_name(country.alpha_2, "th"), country_name(country.alpha_2, "en")
        assert english and thai, country.alpha_2
        assert any("\u0e00" <= char <= "\u0e7f" for char in thai), (country.alpha_2, thai)


def test_names_follow_the_active_language_and_sort_in_it():
    with translation.override("th"):
        choices = sorted_country_choices()
        assert dict(choices)["NO"] == "นอร์เวย์"
        assert [name for _code, name in choices] == sorted(name for _code, name in choices)
    with translation.override("en"):
        assert dict(sorted_country_choices())["NO"] == "Norway"


def test_an_unknown_code_is_returned_as_it_is():
    assert country_name("ZZ", "th") == "ZZ"
