"""Coding: codings and memos, retrieval, queries and rule-based suggestions."""

from workbench.coding.codings import (
    CODING_COLUMNS,
    ORIGINS,
    PERSON_ORIGINS,
    Coding,
    code,
    code_many,
    codings_frame,
    segment_span,
    uncode,
)
from workbench.coding.layers import ALL_CODERS, CONSENSUS, RESERVED
from workbench.coding.memos import edit_memo, memos_frame, write_memo
from workbench.coding.queries import (
    COOCCURRENCE_MODES,
    MATRIX_VALUES,
    case_matrix,
    code_matrix,
    cooccurrence,
    export_table,
    frequencies,
)
from workbench.coding.retrieval import retrieve
from workbench.coding.suggest import accept, find_suggestions, quality, reject, suggestions_frame

__all__ = [
    "ALL_CODERS",
    "CODING_COLUMNS",
    "CONSENSUS",
    "COOCCURRENCE_MODES",
    "MATRIX_VALUES",
    "ORIGINS",
    "PERSON_ORIGINS",
    "RESERVED",
    "Coding",
    "accept",
    "case_matrix",
    "code",
    "code_many",
    "code_matrix",
    "codings_frame",
    "cooccurrence",
    "edit_memo",
    "export_table",
    "find_suggestions",
    "frequencies",
    "memos_frame",
    "quality",
    "reject",
    "retrieve",
    "segment_span",
    "suggestions_frame",
    "uncode",
    "write_memo",
]
