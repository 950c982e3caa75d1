"""The corpus: reading files, normalising text, finding turns, segmenting, cases."""

from workbench.corpus import manage
from workbench.corpus.cases import read_attributes
from workbench.corpus.importer import CASES, KINDS, ImportReport, import_files
from workbench.corpus.normalise import normalise
from workbench.corpus.segment import UNITS, Segment, segment, sentence_pipeline
from workbench.corpus.speakers import speakers_as_cases
from workbench.corpus.transcript import Turn, parse_turns
from workbench.corpus.views import Document, cases, document, documents, segments, summary

__all__ = [
    "CASES",
    "KINDS",
    "UNITS",
    "Document",
    "ImportReport",
    "Segment",
    "Turn",
    "cases",
    "document",
    "documents",
    "import_files",
    "manage",
    "normalise",
    "parse_turns",
    "read_attributes",
    "segment",
    "segments",
    "sentence_pipeline",
    "speakers_as_cases",
    "summary",
]
