"""``CodingView``: code documents by hand in JupyterLab (an anywidget).

The Python side holds the project and does every write through the ``Project`` facade, one
transaction per action, before it reports "Saved"; the front end (``coding_view.js``) only
shows the synced traits and sends the person's actions as messages. So whatever the widget
has shown as saved is in ``project.sqlite``, whether the browser is closed or the kernel
killed a moment later.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from pathlib import Path

import anywidget
import traitlets

from workbench.coding import Coding
from workbench.errors import WorkbenchError
from workbench.project import Project
from workbench.widgets import _view_data as data

_QUOTE_LENGTH = 60
_log = logging.getLogger(__name__)


def _short(text: str) -> str:
    """A passage shortened for a status line."""
    text = " ".join(text.split())
    return text if len(text) <= _QUOTE_LENGTH else text[:_QUOTE_LENGTH - 1] + "…"


class CodingView(anywidget.AnyWidget):
    """Show one document at a time and code it by selecting text and picking a code.

    Parameters
    ----------
    project : the open ``Project``.
    coder : who codes; every coding, removal and decision is stored under this name
        (default: the project's user).
    document : the document to show first, by id or name (default: the first one).
    blind : show only this coder's codings (for coding the same documents independently).

    Every action is stored at once through the project (one transaction each); the status
    line says "Saved" only after that, or says in plain words why nothing was stored.
    The same actions are methods here (``apply_code``, ``remove_coding``, ``write_memo``,
    ``edit_memo``, ``accept_suggestion``, ``reject_suggestion``, ``more_like_this``, ``show``),
    each returning True
    when it stored or opened something and False when it showed a message instead.
    """

    _esm = Path(__file__).with_name("coding_view.js")
    _css = Path(__file__).with_name("coding_view.css")

    coder = traitlets.Unicode().tag(sync=True)
    blind = traitlets.Bool(False).tag(sync=True)
    documents = traitlets.List().tag(sync=True)
    doc_id = traitlets.Unicode("").tag(sync=True)
    document_name = traitlets.Unicode("").tag(sync=True)
    text = traitlets.Unicode("").tag(sync=True)
    turns = traitlets.List().tag(sync=True)
    codes = traitlets.List().tag(sync=True)
    codings = traitlets.List().tag(sync=True)
    suggestions = traitlets.List().tag(sync=True)
    memos = traitlets.List().tag(sync=True)
    similar = traitlets.List().tag(sync=True)
    status = traitlets.Dict().tag(sync=True)

    def __init__(self, project: Project, coder: str | None = None, *,
                 document: str | None = None, blind: bool = False, **kwargs) -> None:
        super().__init__(coder=coder or project.user, blind=blind, **kwargs)
        self._project = project
        self._home_thread = threading.get_ident()
        self._home_loop = _running_loop()
        self._seq: str | None = None
        self._count = 0
        self.on_msg(self._on_message)
        with self.hold_sync():
            self._load_project()
            if self.documents:
                self.show(document or self.documents[0]["doc_id"])
            else:
                self._report("info", "This project has no documents yet. Import some with "
                             "project.import_files(...), then show the widget again.")

    def __repr__(self) -> str:
        shown = f"{self.document_name!r}" if self.document_name else "no document"
        return (f"CodingView({shown}, coder={self.coder!r}, {len(self.codings)} codings shown"
                f"{', blind' if self.blind else ''})")

    # -- actions ---------------------------------------------------------------------------
    def show(self, document: str) -> bool:
        """Open a document by id or name."""
        try:
            opened = self._project.document(document)
        except WorkbenchError as err:
            return self._report("error", f"Could not open it: {err.message}")
        with self.hold_sync():
            self.doc_id, self.document_name, self.text = opened.doc_id, opened.name, opened.text
            self.turns = data.turn_list(self._project, opened.doc_id)
            self._refresh()
            hint = "" if any(c["status"] == "active" for c in self.codes) else (
                " No codebook yet: load one with project.set_codebook(...).")
            return self._report("info", f"{opened.name}: {len(self.codings)} codings shown."
                                + hint)

    def next_document(self) -> bool:
        """Open the next document in the project's list (wrapping round)."""
        return self._step(1)

    def previous_document(self) -> bool:
        """Open the previous document in the project's list (wrapping round)."""
        return self._step(-1)

    def apply_code(self, start: int | None, end: int | None, code: str) -> bool:
        """Code ``text[start:end]`` of the document shown (offsets in code points)."""
        if start is None or end is None or start == end:
            return self._report("error", "Not saved: nothing is selected. Select a passage "
                                "in the text with the mouse, then pick a code.")

        def store() -> str:
            coding = self._project.code(self.doc_id, start, end, code, coder=self.coder)
            self.codings = [*self.codings, self._coding_row(coding)]
            return f"Saved: “{_short(coding.text)}” coded {self._code_name(coding.code_id)}."
        return self._attempt(store)

    def remove_coding(self, coding_id: str) -> bool:
        """Remove one of this coder's codings in the document shown (kept in history)."""
        shown = {c["coding_id"]: c for c in self.codings}
        if coding_id not in shown:
            self._refresh()
            return self._report("error", "Not removed: that coding is no longer in this "
                                "document (it may have been removed elsewhere). The view is "
                                "now up to date.")
        if shown[coding_id]["coder"] != self.coder:
            return self._report("error", f"Not removed: this coding is "
                                f"{shown[coding_id]['coder']}'s; only its coder can remove it.")

        def store() -> str:
            self._project.uncode(coding_id, self.coder)
            self.codings = [c for c in self.codings if c["coding_id"] != coding_id]
            self.memos = [m for m in self.memos if m["target_id"] != coding_id]
            return "Saved: coding removed (it stays in the project's history)."
        return self._attempt(store)

    def write_memo(self, text: str, coding_id: str | None = None) -> bool:
        """Write a memo on a coding in the document shown, or on the document itself."""
        if coding_id is not None and coding_id not in {c["coding_id"] for c in self.codings}:
            return self._report("error", "Not saved: that coding is no longer in this "
                                "document. Pick a highlight again, then write the memo.")
        kind, target = ("coding", coding_id) if coding_id else ("document", self.doc_id)

        def store() -> str:
            self._project.memo(kind, target, text, author=self.coder)
            self._load_memos()
            return f"Saved: memo on this {kind}."
        return self._attempt(store)

    def edit_memo(self, memo_id: str, text: str) -> bool:
        """Replace the text of a memo shown in this document (the old text stays in the
        project's history)."""
        if memo_id not in {m["memo_id"] for m in self.memos}:
            return self._report("error", "Not saved: that memo is no longer shown here. Click "
                                "Refresh, then edit it again.")

        def store() -> str:
            self._project.edit_memo(memo_id, text, author=self.coder)
            self._load_memos()
            return "Saved: memo changed (the old text stays in the history)."
        return self._attempt(store)

    def accept_suggestion(self, suggestion_id: str) -> bool:
        """Accept a suggestion: it becomes a coding by this coder."""
        def store() -> str:
            coding = self._project.accept_suggestion(suggestion_id, self.coder)
            self.codings = [*self.codings, self._coding_row(coding)]
            self._drop_suggestion(suggestion_id)
            return f"Saved: suggestion accepted as {self._code_name(coding.code_id)}."
        return self._attempt(store)

    def reject_suggestion(self, suggestion_id: str) -> bool:
        """Reject a suggestion (the decision is recorded)."""
        def store() -> str:
            self._project.reject_suggestion(suggestion_id, self.coder)
            self._drop_suggestion(suggestion_id)
            return "Saved: suggestion rejected."
        return self._attempt(store)

    def more_like_this(self, start: int | None, end: int | None, *, top: int = 10) -> bool:
        """List the ``top`` sentences nearest in meaning to ``text[start:end]`` of the
        document shown (``project.similar``, the selection itself left out) in ``similar``:
        doc_id, document, start, end, speaker, text, score."""
        if start is None or end is None or start == end:
            return self._report("error", "Nothing to search for: select a passage in the "
                                "text with the mouse, then ask for more like it.")
        passage = self.text[start:end]
        try:
            found = self._project.similar(passage, top=top, leave_out=(self.doc_id, start, end))
        except WorkbenchError as err:
            return self._report("error", f"Could not search: {err.message}")
        self.similar = [{**row, "score": round(float(row["score"]), 3)}
                        for row in found.to_dict("records")]
        return self._report("info", f"{len(found)} passages like “{_short(passage)}”, best "
                            "first. Click one to open it.")

    def refresh(self) -> None:
        """Read the project again (documents, codebook, codings), e.g. after a colleague's
        or a notebook cell's change."""
        with self.hold_sync():
            self._load_project()
            self._refresh()
            self._report("info", "Up to date with the project.")

    @traitlets.observe("blind")
    def _blind_changed(self, _change) -> None:
        """``view.blind = True`` in a notebook hides the other coders' codings at once."""
        with self.hold_sync():
            self._refresh()

    # -- internals -------------------------------------------------------------------------
    def _attempt(self, store: Callable[[], str]) -> bool:
        """Run one write through the project; report "Saved" or the plain reason why not.

        ``store`` writes (one transaction, in the project) and then updates the lists shown
        with what the project returned; after a refusal the whole view is read again, since
        the refusal may come from a change made elsewhere (a code retired by a colleague).
        """
        with self.hold_sync():
            try:
                message = store()
            except WorkbenchError as err:
                self.codes = data.code_tree(self._project)
                self._refresh()
                return self._report("error", f"Not saved: {err.message}")
            return self._report("saved", message)

    def _report(self, kind: str, message: str) -> bool:
        """Show a status line; ``kind`` is saved, info or error. True unless an error."""
        self._count += 1
        self.status = {"seq": self._seq, "n": self._count, "kind": kind, "message": message}
        return kind != "error"

    def _step(self, direction: int) -> bool:
        ids = [d["doc_id"] for d in self.documents]
        if not ids:
            return self._report("error", "This project has no documents yet.")
        here = ids.index(self.doc_id) if self.doc_id in ids else -direction
        return self.show(ids[(here + direction) % len(ids)])

    def _code_name(self, code_id: str) -> str:
        return next((c["name"] for c in self.codes if c["code_id"] == code_id), code_id)

    def _load_project(self) -> None:
        self.documents = data.document_list(self._project)
        self.codes = data.code_tree(self._project)

    def _refresh(self) -> None:
        """Reload what the document shown holds: codings, suggestions, memos."""
        if not self.doc_id:
            return
        coder = self.coder if self.blind else None
        self.codings = data.coding_list(self._project, self.doc_id, coder)
        self.suggestions = data.suggestion_list(self._project, self.doc_id)
        self._load_memos()

    def _load_memos(self) -> None:
        authors = {self.coder} if self.blind else None
        self.memos = data.memo_list(self._project, self.doc_id,
                                    [c["coding_id"] for c in self.codings], authors)

    def _coding_row(self, coding: Coding) -> dict:
        """A stored coding as the front end lists it (see ``_view_data.coding_list``)."""
        return {"coding_id": coding.coding_id, "start": coding.start, "end": coding.end,
                "code_id": coding.code_id, "code": self._code_name(coding.code_id),
                "coder": coding.coder, "origin": coding.origin, "created_at": coding.created_at}

    def _drop_suggestion(self, suggestion_id: str) -> None:
        self.suggestions = [x for x in self.suggestions if x["suggestion_id"] != suggestion_id]

    # -- messages from the front end -------------------------------------------------------
    def _on_message(self, _widget, content: dict, _buffers) -> None:
        """Carry out one action sent by the front end, on the thread that owns the project.

        ipykernel 7 may deliver widget messages on a subshell thread, but an SQLite
        connection serves only the thread that opened it (and opening the project again in
        the same process would cancel SQLite's file locks). So a message arriving elsewhere
        is handed to the kernel's main event loop, which runs it when no cell is running.
        """
        if threading.get_ident() != self._home_thread and self._home_loop is not None:
            self._home_loop.call_soon_threadsafe(self._carry_out, content)
        else:
            self._carry_out(content)

    def _carry_out(self, content: dict) -> None:
        """Do one action; the reply is the status trait."""
        self._seq = content.get("seq")
        action = _ACTIONS.get(content.get("action"))
        try:
            if action is None:
                self._report("error", f"The widget sent an action it does not know "
                             f"({content.get('action')!r}). Reload the page.")
            else:
                action(self, content)
        except Exception as err:
            # A fault in workbench, not in the person's input: say so plainly, keep the
            # traceback for the kernel's log. The action's transaction was rolled back.
            _log.exception("CodingView could not carry out %r", content.get("action"))
            self._report("error", f"Not saved: something went wrong inside workbench "
                         f"({type(err).__name__}). Nothing was stored; the details are in "
                         "the kernel's log. Please report it.")
            raise
        finally:
            self._seq = None

    def _code_selection(self, content: dict) -> bool:
        """Code what the person selected, refusing a selection that left the document."""
        if not self._selection_here(content, "Not saved"):
            return False
        return self.apply_code(content.get("start"), content.get("end"),
                               content.get("code_id", ""))

    def _similar_to_selection(self, content: dict) -> bool:
        """Search for passages like the selection, refusing one that left the document."""
        if not self._selection_here(content, "Nothing searched"):
            return False
        return self.more_like_this(content.get("start"), content.get("end"))

    def _selection_here(self, content: dict, outcome: str) -> bool:
        """Whether the selection sent lies in the document shown; if not, say so."""
        if content.get("outside"):
            return self._report("error", f"{outcome}: the selection goes beyond this "
                                "document. Select a passage inside one document.")
        if content.get("doc_id") != self.doc_id:
            return self._report("error", f"{outcome}: the selection was made in another "
                                "document. Select the passage again in the document shown.")
        return True


def _running_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop running this thread (the kernel's, in a notebook), if any."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


_ACTIONS: dict[str, Callable[[CodingView, dict], bool | None]] = {
    "code": CodingView._code_selection,
    "more_like_this": CodingView._similar_to_selection,
    "uncode": lambda view, c: view.remove_coding(c.get("coding_id", "")),
    "memo": lambda view, c: view.write_memo(c.get("text", ""), c.get("coding_id")),
    "edit_memo": lambda view, c: view.edit_memo(c.get("memo_id", ""), c.get("text", "")),
    "accept": lambda view, c: view.accept_suggestion(c.get("suggestion_id", "")),
    "reject": lambda view, c: view.reject_suggestion(c.get("suggestion_id", "")),
    "open": lambda view, c: view.show(c.get("doc_id", "")),
    "next": lambda view, c: view.next_document(),
    "previous": lambda view, c: view.previous_document(),
    "refresh": lambda view, c: view.refresh(),
}
