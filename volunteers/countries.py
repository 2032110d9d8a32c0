"""The ISO 3166-1 country list, named in the reader's language (Thai or English).

Names come from pycountry's copy of the Debian iso-codes catalogs, so the list stays complete
without a hand-kept table; a few recent English names that the Thai catalog lacks are added here.
"""

import gettext
from functools import cache

import pycountry
from django.utils.functional import lazy
from django.utils.translation import get_language

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
