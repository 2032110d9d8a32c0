"""What tests/journeys/test_admin_in_thai.py needs to tell an untranslated word from data: the text
a screen shows (read in the browser), the site's data (tests/journeys/data_text.py) and the allowed
words (tests/journeys/latin_allowed.py).

A screen's text is every visible text node, the screen-reader-only text beside it (a person using a
screen reader hears it), and the placeholders and accessible names of visible controls. Left out:
what a person is editing (a rich-text editor's content, a text area), code shown as code
(`<code>`, `<kbd>`, `<pre>`), a choice labelled by its own value (a time zone "Europe/Oslo: CET"),
and the tz database's place name in a time zone's label ("นอร์เวย์ (Oslo)").
Each run of Latin-script words in it must then be:
- made only of allowed words; or
- a single word that is the whole text or a value of the data, or a word of a short value of the
  data (a name, a title, a file name) that no label of the software uses ("Chaichana" may be a
  name; "Help" and "minutes" are labels left in English even when a lesson says them); or
- several words that stand together in the data (an English title, a sentence of a lesson).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from tests.journeys.latin_allowed import ALLOWED

WORD_PATTERN = r"[A-Za-z0-9]*[A-Za-z][A-Za-z0-9'\u2019_]*"
WORD = re.compile(WORD_PATTERN)
# Latin words with what may stand between them inside one phrase.
RUN = re.compile(rf"{WORD_PATTERN}(?:[ .,:;/&()'\u2019\"-]{{1,3}}{WORD_PATTERN})*")
SHORT = 80

SCREEN_TEXT = """() => {
  const texts = [];
  const visible = (el) => el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })
    || !!el.closest('.w-sr-only, .visuallyhidden, .sr-only');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    let text = node.nodeValue.trim();
    const el = node.parentElement;
    if (!text || !/[A-Za-z]/.test(text) || !el) continue;
    if (el.closest('script, style, noscript, template, iframe, textarea, code, kbd, samp, pre')) continue;
    if (el.closest('[contenteditable=true]')) continue;
    const option = el.closest('option');
    if (option) {
      // A choice labelled by its value ("Europe/Oslo: CET"), or naming a time zone's place: "นอร์เวย์ (Oslo)".
      if (option.value && text.startsWith(option.value)) continue;
      const place = option.value.split('/').pop().replace(/_/g, ' ');
      if (option.value.includes('/')) text = text.replace(place, '');
    } else if (!visible(el)) continue;
    texts.push(text);
  }
  for (const el of document.querySelectorAll('[placeholder], [aria-label]')) {
    if (!visible(el) || el.closest('[contenteditable=true]')) continue;
    for (const name of ['placeholder', 'aria-label']) {
      const text = (el.getAttribute(name) || '').trim();
      if (/[A-Za-z]/.test(text)) texts.push(text);
    }
  }
  return texts;
}"""


def screen_texts(page) -> list[str]:
    return page.evaluate(SCREEN_TEXT)


MSGID = re.compile(r'^(?:msgid|msgid_plural)\s+"(.*)"$|^"(.*)"$')


@functools.cache
def label_words() -> frozenset[str]:
    """Every word (lower case) of the English the software's catalogs translate: ours, Wagtail's,
    wagtail-localize's, django-otp's, taggit's and Django's."""
    import django
    import django_otp
    import taggit
    import wagtail
    import wagtail_localize

    roots = [Path(__file__).resolve().parents[2] / "locale"]
    roots += [
        Path(module.__file__).parent for module in (wagtail, wagtail_localize, django_otp, taggit, django)
    ]
    words: set[str] = set()
    for root in roots:
        for catalog in (
            root.glob("**/locale/*/LC_MESSAGES/*.po") if root.name != "locale" else root.glob("**/*.po")
        ):
            if "/en/" not in str(catalog) and "/th/" not in str(catalog) and root.name != "locale":
                continue
            in_msgid = False
            for line in catalog.read_text(encoding="utf-8", errors="replace").splitlines():
                if line.startswith(("msgid", "msgid_plural")):
                    in_msgid = True
                elif not line.startswith('"'):
                    in_msgid = False
                if in_msgid and (match := MSGID.match(line)):
                    words.update(
                        word.lower() for word in WORD.findall(match.group(1) or match.group(2) or "")
                    )
    return frozenset(words)


class DataText:
    def __init__(self, values: list[str]):
        self.values = set(values)
        self.short_words = {word for value in values if len(value) <= SHORT for word in WORD.findall(value)}
        self.corpus = "\n".join(values)

    @functools.cache  # noqa: B019 (one instance per test session)
    def holds(self, phrase: str, *, cut: bool) -> bool:
        """Whether `phrase` stands in the data as whole words (`cut`: its last word may be cut
        short, as a long title is shortened with an ellipsis)."""
        words = WORD.findall(phrase)
        if len(words) == 1 and not cut:
            return phrase in self.values or (
                words[0] in self.short_words and words[0].lower() not in label_words()
            )
        end = "" if cut else r"(?![A-Za-z])"
        return re.search(r"(?<![A-Za-z])" + re.escape(phrase) + end, self.corpus) is not None


# Codes, whatever words they are made of: a file's extension (".xlsx"), a dotted name
# ("courses.lessonpage", a page type as the page types report names it) and a certificate's code.
CODES = re.compile(
    r"(?<![A-Za-z0-9])\.[a-z0-9]{2,5}\b"
    r"|(?<![\w-])[a-z_]+(?:\.[a-z_]+)+(?![\w-])"
    # A code in capitals and digits joined by hyphens: a certificate's (ABCD-EFGH, MSDHS-2026-000008).
    r"|\b[A-Z0-9]{2,}(?:-[A-Z0-9]{2,})+\b"
)


def untranslated(texts: list[str], data: DataText) -> list[str]:
    """The Latin-script phrases of `texts` that are neither allowed nor data."""
    found = []
    for text in texts:
        if text in data.values:
            continue
        for match in RUN.finditer(CODES.sub(" ", text)):
            run = match.group()
            cut = CODES.sub(" ", text)[match.end() : match.end() + 3].startswith(("…", "..."))
            if len(WORD.findall(run)) > 1 and data.holds(run, cut=cut):
                continue  # a title or a sentence of the data, whatever words it is made of
            for phrase in phrases_left(run):
                if not data.holds(phrase, cut=cut and run.endswith(phrase)):
                    found.append(phrase)
    return found


def phrases_left(run: str) -> list[str]:
    """`run` with its allowed words and codes taken out: the phrases between them."""
    phrases, current = [], []
    for piece in re.split(r"(\s+)", run):
        words = WORD.findall(piece)
        # A word with a digit in it is a code (a version, a file type, a heading level).
        if words and all(word in ALLOWED or any(c.isdigit() for c in word) for word in words):
            if current:
                phrases.append("".join(current).strip())
            current = []
        else:
            current.append(piece)
    if current and "".join(current).strip():
        phrases.append("".join(current).strip())
    phrases = [phrase.strip(" .,:;/&()'\u2019\"-") for phrase in phrases]
    # A letter alone is a key (Ctrl + B), a list's marker or the sign between a width and a height.
    return [phrase for phrase in phrases if WORD.search(phrase) and len(phrase) > 1]


# Addresses a crawl does not open: what signs out, downloads a file or serves one, or only answers a
# script; one of each kind of screen is enough (ids and page numbers are alike).
NOT_SCREENS = re.compile(
    r"logout|export|format=(csv|xlsx)|\.(csv|xlsx|pdf|zip|ics)(\?|$)|/download|/serve/|/documents/\d+/[^/]+$"
    r"|/preview|/jsi18n|/api/|/chooser/|/original|/generate_url/|/attendance/\d+\.csv|/files?/|/media/",
    re.IGNORECASE,
)


def kind_of_screen(url: str) -> str:
    parts = urlsplit(url)
    keys = sorted({key for key, _ in parse_qsl(parts.query) if key not in ("p", "next", "ordering", "q")})
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(keys) if keys else "")
