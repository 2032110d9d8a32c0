"""Search support for Thai text.

Thai is written without spaces between words, so full-text tokenizers (SQLite FTS5, PostgreSQL)
see a whole phrase as one token and a search for a word inside it finds nothing. Pages therefore
also index the character bigrams and trigrams of their Thai text, written as ASCII tokens so every
backend keeps them whole, and a query is turned into the same tokens and matched with AND.
"""

import re

THAI_RUN = re.compile(r"[\u0E00-\u0E7F]+")


def _token(gram: str) -> str:
    return "th" + gram.encode("utf-8").hex()


def thai_terms(text: str) -> list[str]:
    """The n-gram tokens of every Thai run in `text` (bigrams and trigrams, or the run if shorter)."""
    terms: list[str] = []
    for run in THAI_RUN.findall(text or ""):
        if len(run) <= 2:
            terms.append(_token(run))
            continue
        for size in (2, 3):
            terms.extend(_token(run[i : i + size]) for i in range(len(run) - size + 1))
    return terms


def index_text(*parts: str) -> str:
    """What a page adds to its search document: the Thai n-gram tokens of its text."""
    seen: dict[str, None] = {}
    for part in parts:
        for term in thai_terms(part):
            seen.setdefault(term, None)
    return " ".join(seen)


def query_terms(query: str) -> str:
    """A search query with its Thai runs turned into trigram tokens (bigrams when shorter); other
    words stay as they are."""
    terms: list[str] = []
    for run_or_word in re.findall(r"[\u0E00-\u0E7F]+|\w+", query or ""):
        if THAI_RUN.fullmatch(run_or_word):
            size = 3 if len(run_or_word) >= 3 else len(run_or_word)
            terms.extend(_token(run_or_word[i : i + size]) for i in range(len(run_or_word) - size + 1))
        else:
            terms.append(run_or_word.lower())
    return " ".join(dict.fromkeys(terms))
