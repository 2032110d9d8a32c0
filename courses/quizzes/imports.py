"""Reading questions for the bank from files: the spreadsheet template (XLSX), Moodle's GIFT and
Aiken formats.

Parsers are pure: they turn a file into `ParsedRow`s, each with the row or line number it came
from and either the question's raw block value or the reason it was refused. `check_rows` then
validates every parsed question with the question block's own `clean`, so the rules (one correct
choice, lengths, distinct matches) live in one place, `courses.quizzes.blocks`.

Files are untrusted: sizes, rows and the spreadsheet's unpacked size are limited before reading,
and openpyxl reads the XML with defusedxml (installed with the requirements; see
`openpyxl.xml.DEFUSEDXML`).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.text import Truncator
from django.utils.translation import gettext as _

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_UNPACKED_BYTES = 20 * 1024 * 1024  # a spreadsheet's parts once unzipped (zip bombs)
MAX_ZIP_ENTRIES = 200
MAX_QUESTIONS = 1000
MAX_SHEET_ROWS = 10 * MAX_QUESTIONS
MAX_TAGS = 10
MAX_TAG_LENGTH = 100
OPTION_COLUMNS = 8

KINDS = ("single_choice", "multiple_choice", "true_false", "short_answer", "matching")
TRUE_WORDS = {"true", "t", "จริง", "ถูก"}
FALSE_WORDS = {"false", "f", "เท็จ", "ผิด"}


class ImportFileError(Exception):
    """The file as a whole cannot be read (not the format it claims, too big, too many rows)."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass
class ParsedRow:
    """One question read from a file: where it came from (`number`: the spreadsheet row, or the
    line its text starts on), and either its raw block value or why it was refused."""

    number: int
    kind: str | None = None
    raw: dict | None = None
    error: str | None = None
    tags: list[str] = field(default_factory=list)
    value: Any = None  # the block's cleaned value, set by `check_rows`

    @property
    def prompt(self) -> str:
        return Truncator((self.raw or {}).get("prompt", "")).chars(80)

    @property
    def ok(self) -> bool:
        return self.error is None


def _refused(number: int, message: str, raw: dict | None = None) -> ParsedRow:
    return ParsedRow(number=number, raw=raw, error=message)


def _points(text: str) -> Decimal | None:
    try:
        points = Decimal(text)
    except InvalidOperation:
        return None
    return points if points.is_finite() else None


# --- Spreadsheet template -----------------------------------------------------------------------


# (key, Thai header, English header): the template's columns in order.
def template_columns() -> list[tuple[str, str, str]]:
    columns = [("type", "ประเภท", "Type"), ("prompt", "คำถาม", "Question")]
    columns += [(f"option{n}", f"ตัวเลือก {n}", f"Option {n}") for n in range(1, OPTION_COLUMNS + 1)]
    columns += [
        ("correct", "คำตอบที่ถูก", "Correct"),
        ("points", "คะแนน", "Points"),
        ("feedback", "คำอธิบายหลังตอบ", "Feedback"),
        ("tags", "แท็ก", "Tags"),
    ]
    return columns


def template_headers() -> list[str]:
    return [f"{thai} ({english})" for _key, thai, english in template_columns()]


KIND_WORDS = {
    "single_choice": {"single_choice", "single choice", "เลือกตอบข้อเดียว"},
    "multiple_choice": {"multiple_choice", "multiple choice", "เลือกได้หลายข้อ"},
    "true_false": {"true_false", "true/false", "true or false", "ถูกหรือผิด"},
    "short_answer": {"short_answer", "short answer", "ตอบสั้น"},
    "matching": {"matching", "จับคู่"},
}


def _kind(text: str) -> str | None:
    word = " ".join(text.casefold().split())
    for kind, words in KIND_WORDS.items():
        if word in words:
            return kind
    return None


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _open_workbook(data: bytes):
    """The workbook in `data`, after checking it is a zip of reasonable unpacked size (openpyxl
    would unpack a zip bomb)."""
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ImportFileError(_("This file is not an XLSX spreadsheet.")) from error
    if len(entries) > MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        raise ImportFileError(_("This spreadsheet is too large to import."))
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise ImportFileError(_("This file is not an XLSX spreadsheet.")) from error


