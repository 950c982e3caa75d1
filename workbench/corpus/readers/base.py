"""The record every reader returns."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceDocument:
    """A document as read from a file, before segmentation.

    Attributes
    ----------
    name : the document's name (file name, or ``file#row`` for a survey answer).
    text : canonical text (see :func:`workbench.corpus.normalise.normalise`).
    format : the reader's format name (txt, md, docx, pdf, vtt, srt, csv).
    encoding : the encoding the bytes were decoded with.
    kind : interview, fieldnote, survey or document; None lets the importer decide.
    case_id : the case the document belongs to, where the file says so (survey respondent).
    attributes : document attributes found in the file (front matter, a ``date`` found in the
        front matter or in the header lines).
    case_attributes : attributes of the document's case found in the file (survey columns).
    types : attribute types (number, date, text) where the reader knows them from a whole
        column; others are inferred from the value.
    turns : explicit speaker turns ``(start, end, speaker, t_start, t_end)`` for formats that
        carry them (captions); None means "parse turns from the text".
    identity : extra text that makes the document id unique where equal texts are distinct
        documents (two respondents who both answered "no"; two field notes with one body
        and different front matter).
    """

    name: str
    text: str
    format: str
    encoding: str = "utf-8"
    kind: str | None = None
    case_id: str | None = None
    attributes: dict = field(default_factory=dict)
    case_attributes: dict = field(default_factory=dict)
    types: dict = field(default_factory=dict)
    turns: tuple | None = None
    identity: str = ""
