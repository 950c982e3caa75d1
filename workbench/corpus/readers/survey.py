"""Survey exports (.csv): one row is one respondent's document, other columns are attributes.

Open-ended columns are recognised by their content: mostly distinct answers of several words.
Each answer becomes one turn spoken by the respondent, under a line naming its question, so
a coder sees which question a passage answers. The respondent is the document's case.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from workbench.corpus.cases import infer_type
from workbench.corpus.normalise import decode, normalise
from workbench.corpus.readers.base import SourceDocument
from workbench.errors import ImportError_

_ID_NAMES = ("respondent_id", "participant_id", "case_id", "responseid", "response_id", "id")
#: A column is open-ended when at least this share of its answers are distinct ...
_MIN_DISTINCT = 0.5
#: ... and its answers average at least this many words.
_MIN_WORDS = 3.0


def _rows(text: str, name: str) -> tuple[list[str], list[list[str]]]:
    """Parse the CSV strictly (RFC 4180 quoting): a quote that is never closed, or text
    after a closing quote, is refused naming the line where that row began, since a lenient
    parser would read every later row into one answer."""
    reader = csv.reader(io.StringIO(text), strict=True)
    rows, row_start = [], 1
    try:
        for row in reader:
            rows.append(row)
            row_start = reader.line_num + 1
    except csv.Error as err:
        problem = ("a quote opened in this row is never closed"
                   if "unexpected end of data" in str(err) else str(err))
        raise ImportError_(
            16, f"{name} line {row_start}: {problem} (read up to line {reader.line_num}). "
            "Close or remove the quote in that row; an answer that holds a quote writes it "
            'twice ("").'
        ) from err
    if len(rows) < 2:
        raise ImportError_(17, f"{name}: a survey file needs a header row and answers.")
    header = [h.strip() for h in rows[0]]
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header) and any(cell.strip() for cell in row):
            raise ImportError_(
                18, f"{name} row {number}: {len(row)} fields where the header has "
                f"{len(header)}. Check the quoting in that row."
            )
    return header, [r for r in rows[1:] if any(cell.strip() for cell in r)]


def _id_column(header: list[str], rows: list[list[str]]) -> int | None:
    lowered = [h.lower() for h in header]
    for candidate in _ID_NAMES:
        if candidate in lowered:
            index = lowered.index(candidate)
            values = [r[index].strip() for r in rows]
            if all(values) and len(set(values)) == len(values):
                return index
    return None


def _is_open_ended(values: list[str]) -> bool:
    answers = [v.strip() for v in values if v.strip()]
    if not answers:
        return False
    distinct = len(set(answers)) / len(answers)
    words = sum(len(a.split()) for a in answers) / len(answers)
    return distinct >= _MIN_DISTINCT and words >= _MIN_WORDS


def read_survey(path: Path, data: bytes, *, encoding: str | None = None) -> list[SourceDocument]:
    """Read a survey export; return one document per respondent with any open answer."""
    decoded = decode(data, path, encoding)
    header, rows = _rows(normalise(decoded.text), path.name)
    id_index = _id_column(header, rows)
    open_ended = [i for i in range(len(header)) if i != id_index
                  and _is_open_ended([r[i] for r in rows])]
    if not open_ended:
        raise ImportError_(
            19, f"{path.name}: no column looks like open-ended answers (mostly distinct "
            "answers of several words). Check that this is a survey export with free text."
        )
    types = {header[i]: infer_type([r[i] for r in rows]) for i in range(len(header))
             if i not in open_ended and i != id_index}
    documents = []
    for number, row in enumerate(rows, start=1):
        respondent = row[id_index].strip() if id_index is not None else f"row{number}"
        parts, turns, offset = [], [], 0
        for i in open_ended:
            answer = re.sub(r"\n\s*\n+", "\n", row[i].strip())
            if not answer:
                continue
            question = f"{header[i]}\n"
            start = offset + len(question)
            turns.append((start, start + len(answer), respondent, None, None))
            parts.append(question + answer + "\n\n")
            offset = start + len(answer) + 2
        if not parts:
            continue
        attributes = {header[i]: row[i].strip() for i in range(len(header))
                      if i not in open_ended and i != id_index and row[i].strip()}
        documents.append(SourceDocument(
            name=f"{path.name}#{respondent}", text="".join(parts), format="csv",
            encoding=decoded.encoding, kind="survey", case_id=respondent,
            case_attributes=attributes, types=types, turns=tuple(turns),
            identity=f"{path.name}#{respondent}",
        ))
    return documents
