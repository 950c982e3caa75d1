"""Coding: codings and memos, retrieval, queries and rule-based suggestions."""

from workbench.coding.codings import (
    CODING_COLUMNS,
    ORIGINS,
    PERSON_ORIGINS,
    Coding,
    active_coding_ids,
    code,
    code_many,
    codings_frame,
    recode_many,
    segment_span,
    uncode,
    uncode_many,
)
from workbench.coding.layers import ALL_CODERS, CONSENSUS, RESERVED
from workbench.coding.memos import edit_memo, memos_frame, write_memo
from workbench.coding.phrases import code_text
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
    "active_coding_ids",
    "case_matrix",
    "code",
    "code_many",
    "code_text",
    "code_matrix",
    "codings_frame",
    "cooccurrence",
    "edit_memo",
    "export_table",
    "find_suggestions",
    "frequencies",
    "memos_frame",
    "quality",
    "recode_many",
    "reject",
    "retrieve",
    "segment_span",
    "suggestions_frame",
    "uncode",
    "uncode_many",
    "write_memo",
]
