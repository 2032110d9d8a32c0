"""The privacy registry's helpers, without a database."""

from volunteers.privacy import ERASED, redact


def test_redact_replaces_identifiers_in_any_case_inside_nested_json():
    data = {"label": "Kanokwan SRIPRASERT", "items": ["call +47 1 2", {"กนกวรรณ": "x"}], "n": 3}
    result = redact(data, ["Kanokwan", "Sriprasert", "+47 1 2", "กนกวรรณ"])
    assert result == {"label": f"{ERASED} {ERASED}", "items": [f"call {ERASED}", {ERASED: "x"}], "n": 3}


def test_redact_ignores_one_letter_identifiers():
    assert redact("a b c", ["a"]) == "a b c"