def parse_xlsx(data: bytes) -> list[ParsedRow]:
    """Questions from the template: the first sheet, headers in row 1, a question per row after."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(_("The file is larger than 2 MB."))
    book = _open_workbook(data)
    try:
        return _read_sheet(book.worksheets[0])
    except ImportFileError:
        raise
    except Exception as error:  # the sheet's XML is read lazily: damaged, or refused by defusedxml
        raise ImportFileError(_("This file is not an XLSX spreadsheet.")) from error
    finally:
        book.close()


def _read_sheet(sheet) -> list[ParsedRow]:
    rows = sheet.iter_rows(values_only=True)
    header = [_cell_text(value) for value in next(rows, ())]
    expected = template_columns()
    for index, (_key, thai, english) in enumerate(expected):
        found = header[index].casefold() if index < len(header) else ""
        if english.casefold() not in found and thai not in found:
            raise ImportFileError(
                _("The first row is not the template's header: column %(column)s should be “%(name)s”.")
                % {"column": index + 1, "name": f"{thai} ({english})"}
            )
    parsed = []
    too_many = ImportFileError(
        _("The file has more than %(limit)s questions; split it into smaller files.")
        % {"limit": MAX_QUESTIONS}
    )
    for number, values in enumerate(rows, start=2):
        if number > MAX_SHEET_ROWS:  # rows formatted but empty count too: stop reading somewhere
            raise too_many
        cells = {
            key: _cell_text(values[index]) if index < len(values) else ""
            for index, (key, *_names) in enumerate(expected)
        }
        if not any(cells.values()):
            continue
        if len(parsed) >= MAX_QUESTIONS:
            raise too_many
        parsed.append(_xlsx_row(number, cells))
    return parsed


def _numbers(text: str) -> list[int] | None:
    parts = [part for part in re.split(r"[,\s;]+", text) if part]
    if not parts or not all(part.isdigit() for part in parts):
        return None
    return [int(part) for part in parts]


def _xlsx_row(number: int, cells: dict[str, str]) -> ParsedRow:
    kind = _kind(cells["type"])
    if kind is None:
        return _refused(
            number,
            _(
                "Unknown question type “%(type)s”: use single_choice, multiple_choice, true_false, "
                "short_answer or matching."
            )
            % {"type": Truncator(cells["type"]).chars(40)},
        )
    options = [cells[f"option{n}"] for n in range(1, OPTION_COLUMNS + 1)]
    if any(options[index] and not all(options[:index]) for index in range(len(options))):
        return _refused(number, _("Fill the option columns from the left without gaps."))
    options = [option for option in options if option]
    raw: dict[str, Any] = {"prompt": cells["prompt"], "feedback": cells["feedback"]}
    points = _points(cells["points"] or "1")
    if points is None:
        return _refused(number, _("Points must be a number."), raw)
    raw["points"] = points
    tags, error = parse_tags(cells["tags"])
    if error:
        return _refused(number, error, raw)
    correct = cells["correct"]
    if kind in ("single_choice", "multiple_choice"):
        chosen = _numbers(correct)
        if chosen is None:
            return _refused(number, _("Give the number of the correct option (for example 2, or 1,3)."), raw)
        if any(n < 1 or n > len(options) for n in chosen):
            return _refused(number, _("The correct option's number is not one of the filled options."), raw)
        raw["choices"] = [
            {"text": text, "correct": index in chosen, "feedback": ""}
            for index, text in enumerate(options, start=1)
        ]
    elif kind == "true_false":
        word = correct.casefold()
        if word not in TRUE_WORDS | FALSE_WORDS:
            return _refused(number, _("Write TRUE or FALSE as the correct answer."), raw)
        if options:
            return _refused(number, _("A true or false question has no options."), raw)
        raw["answer"] = "true" if word in TRUE_WORDS else "false"
    elif kind == "short_answer":
        if correct:
            return _refused(
                number, _("A short answer question lists its accepted answers in the option columns."), raw
            )
        raw["accepted"] = options
    elif kind == "matching":
        pairs = []
        for text in options:
            if "->" not in text:
                return _refused(number, _("Write each pair as “item -> its match”."), raw)
            item, match = text.split("->", 1)
            pairs.append({"item": item.strip(), "match": match.strip()})
        raw["pairs"] = pairs
    return ParsedRow(number=number, kind=kind, raw=raw, tags=tags)


def parse_tags(text: str) -> tuple[list[str], str | None]:
    tags = [tag.strip() for tag in text.split(",") if tag.strip()]
    if len(tags) > MAX_TAGS:
        return [], _("A question can have at most %(limit)s tags.") % {"limit": MAX_TAGS}
    if any(len(tag) > MAX_TAG_LENGTH for tag in tags):
        return [], _("A tag can be at most %(limit)s characters long.") % {"limit": MAX_TAG_LENGTH}
    return tags, None


# --- Text formats ---------------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(_("The file is larger than 2 MB."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(_("The file is not UTF-8 text. Save it as UTF-8 and try again.")) from error
    if "\x00" in text:
        raise ImportFileError(_("The file is not UTF-8 text. Save it as UTF-8 and try again."))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _limit(parsed: list[ParsedRow]) -> list[ParsedRow]:
    if len(parsed) > MAX_QUESTIONS:
        raise ImportFileError(
            _("The file has more than %(limit)s questions; split it into smaller files.")
            % {"limit": MAX_QUESTIONS}
        )
    return parsed


# GIFT escapes, swapped for private-use characters while the structure is read and back after.
_ESCAPES = {
    "\\\\": "\ue000",
    "\\:": "\ue001",
    "\\=": "\ue002",
    "\\~": "\ue003",
    "\\#": "\ue004",
    "\\{": "\ue005",
    "\\}": "\ue006",
}
_UNESCAPE = str.maketrans({placeholder: sequence[1] for sequence, placeholder in _ESCAPES.items()})
_PRIVATE = re.compile("[\ue000-\ue006]")
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")


def _escape(text: str) -> str:
    text = _PRIVATE.sub("", text)
    for sequence, placeholder in _ESCAPES.items():
        text = text.replace(sequence, placeholder)
    return text.replace("\\n", "\n")


def _clean(text: str) -> str:
    return text.translate(_UNESCAPE).strip()


def parse_gift(text: str) -> list[ParsedRow]:
    """Questions in Moodle's GIFT format: blocks separated by blank lines, `//` comments,
    `::title::`, the answers in braces. Numeric and essay questions are refused with the reason."""
    parsed = []
    block: list[str] = []
    start = 0
    for number, line in enumerate([*text.split("\n"), ""], start=1):
        if line.lstrip().startswith("//"):
            continue
        if line.strip():
            if not block:
                start = number
            block.append(line)
            continue
        if block:
            question = "\n".join(block).strip()
            block = []
            if question.startswith("$CATEGORY:"):
                continue
            parsed.append(_gift_question(start, question))
    return _limit(parsed)


def _gift_question(number: int, source: str) -> ParsedRow:
    text = _escape(source)
    title_match = re.match(r"^::(.*?)::", text, re.S)
    if title_match:
        text = text[title_match.end() :]
    text = re.sub(r"^\s*\[(html|moodle|plain|markdown)\]", "", text)
    opening = text.count("{")
    closing = text.count("}")
    # Refused before the answers are read: the report still shows the question's text, up to its
    # first brace, so the trainer sees which question the line holds.
    shown = {"prompt": _clean(re.split(r"[{}]", text, maxsplit=1)[0])}
    if opening == 0 and closing == 0:
        return _refused(number, _("No answers in braces { } were found for this question."), shown)
    if opening != closing or text.index("}") < text.index("{"):
        return _refused(number, _("The braces { } around the answers do not match."), shown)
    if opening > 1:
        return _refused(number, _("A question can have one set of answers in braces only."), shown)
    before, rest = text.split("{", 1)
    answers, after = rest.split("}", 1)
    before, after = before.strip(), after.strip()
    prompt = _clean(f"{before} _____ {after}" if after else before)
    answers = answers.strip()
    general = ""
    if "####" in answers:
        answers, general = answers.split("####", 1)
        answers = answers.strip()
    raw: dict[str, Any] = {"prompt": prompt, "points": Decimal(1), "feedback": _clean(general)}
    if not answers:
        return _refused(
            number, _("Essay questions cannot be imported: the quiz grades every answer itself."), raw
        )
    if answers.startswith("#"):
        return _refused(
            number, _("Numerical questions cannot be imported: use a short answer question instead."), raw
        )
    head = answers.split("#", 1)[0].strip().casefold()
    if head in ("t", "true", "f", "false"):
        feedbacks = [_clean(part) for part in answers.split("#")[1:] if _clean(part)]
        raw["answer"] = "true" if head in ("t", "true") else "false"
        if not raw["feedback"] and feedbacks:
            raw["feedback"] = " / ".join(feedbacks)
        return ParsedRow(number=number, kind="true_false", raw=raw)
    if answers[0] not in "=~":
        return _refused(number, _("Each answer must start with = (right) or ~ (wrong)."), raw)
    entries = []
    for part in re.findall(r"[=~][^=~]*", answers):
        marker, body = part[0], part[1:].strip()
        weight = None
        weight_match = _WEIGHT.match(body)
        if weight_match:
            weight = Decimal(weight_match.group(1))
            body = body[weight_match.end() :].strip()
        answer, _sep, feedback = body.partition("#")
        entries.append(
            {"marker": marker, "weight": weight, "text": _clean(answer), "feedback": _clean(feedback)}
        )
    if any(not entry["text"] for entry in entries):
        return _refused(number, _("An answer is empty."), raw)
    right = [entry for entry in entries if entry["marker"] == "="]
    if all(entry["marker"] == "=" for entry in entries):
        if any("->" in entry["text"] for entry in entries):
            if not all("->" in entry["text"] for entry in entries):
                return _refused(
                    number, _("In a matching question every answer is a pair “item -> match”."), raw
                )
            raw["pairs"] = [
                {"item": item.strip(), "match": match.strip()}
                for item, match in (entry["text"].split("->", 1) for entry in entries)
            ]
            return ParsedRow(number=number, kind="matching", raw=raw)
        if any(entry["weight"] is not None and entry["weight"] != 100 for entry in entries):
            return _refused(number, _("Short answers with partial credit cannot be imported."), raw)
        raw["accepted"] = [entry["text"] for entry in entries]
        return ParsedRow(number=number, kind="short_answer", raw=raw)
    weighted = [entry for entry in entries if entry["marker"] == "~" and entry["weight"] is not None]
    if any("->" in entry["text"] for entry in entries) and right:
        return _refused(number, _("In a matching question every answer is a pair “item -> match”."), raw)
    if weighted and right:
        return _refused(number, _("Mark right answers either with = or with a percentage, not both."), raw)
    choices = []
    for entry in entries:
        correct = entry["marker"] == "=" or (entry["weight"] is not None and entry["weight"] > 0)
        choices.append({"text": entry["text"], "correct": correct, "feedback": entry["feedback"]})
    raw["choices"] = choices
    kind = "multiple_choice" if weighted or len(right) > 1 else "single_choice"
    return ParsedRow(number=number, kind=kind, raw=raw)


_AIKEN_OPTION = re.compile(r"^([A-Z])[.)]\s+(.*)$")
_AIKEN_ANSWER = re.compile(r"^ANSWER\s*:\s*(.*)$", re.I)


def parse_aiken(text: str) -> list[ParsedRow]:
    """Questions in Moodle's Aiken format: the question, options `A.` or `A)` in order, then
    `ANSWER: B`. A malformed question is refused at the line it starts on and reading resumes
    after its ANSWER line or the next blank line."""
    parsed: list[ParsedRow] = []
    current: dict[str, Any] | None = None

    def refuse(message: str) -> None:
        nonlocal current
        parsed.append(_refused(current["start"], message, {"prompt": "\n".join(current["prompt"])}))
        current = {**current, "failed": True}

    for number, line in enumerate([*text.split("\n"), ""], start=1):
        line = line.strip()
        if not line:
            if current is not None and not current.get("failed"):
                refuse(_("The question has no “ANSWER:” line."))
            current = None
            continue
        if current is not None and current.get("failed"):
            if _AIKEN_ANSWER.match(line):
                current = None
            continue
        answer = _AIKEN_ANSWER.match(line)
        option = _AIKEN_OPTION.match(line)
        if current is None:
            current = {"start": number, "prompt": [], "options": []}
            if answer or option:
                current["prompt"] = [line]
                refuse(_("An option or answer line comes before the question's text."))
                continue
            current["prompt"].append(line)
            continue
        if answer:
            letters = answer.group(1).strip()
            if not current["options"]:
                refuse(_("The question has no options “A.”, “B.”, …"))
            elif not re.fullmatch(r"[A-Z]", letters):
                refuse(_("“ANSWER:” must name one option letter, such as ANSWER: B."))
            elif ord(letters) - ord("A") >= len(current["options"]):
                refuse(_("The answer %(letter)s is not one of the options.") % {"letter": letters})
            else:
                correct = ord(letters) - ord("A")
                parsed.append(
                    ParsedRow(
                        number=current["start"],
                        kind="single_choice",
                        raw={
                            "prompt": "\n".join(current["prompt"]),
                            "points": Decimal(1),
                            "feedback": "",
                            "choices": [
                                {"text": text, "correct": index == correct, "feedback": ""}
                                for index, text in enumerate(current["options"])
                            ],
                        },
                    )
                )
            current = None  # the ANSWER line ends the question, read or refused
            continue
        if option:
            expected = chr(ord("A") + len(current["options"]))
            if option.group(1) != expected:
                refuse(
                    _("Option %(found)s is out of order: %(expected)s was expected.")
                    % {"found": option.group(1), "expected": expected}
                )
                continue
            current["options"].append(option.group(2).strip())
            continue
        if current["options"]:
            refuse(_("Line %(line)s is neither the next option nor the “ANSWER:” line.") % {"line": number})
            continue
        current["prompt"].append(line)
    return _limit(parsed)


# --- Validation -----------------------------------------------------------------------------------


def _error_text(error: ValidationError, blocks=None) -> str:
    """A block validation error as one readable sentence, with the field it concerns."""
    parts: list[str] = []
    block_errors = getattr(error, "block_errors", None)
    if block_errors:
        items = block_errors.items() if isinstance(block_errors, dict) else enumerate(block_errors)
        for name, sub in items:
            if sub is None:
                continue
            label = ""
            child = (getattr(blocks, "child_blocks", None) or {}).get(name) if blocks is not None else None
            if child is not None:
                label = str(child.label)
            nested = child if child is not None else getattr(blocks, "child_block", None)
            text = _error_text(sub, nested)
            parts.append(f"{label}: {text}" if label else text)
    non_block = getattr(error, "non_block_errors", None)
    if non_block:
        for item in non_block.as_data() if hasattr(non_block, "as_data") else non_block:
            parts.extend(str(message) for message in getattr(item, "messages", [item]) if message)
    if not parts:
        parts = [str(message) for message in error.messages]
    return "; ".join(dict.fromkeys(parts))


def check_rows(rows: list[ParsedRow]) -> list[ParsedRow]:
    """Validate each parsed question with its block's own `clean` (the rules a question written in
    the editor follows); a failing row gets the reason, a passing row its cleaned value."""
    from courses.quizzes.blocks import BankQuestionStreamBlock

    stream = BankQuestionStreamBlock()
    for row in rows:
        if not row.ok:
            continue
        block = stream.child_blocks[row.kind]
        try:
            row.value = block.clean(block.to_python(row.raw))
        except ValidationError as error:
            row.error = _error_text(error, block)
        except (TypeError, ValueError, InvalidOperation):
            row.error = _("The question could not be read.")
    return rows
