"""The ISO 3166-1 country list, named in the reader's language (Thai or English).

Names come from pycountry's copy of the Debian iso-codes catalogs, so the list stays complete
without a hand-kept table; a few recent English names that the Thai catalog lacks are added here.
"""

import gettext
from functools import cache

import pycountry
from django.utils.functional import lazy
from django.utils.translation import get_language

from training.dates import country_of_zone, time_zone_names

# Names the iso-codes Thai catalog does not have yet (renamed countries).
THAI_EXTRA = {"MK": "มาซิโดเนียเหนือ", "SZ": "เอสวาตินี", "TR": "ตุรกี"}


@cache
def _thai() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["th"], fallback=True)


def country_name(code: str, language: str | None = None) -> str:
    """The country's short name in Thai or English; an unknown code is returned as it is."""
    country = pycountry.countries.get(alpha_2=code) if code else None
    if country is None:
        return code
    english = getattr(country, "common_name", None) or country.name
    language = language or get_language() or "th"
    if language.startswith("th"):
        if code in THAI_EXTRA:
            return THAI_EXTRA[code]
        thai = _thai().gettext(country.name)
        return thai if thai != country.name else english
    return english


_lazy_country_name = lazy(country_name, str)


def country_choices() -> list[tuple[str, str]]:
    """(code, name) pairs; each name follows the active language when it is rendered."""
    return [(c.alpha_2, _lazy_country_name(c.alpha_2)) for c in pycountry.countries]


def sorted_country_choices() -> list[tuple[str, str]]:
    """`country_choices()` in the alphabetical order of the active language, for lists people scan."""
    return sorted(((code, str(name)) for code, name in country_choices()), key=lambda choice: choice[1])


def time_zone_name(zone: str, language: str | None = None) -> str:
    """A zone as a reader finds it in a list: "นอร์เวย์ (Oslo)", "United States (Los Angeles)"."""
    city = zone.rsplit("/", 1)[-1].replace("_", " ")
    country = country_of_zone(zone)
    return f"{country_name(country, language)} ({city})" if country else city


_lazy_time_zone_name = lazy(time_zone_name, str)


def time_zone_choices() -> list[tuple[str, str]]:
    """(zone, name) pairs for every zone a volunteer may choose; names follow the active language."""
    return [(zone, _lazy_time_zone_name(zone)) for zone in time_zone_names()]


def sorted_time_zone_choices() -> list[tuple[str, str]]:
    """`time_zone_choices()` in the alphabetical order of the active language."""
    return sorted(((zone, str(name)) for zone, name in time_zone_choices()), key=lambda choice: choice[1])
