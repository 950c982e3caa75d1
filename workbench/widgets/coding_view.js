// The coding widget's front end (anywidget ESM: no build step, no dependencies).
//
// It shows what the Python side syncs (text, turns, codes, codings, suggestions, memos,
// status) and sends the person's actions as messages; it never writes anything itself.
// Offsets from Python count Unicode code points; the DOM counts UTF-16 code units. Every
// piece of text is rendered in a leaf <span class="wb-t" data-s data-e> whose offsets are
// code points, so a DOM selection maps back to code points exactly (see selectionIn).
//
// How the file reads, top to bottom:
// - Pure helpers (no DOM state): code points <-> UTF-16, underline lanes, each coder's
//   underline dashes, memo notes, turn blocks and the HTML of the text (codePointIndex,
//   assignLanes, coderStyles, memoNotes, turnBlocks, blocksHtml; exported for the browser
//   tests).
// - render({ model, el }) lays out LAYOUT, makes the state object `s` and calls the panel
//   builders. Each builder takes (s, ui), wires the events of its part of the layout and
//   returns the functions other parts call; render collects them in `ui`, so a builder may
//   call another's function once everything is built (at an event or a render).
//     buildChannel        talking to Python: send, showStatus, onStatus
//     buildCodebookTree   the codes, their filter, folds and cursor: renderTree, applyCode,
//                         moveCursor
//     buildBar            documents, "Show", "only mine", refresh, help, who and the coders'
//                         line styles: renderBar, renderShowFilter, toggleHelp
//     buildText           the text, drawn whole or turn by turn: renderText, renderMarks
//     buildMarks          focus and the pending selection on the drawn text, a click on a
//                         highlight: leafAt, scrollTo, markFocus, markPending
//     buildSelection      a DOM selection to code points (selectionIn) and its panel:
//                         selectionOffsets, onSelectionChange, clearSelection, renderSelection
//     buildCodingsHere    side panel "Codings here": renderHere, focusCoding
//     buildMemos          side panel "Memo": renderMemos, stopEditingMemo, saveMemo
//     buildSuggestions    side panel "Suggestions": renderSuggestions, focusSuggestion
//     buildSimilar        side panel "More like this": renderSimilar, moreLikeThis, jump
//     buildKeys           the keyboard shortcuts (SHORTCUTS; shortcutKeys, onTypingKey)
//     watchModel          model changes, coalesced into one render per batch (renderSide
//                         redraws the side panels)
//
// The state object `s` (one per view; only the builders touch it):
//   model, el, viewId, $          the anywidget model, the root element, this view's id
//                                 (prefix of its message numbers), querySelector in el
//   pane, filterBox, memoBox      the text pane, the code filter box, the memo box
//   text, cpToU16                 the drawn document and its code point -> UTF-16 index
//   blocks, drawn,                its turn blocks, the codings and suggestions drawn,
//   drawnSuggestions, lanes,      their underline lanes (coding_id -> lane) and the codes'
//   colors, names, styles, notes  colours and names (code_id -> colour, name), the coders'
//                                 dashes (coder -> index in DASHES), memo notes (coding_id ->
//                                 first line of its first memo)
//   leaves, leafStarts            the drawn leaf spans and their start offsets (sorted)
//   pending, frame                the selection {start, end, outside} or null; the animation
//                                 frame that will show it
//   here, focusCoding,            coding ids listed under "Codings here"; the coding and
//   focusSuggestion               the suggestion in focus
//   show, onlyMine                the code whose highlights are shown ("" for all); whether
//                                 only the coder's own codings are drawn
//   query, cursor, choices,       the filter text, the marked choice, the numbered codes,
//   folded                        the folded codes' ids
//   editingMemo                   the memo being changed, or null
//   jumpTo                        a passage of "More like this" to select once its
//                                 document is drawn, or null
//   seq, waiting, timer,          message numbering, the message awaited and its time-out,
//   memoSeq, codeSeq              the last memo and code messages (cleared when saved)

const MAX_LANES = 4; // deeper overlaps share the last lane (all are listed under "Codings here")
// Underline dashes by coder, [dash, period] in px: the shown coder's codings are solid (null),
// other coders' take the next patterns in the order of their names (cycling).
const DASHES = [null, [6, 9], [2, 4], [10, 13], [4, 6], [1, 3]];
const NOTE_LENGTH = 80; // characters of a memo's first line shown on hover
const REPLY_TIMEOUT_MS = 8000;

const SHORTCUTS = [
  ["select text, then click a code", "code the selection"],
  ["1 … 9", "apply the numbered code in the list"],
  ["Enter", "apply the code marked ▸ (move the mark with ↑ ↓ in the filter box)"],
  ["/", "filter the codes"],
  ["click a highlight", "show the codings there"],
  ["Delete", "remove the coding in focus (yours only)"],
  ["m", "write a memo (Ctrl+Enter saves it)"],
  ["a / r", "accept / reject the suggestion in focus"],
  ["l", "list passages like the selection (click one to open it)"],
  ["n / p", "next / previous document"],
  ["Esc", "clear the selection and focus"],
  ["?", "show or hide this help"],
];

function html(strings, ...values) {
  return strings.reduce((out, s, i) => out + s + (i < values.length ? values[i] : ""), "");
}

function escapeText(s) {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

function isHighSurrogate(text, i) {
  const c = text.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff || i + 1 >= text.length) return false;
  const d = text.charCodeAt(i + 1);
  return d >= 0xdc00 && d <= 0xdfff;
}

// cpToU16[i] is the UTF-16 index of code point i (length: code points + 1).
export function codePointIndex(text) {
  const index = new Int32Array(text.length + 1);
  let cp = 0;
  for (let u = 0; u < text.length; u++) {
    index[cp++] = u;
    if (isHighSurrogate(text, u)) u++;
  }
  index[cp] = text.length;
  return index.subarray(0, cp + 1);
}

// Code points in text.slice(0, end): a selection never ends inside a surrogate pair.
export function countCodePoints(text, end = text.length) {
  let n = 0;
  for (let u = 0; u < end; u++, n++) if (isHighSurrogate(text, u)) u++;
  return n;
}

function rgba(hex, alpha) {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex || "");
  if (!m) return `rgba(120,120,120,${alpha})`;
  return `rgba(${parseInt(m[1], 16)},${parseInt(m[2], 16)},${parseInt(m[3], 16)},${alpha})`;
}

// Give each coding an underline lane, the lowest free one, so it keeps its depth throughout.
export function assignLanes(codings) {
  const order = [...codings].sort((a, b) => a.start - b.start || b.end - a.end);
  const laneEnds = [];
  const lanes = new Map();
  for (const c of order) {
    let lane = laneEnds.findIndex((end) => end <= c.start);
    if (lane < 0) lane = laneEnds.push(0) - 1;
    laneEnds[lane] = c.end;
    lanes.set(c.coding_id, Math.min(lane, MAX_LANES - 1));
  }
  return lanes;
}

// A lane for a coding added to a drawn text: the lowest one no overlapping coding uses, so
// the codings already drawn keep theirs and only the new coding's turns are redrawn.
function addLane(lanes, coding, drawn) {
  const taken = new Set();
  for (const c of drawn) {
    if (c.start < coding.end && coding.start < c.end && lanes.has(c.coding_id)) taken.add(lanes.get(c.coding_id));
  }
  let lane = 0;
  while (taken.has(lane)) lane++;
  lanes.set(coding.coding_id, Math.min(lane, MAX_LANES - 1));
}

// Blocks cover the text end to end. A turn's block runs from its speaker label (after the
// last newline before the turn) to the newline that ends the turn; blank lines between
// turns become small gap blocks, other text (a header) plain blocks.
export function turnBlocks(text, cpToU16, turns) {
  const n = cpToU16.length - 1;
  const charAt = (pos) => text.slice(cpToU16[pos], cpToU16[pos + 1]);
  const blocks = [];
  const speakers = new Map();
  const block = (start, kind, labelEnd = start, speaker = null) => blocks.push({ start, kind, labelEnd, speaker,
    tone: speaker === null ? -1 : speakers.get(speaker) });
  const plain = (a, b) => {
    let end = b;
    while (end > a && /\s/.test(charAt(end - 1))) end--;
    if (end > a) {
      block(a, "head");
      if (end < b && charAt(end) === "\n") end++;
    }
    if (end < b) block(end, "gap");
  };
  let previous = 0;
  for (const t of [...turns].sort((a, b) => a.start - b.start)) {
    const gap = text.slice(cpToU16[previous], cpToU16[t.start]);
    const newline = gap.lastIndexOf("\n");
    const label = newline < 0 ? previous : previous + countCodePoints(gap, newline + 1);
    plain(previous, label);
    if (!speakers.has(t.speaker)) speakers.set(t.speaker, speakers.size);
    block(label, "turn", t.start, t.speaker);
    previous = t.end < n && charAt(t.end) === "\n" ? t.end + 1 : t.end;
  }
  plain(previous, n);
  if (!blocks.length) block(0, "head");
  return blocks;
}

function blockTag(block) {
  const kind = block.kind === "turn" ? `wb-turn wb-tone${block.tone % 6}` : `wb-${block.kind}`;
  const who = block.speaker === null ? "" : ` data-speaker="${escapeText(block.speaker)}"`;
  return `<div class="wb-block ${kind}"${who}>`;
}

// Each coder's underline pattern (an index into DASHES): `me` solid, the others by name.
export function coderStyles(codings, me) {
  const others = [...new Set(codings.map((c) => c.coder))].filter((c) => c !== me).sort();
  return new Map([[me, 0], ...others.map((c, i) => [c, 1 + (i % (DASHES.length - 1))])]);
}

// The custom properties that draw one lane: its colour and, for another coder, its dashes.
function laneStyle(lane, color, style) {
  const dash = DASHES[style || 0];
  return `--l${lane}:${color}${dash ? `;--o${lane}:${dash[0]}px;--p${lane}:${dash[1]}px` : ""}`;
}

// A memo's first line, shortened, as the note shown on hover over its coding's marker.
export function memoNotes(memos) {
  const notes = new Map();
  for (const m of memos) {
    if (m.target_kind !== "coding" || notes.has(m.target_id)) continue;
    const line = m.text.trim().split("\n")[0];
    const short = line.length > NOTE_LENGTH ? `${line.slice(0, NOTE_LENGTH - 1)}…` : line;
    notes.set(m.target_id, `Memo by ${m.author}: ${short}`);
  }
  return notes;
}

// Active items (codings or suggestions) over [a, b) during a left-to-right sweep.
function sweeper(items) {
  const byStart = [...items].sort((x, y) => x.start - y.start);
  let next = 0;
  let active = [];
  return (a) => {
    active = active.filter((x) => x.end > a);
    while (next < byStart.length && byStart[next].start <= a) {
      if (byStart[next].end > a) active.push(byStart[next]);
      next++;
    }
    return active;
  };
}
// The HTML of blocks [from, to): leaf spans, one per stretch with the same codings. Each
// coding is a 2px underline at its lane's depth below the text (stacked when codings
// overlap; dashed for another coder's) over a light tint. The lanes fit in the space between
// lines, so a coded line is as high as any other; MAX_LANES must match the four lanes drawn
// by .wb-c in coding_view.css.
export function blocksHtml(view, blocks, lanes, from, to) {
  const lo = blocks[from].start;
  const hi = to < blocks.length ? blocks[to].start : view.cpToU16.length - 1;
  const inRange = (x) => x.start < hi && x.end > lo;
  const codings = view.codings.filter(inRange);
  const suggestions = view.suggestions.filter(inRange);
  const points = new Set([lo, hi]);
  for (let k = from; k < to; k++) points.add(blocks[k].start).add(blocks[k].labelEnd);
  for (const x of [...codings, ...suggestions]) points.add(Math.max(x.start, lo)).add(Math.min(x.end, hi));
  const bounds = Int32Array.from(points).sort();
  const codingsAt = sweeper(codings);
  const suggestionsAt = sweeper(suggestions);
  const out = [];
  let k = from - 1;
  let opening = -1;
  const close = () => {
    if (opening < 0) return;
    out[opening] = blockTag(blocks[k]);
    out.push("</div>");
  };
  for (let i = 0; i + 1 < bounds.length; i++) {
    const a = bounds[i];
    while (k + 1 < to && blocks[k + 1].start <= a) {
      close();
      k++;
      opening = out.push("") - 1;
    }
    const here = codingsAt(a);
    out.push(leafHtml(view, lanes, [a, bounds[i + 1]], a < blocks[k].labelEnd, here, suggestionsAt(a)));
  }
  close();
  return out.join("");
}

// One leaf span over code points [a, b): a speaker label or not, with the codings (here) and
// suggestions (hints) over it. Hovering it names each coding's code and coder; the leaf where
// a coding with a memo ends carries the memo marker (.wb-m) and the memo's first line.
function leafHtml(view, lanes, [a, b], label, here, hints) {
  const { text, cpToU16, colors } = view;
  const { names = new Map(), styles = new Map(), notes = new Map() } = view;
  let cls = label ? "wb-t wb-label" : "wb-t";
  let attrs = `data-s="${a}" data-e="${b}"`;
  if (here.length) {
    // The lanes' colours and dashes as custom properties (--l0 ... --l3, --o0 ..., --p0 ...)
    // and the tint (--t) of the lowest; coding_view.css draws them (short markup, quick to
    // parse and style).
    const layers = [...here].sort((x, y) => lanes.get(x.coding_id) - lanes.get(y.coding_id));
    const style = layers.map((x) => laneStyle(lanes.get(x.coding_id), colors.get(x.code_id), styles.get(x.coder)));
    style.push(`--t:${rgba(colors.get(layers[0].code_id), 0.16)}`);
    const who = layers.map((x) => `${names.get(x.code_id) || x.code_id} (${x.coder})`);
    const memos = layers.filter((x) => x.end === b && notes.has(x.coding_id)).map((x) => `✎ ${notes.get(x.coding_id)}`);
    cls += memos.length ? " wb-c wb-m" : " wb-c";
    attrs += ` data-c="${here.map((x) => x.coding_id).join(" ")}"`;
    attrs += ` data-k="${here.map((x) => x.code_id).join(" ")}" style="${style.join(";")}"`;
    attrs += ` title="${escapeText([...who, ...memos].join("\n"))}"`;
  }
  if (hints.length) {
    cls += " wb-sg";
    attrs += ` data-g="${hints.map((x) => x.suggestion_id).join(" ")}"`;
  }
  return `<span class="${cls}" ${attrs}>${escapeText(text.slice(cpToU16[a], cpToU16[b]))}</span>`;
}

const LAYOUT = html`
  <div class="wb-bar">
    <button class="wb-prev" title="Previous document (p)" aria-label="Previous document">◀</button>
    <select class="wb-docs" aria-label="Document"></select>
    <button class="wb-next" title="Next document (n)" aria-label="Next document">▶</button>
    <label class="wb-show-label">Show <select class="wb-show" aria-label="Show codings of"></select></label>
    <label class="wb-mine-label" title="Show only your own codings"><input type="checkbox" class="wb-mine"> only mine</label>
    <button class="wb-refresh" title="Read the project again">⟳</button>
    <button class="wb-help-button" title="Keyboard shortcuts (?)" aria-label="Help">?</button>
    <span class="wb-who"><span class="wb-count"></span><span class="wb-coders"></span></span>
  </div>
  <div class="wb-help" hidden>
    <p>Select a passage with the mouse, then pick a code. Every action is saved in the project
    at once; the line at the bottom says "Saved" when it is.</p>
    <table>${SHORTCUTS.map(([k, v]) => `<tr><th>${escapeText(k)}</th><td>${escapeText(v)}</td></tr>`).join("")}</table>
  </div>
  <div class="wb-main">
    <div class="wb-text" role="document" aria-label="Document text"></div>
    <div class="wb-side">
      <section><h4>Codes</h4>
        <input class="wb-filter" type="search" placeholder="Filter codes  ( / )" aria-label="Filter codes">
        <div class="wb-tree" role="listbox" aria-label="Codes"></div>
      </section>
      <section class="wb-selection"></section>
      <section><h4>More like this</h4>
        <button class="wb-more" title="Passages like the selection (l)">More like this</button>
        <div class="wb-similar"></div>
      </section>
      <section><h4>Codings here</h4><div class="wb-here"></div></section>
      <section><h4>Memo</h4><div class="wb-memo-target"></div>
        <textarea class="wb-memo" rows="3" placeholder="Write a memo… (Ctrl+Enter saves)"></textarea>
        <button class="wb-memo-save">Save memo</button>
        <div class="wb-memos"></div>
      </section>
      <section><h4>Suggestions</h4><div class="wb-suggestions"></div></section>
    </div>
  </div>
  <div class="wb-status" role="status" aria-live="polite"></div>`;

// The ids of a code and of every code below it.
function descendants(codes, root) {
  const ids = new Set([root]);
  for (const c of codes) if (ids.has(c.parent_id)) ids.add(c.code_id);
  return ids;
}

// The items of one list whose key is not in the other.
function difference(items, others, key) {
  const ids = new Set(others.map((x) => x[key]));
  return items.filter((x) => !ids.has(x[key]));
}

// A passage of the shown document as one line, shortened to `length` characters.
function quote(s, start, end, length = 70) {
  const t = s.text.slice(s.cpToU16[start], s.cpToU16[end]).replace(/\s+/g, " ").trim();
  return t.length > length ? `${t.slice(0, length - 1)}…` : t;
}

// A short line drawn as a coder's codings are underlined (the legend, "Codings here").
function lineSample(color, style) {
  const dash = DASHES[style || 0];
  const vars = dash ? `;--o:${dash[0]}px;--p:${dash[1]}px` : "";
  return `<span class="wb-line-sample" style="--c:${color}${vars}"></span>`;
}

const codeById = (model) => new Map(model.get("codes").map((c) => [c.code_id, c]));

// -- talking to Python -------------------------------------------------------------------
function buildChannel(s, ui) {
  function send(action, content = {}, label = "Saving…") {
    const seq = `${s.viewId}:${++s.seq}`;
    s.waiting = seq;
    showStatus({ kind: "busy", message: label });
    clearTimeout(s.timer);
    s.timer = setTimeout(() => {
      if (s.waiting !== seq) return;
      showStatus({ kind: "error", message: "Not saved yet: the kernel has not answered. Check that the notebook's kernel is running (Kernel menu), then try again." });
    }, REPLY_TIMEOUT_MS);
    s.model.send({ action, seq, ...content });
    return seq;
  }

  function showStatus(status) {
    const line = s.$(".wb-status");
    line.textContent = status.message || "";
    line.dataset.kind = status.kind || "info";
    line.dataset.n = status.n ?? "";
  }

  function onStatus() {
    const status = s.model.get("status") || {};
    if (status.seq && String(status.seq).startsWith(`${s.viewId}:`)) {
      if (status.seq === s.waiting) s.waiting = null;
      if (status.seq === s.memoSeq && status.kind === "saved") ui.stopEditingMemo();
      if (status.seq === s.codeSeq && status.kind === "saved") ui.clearSelection();
    }
    if (!s.waiting) showStatus(status);
  }

  return { send, showStatus, onStatus };
}

// -- the codebook tree -------------------------------------------------------------------
// One code's row: its number among the choices (-1: shown only as a parent, for context),
// whether the cursor is on it, its fold toggle (folded true or false; null: no toggle, for
// a code without children or while a filter is typed), swatch and name.
function codeRowHtml(c, number, cursor, folded) {
  const cls = `wb-code${cursor ? " wb-cursor" : ""}${number < 0 ? " wb-context" : ""}`;
  return html`<div class="${cls}" role="option" data-code="${escapeText(c.code_id)}"
       style="padding-left:${0.3 + c.depth * 1.1}em" title="${escapeText(c.definition || "")}">
    <span class="wb-key">${number >= 0 && number < 9 ? number + 1 : ""}</span>${folded !== null
      ? html`<span class="wb-fold" data-code="${escapeText(c.code_id)}" title="${folded ? "Show" : "Hide"} the codes below">${folded ? "⊞" : "⊟"}</span>`
      : `<span class="wb-fold-space"></span>`}
    <span class="wb-swatch" style="background:${c.color}"></span>${escapeText(c.name)}</div>`;
}

function buildCodebookTree(s, ui) {
  const tree = s.$(".wb-tree");

  function renderTree() {
    const codes = s.model.get("codes").filter((c) => c.status === "active");
    // Matching codes are the choices (numbered, reachable with the cursor); their parents
    // are shown for context and can be clicked too.
    const q = s.query.trim().toLowerCase();
    const matches = (c) => !q || `${c.name} ${c.code_id} ${c.path}`.toLowerCase().includes(q);
    const byId = new Map(codes.map((c) => [c.code_id, c]));
    const keep = new Set();
    for (const c of codes.filter(matches)) {
      for (let x = c; x && !keep.has(x.code_id); x = byId.get(x.parent_id)) keep.add(x.code_id);
    }
    // A folded code hides the codes below it, unless a filter is looking for them.
    const hidden = (c) => {
      for (let x = byId.get(c.parent_id); x; x = byId.get(x.parent_id)) if (s.folded.has(x.code_id)) return true;
      return false;
    };
    const rows = codes.filter((c) => keep.has(c.code_id) && (q || !hidden(c)));
    s.choices = rows.filter(matches);
    s.cursor = Math.min(s.cursor, Math.max(0, s.choices.length - 1));
    const parents = new Set(codes.map((c) => c.parent_id));
    const cursorId = s.choices.length ? s.choices[s.cursor].code_id : null;
    tree.innerHTML = rows.length ? rows.map((c) => codeRowHtml(c, s.choices.indexOf(c), c.code_id === cursorId,
      parents.has(c.code_id) && !q ? s.folded.has(c.code_id) : null)).join("")
      : `<div class="wb-empty">${codes.length ? "No code matches the filter." : "No codebook yet: load one with project.set_codebook(...)."}</div>`;
  }

  function applyCode(codeId) {
    const sel = ui.selectionOffsets() || s.pending || {};
    s.codeSeq = ui.send("code", { doc_id: s.model.get("doc_id"), code_id: codeId, start: sel.start ?? null,
      end: sel.end ?? null, outside: Boolean(sel.outside) });
  }

  function moveCursor(step) {
    const n = s.choices.length;
    if (!n) return;
    s.cursor = (s.cursor + step + n) % n;
    renderTree();
    s.el.querySelector(".wb-cursor")?.scrollIntoView({ block: "nearest" });
  }

  tree.addEventListener("mousedown", (event) => event.preventDefault()); // keep the selection
  tree.addEventListener("click", (event) => {
    const fold = event.target.closest(".wb-fold");
    const row = event.target.closest(".wb-code");
    if (fold) {
      const id = fold.dataset.code;
      if (!s.folded.delete(id)) s.folded.add(id);
      renderTree();
    } else if (row) applyCode(row.dataset.code);
  });
  s.filterBox.addEventListener("input", () => { s.query = s.filterBox.value; s.cursor = 0; renderTree(); });

  return { renderTree, applyCode, moveCursor };
}

// -- the bar: documents, "Show", refresh, help -------------------------------------------
function buildBar(s, ui) {
  const { $, el, model } = s;

  function renderBar() {
    const docs = model.get("documents");
    $(".wb-docs").innerHTML = docs.map((d) =>
      `<option value="${escapeText(d.doc_id)}">${escapeText(d.name)} (${escapeText(d.kind)})</option>`).join("");
    $(".wb-docs").value = model.get("doc_id");
    const me = model.get("coder");
    const blind = model.get("blind");
    const codings = model.get("codings");
    const mine = codings.filter((c) => c.coder === me).length;
    const others = codings.length - mine;
    const count = [`coder: ${me}`, blind ? "blind: your codings only" : null,
      `${mine} of your codings`, blind ? null : `${others} by others${s.onlyMine && others ? " (hidden)" : ""}`];
    $(".wb-count").textContent = count.filter(Boolean).join(" · ");
    $(".wb-mine").checked = blind || s.onlyMine;
    $(".wb-mine").disabled = blind;
    const styles = coderStyles(codings, me);
    $(".wb-coders").innerHTML = [...styles].filter(([c]) => c === me || codings.some((x) => x.coder === c))
      .map(([c, style]) => html`<span class="wb-coder">${lineSample("#555", style)}${escapeText(c === me ? `${c} (you)` : c)}</span>`).join("");
  }

  function renderShowFilter() {
    const select = $(".wb-show");
    select.innerHTML = `<option value="">all codes</option>` + model.get("codes").map((c) =>
      `<option value="${escapeText(c.code_id)}">${"  ".repeat(c.depth)}${escapeText(c.name)}</option>`).join("");
    select.value = s.show;
  }

  function toggleHelp() {
    $(".wb-help").hidden = !$(".wb-help").hidden;
  }

  $(".wb-prev").addEventListener("click", () => ui.send("previous", {}, "Opening…"));
  $(".wb-next").addEventListener("click", () => ui.send("next", {}, "Opening…"));
  // After a choice in a drop-down, keys go to the widget again (n, p, 1-9 ...), not to the
  // drop-down's type-ahead.
  $(".wb-docs").addEventListener("change", (event) => {
    ui.send("open", { doc_id: event.target.value }, "Opening…");
    el.focus({ preventScroll: true });
  });
  $(".wb-refresh").addEventListener("click", () => ui.send("refresh", {}, "Reading the project…"));
  $(".wb-help-button").addEventListener("click", toggleHelp);
  $(".wb-show").addEventListener("change", (event) => {
    s.show = event.target.value;
    ui.renderText();
    el.focus({ preventScroll: true });
  });
  $(".wb-mine").addEventListener("change", (event) => {
    s.onlyMine = event.target.checked;
    ui.renderText();
    renderBar();
    el.focus({ preventScroll: true });
  });

  return { renderBar, renderShowFilter, toggleHelp };
}

// -- the text, drawn whole or turn by turn ----------------------------------------------
function buildText(s, ui) {
  const { pane, model } = s;

  function visibleCodings() {
    const me = model.get("coder");
    const codings = s.onlyMine ? model.get("codings").filter((c) => c.coder === me) : model.get("codings");
    if (!s.show) return codings;
    const ids = descendants(model.get("codes"), s.show);
    return codings.filter((c) => ids.has(c.code_id));
  }

  // Draw the whole text (a new document, codebook colours or code filter).
  function renderText() {
    const text = model.get("text");
    if (text !== s.text) {
      s.text = text;
      s.cpToU16 = codePointIndex(text);
      s.pending = null;
      s.here = [];
      s.focusCoding = null;
      s.focusSuggestion = null;
      pane.scrollTop = 0;
    }
    s.colors = new Map(model.get("codes").map((c) => [c.code_id, c.color]));
    s.names = new Map(model.get("codes").map((c) => [c.code_id, c.name]));
    s.styles = coderStyles(model.get("codings"), model.get("coder"));
    s.notes = memoNotes(model.get("memos"));
    s.blocks = turnBlocks(text, s.cpToU16, model.get("turns"));
    s.drawn = visibleCodings();
    s.drawnSuggestions = model.get("suggestions");
    s.lanes = assignLanes(s.drawn);
    const scroll = pane.scrollTop;
    pane.innerHTML = blocksHtml(drawing(), s.blocks, s.lanes, 0, s.blocks.length);
    pane.scrollTop = scroll;
    afterDrawing();
  }

  // Redraw only the turns whose codings, suggestions or memo markers changed (a coding added
  // or removed, a memo written); a coder new to the document changes the legend: all of it.
  function renderMarks() {
    const codings = visibleCodings();
    const suggestions = model.get("suggestions");
    const notes = memoNotes(model.get("memos"));
    if (model.get("codings").some((c) => !s.styles.has(c.coder))) return renderText();
    const changed = [...difference(s.drawn, codings, "coding_id"), ...difference(codings, s.drawn, "coding_id"),
      ...difference(s.drawnSuggestions, suggestions, "suggestion_id"),
      ...difference(suggestions, s.drawnSuggestions, "suggestion_id"),
      ...codings.filter((c) => notes.get(c.coding_id) !== s.notes.get(c.coding_id))];
    s.notes = notes;
    if (changed.length > 20) return renderText();
    if (!changed.length) return;
    const now = new Set(codings.map((c) => c.coding_id));
    for (const c of s.drawn) if (!now.has(c.coding_id)) s.lanes.delete(c.coding_id);
    for (const c of codings) if (!s.lanes.has(c.coding_id)) addLane(s.lanes, c, codings);
    s.drawn = codings;
    s.drawnSuggestions = suggestions;
    redrawBlocks(Math.min(...changed.map((x) => x.start)), Math.max(...changed.map((x) => x.end)));
  }

  // Replace the blocks that hold code points [lo, hi) with freshly drawn ones.
  function redrawBlocks(lo, hi) {
    let from = s.blocks.findIndex((b) => b.start > lo) - 1;
    if (from < 0) from = from === -2 ? s.blocks.length - 1 : 0;
    let to = s.blocks.findIndex((b) => b.start >= hi);
    if (to < 0) to = s.blocks.length;
    const fresh = document.createElement("div");
    fresh.innerHTML = blocksHtml(drawing(), s.blocks, s.lanes, from, to);
    const old = Array.from(pane.children).slice(from, to);
    old[0].before(...fresh.children);
    for (const node of old) node.remove();
    afterDrawing();
  }

  function drawing() {
    return { text: s.text, cpToU16: s.cpToU16, codings: s.drawn, suggestions: s.drawnSuggestions,
      colors: s.colors, names: s.names, styles: s.styles, notes: s.notes };
  }

  function afterDrawing() {
    s.leaves = Array.from(pane.getElementsByClassName("wb-t"));
    s.leafStarts = Int32Array.from(s.leaves, (leaf) => +leaf.dataset.s);
    ui.markFocus();
    ui.markPending();
    ui.jump();
  }

  return { renderText, renderMarks };
}

// -- marks on the drawn text: focus and the pending selection ---------------------------
function buildMarks(s, ui) {
  const { pane } = s;

  function leafAt(pos) {
    let lo = 0;
    let hi = s.leafStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s.leafStarts[mid] <= pos) lo = mid; else hi = mid - 1;
    }
    return s.leaves[lo];
  }

  function scrollTo(pos) {
    const leaf = leafAt(pos);
    if (leaf) pane.scrollTop = leaf.offsetTop - pane.clientHeight / 3;
  }

  function markFocus() {
    for (const leaf of pane.querySelectorAll(".wb-focus, .wb-sfocus")) leaf.classList.remove("wb-focus", "wb-sfocus");
    if (s.focusCoding) for (const leaf of pane.querySelectorAll(`[data-c~="${s.focusCoding}"]`)) leaf.classList.add("wb-focus");
    if (s.focusSuggestion) for (const leaf of pane.querySelectorAll(`[data-g~="${s.focusSuggestion}"]`)) leaf.classList.add("wb-sfocus");
  }

  // The selection being made, painted with the CSS Custom Highlight API (where the browser
  // has it) so that redrawing the text does not lose it.
  function markPending() {
    if (!globalThis.CSS || !CSS.highlights) return;
    const p = s.pending;
    if (!p || p.outside || p.start === p.end || !s.leaves.length) {
      if (CSS.highlights.get("wb-pending")?.viewId === s.viewId) CSS.highlights.delete("wb-pending");
      return;
    }
    const range = document.createRange();
    const [a, b] = [leafAt(p.start), leafAt(p.end - 1)];
    const point = (leaf, pos) => {
      const node = leaf.firstChild;
      const u = s.cpToU16[pos] - s.cpToU16[+leaf.dataset.s];
      return [node, Math.min(u, node.length)];
    };
    range.setStart(...point(a, p.start));
    range.setEnd(...point(b, p.end));
    const highlight = new Highlight(range);
    highlight.viewId = s.viewId;
    CSS.highlights.set("wb-pending", highlight);
  }

  pane.addEventListener("click", (event) => {
    if (!document.getSelection().isCollapsed) return;
    const leaf = event.target.closest(".wb-t");
    if (!leaf) return;
    const ids = (leaf.dataset.c || "").split(" ").filter(Boolean);
    const next = ids.length ? ids[(ids.indexOf(s.focusCoding) + 1) % ids.length] : null;
    s.here = ids;
    ui.focusCoding(next);
    if (!next && leaf.dataset.g) ui.focusSuggestion(leaf.dataset.g.split(" ")[0]);
  });

  return { leafAt, scrollTo, markFocus, markPending };
}

// -- selection: DOM boundary points to code points ---------------------------------------
// Pure DOM helpers: `pane` is the text pane, `length` the document's length in code points.

// The start of the first leaf at or after a node (the document's end when there is none).
function leafStartFrom(node, pane, length) {
  if (node.nodeType === Node.ELEMENT_NODE) {
    if (node.classList.contains("wb-t")) return +node.dataset.s;
    const leaf = node.querySelector(".wb-t");
    if (leaf) return +leaf.dataset.s;
  }
  return leafStartAfter(node, pane, length);
}

// The start of the first leaf after a node and all it holds.
function leafStartAfter(node, pane, length) {
  for (let n = node; n && n !== pane; n = n.parentNode) {
    if (n.nextSibling) return leafStartFrom(n.nextSibling, pane, length);
  }
  return length;
}

// A DOM boundary point (node, offset) as a code point of the document.
function pointOffset(node, offset, pane, length) {
  if (node.nodeType === Node.TEXT_NODE) {
    const leaf = node.parentElement;
    if (leaf.classList.contains("wb-t")) return +leaf.dataset.s + countCodePoints(node.data, offset);
    return offset === 0 ? leafStartFrom(node, pane, length) : leafStartAfter(node, pane, length);
  }
  if (node.classList && node.classList.contains("wb-t")) return offset === 0 ? +node.dataset.s : +node.dataset.e;
  const child = node.childNodes[offset];
  return child ? leafStartFrom(child, pane, length) : leafStartAfter(node, pane, length);
}

// Whether anything but white space lies between two boundary points.
function textBetween(startNode, startOffset, endNode, endOffset) {
  const between = document.createRange();
  between.setStart(startNode, startOffset);
  between.setEnd(endNode, endOffset);
  return between.toString().trim() !== "";
}

// The live selection as code points of the document in `pane`, or null when it does not
// touch it. Text selected outside the document (another cell, another document) marks it
// outside.
function selectionIn(pane, length) {
  const sel = document.getSelection();
  if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
  const range = sel.getRangeAt(0);
  if (!range.intersectsNode(pane)) return null;
  const inner = document.createRange();
  inner.selectNodeContents(pane);
  const clamped = range.cloneRange();
  let outside = false;
  if (range.compareBoundaryPoints(Range.START_TO_START, inner) < 0) {
    outside ||= textBetween(range.startContainer, range.startOffset, inner.startContainer, inner.startOffset);
    clamped.setStart(inner.startContainer, inner.startOffset);
  }
  if (range.compareBoundaryPoints(Range.END_TO_END, inner) > 0) {
    outside ||= textBetween(inner.endContainer, inner.endOffset, range.endContainer, range.endOffset);
    clamped.setEnd(inner.endContainer, inner.endOffset);
  }
  const start = pointOffset(clamped.startContainer, clamped.startOffset, pane, length);
  const end = pointOffset(clamped.endContainer, clamped.endOffset, pane, length);
  return { start: Math.min(start, end), end: Math.max(start, end), outside };
}

// The selection as the widget keeps it (s.pending) and shows it in its side panel.
function buildSelection(s, ui) {
  const { pane } = s;
  const selectionOffsets = () => selectionIn(pane, s.cpToU16.length - 1);

  // The pending selection is kept current at every change (so a code picked at once after
  // selecting gets it all); the side panel follows at the next frame.
  function onSelectionChange() {
    const sel = document.getSelection();
    const live = selectionOffsets();
    if (live) s.pending = live;
    else if (sel && !sel.isCollapsed) s.pending = null; // something else is selected now
    else if (sel && sel.anchorNode && pane.contains(sel.anchorNode)) s.pending = null; // a click in the text
    else return;
    if (s.frame === null) {
      s.frame = requestAnimationFrame(() => {
        s.frame = null;
        ui.markPending();
        renderSelection();
      });
    }
  }

  function clearSelection() {
    const sel = document.getSelection();
    if (sel.anchorNode && pane.contains(sel.anchorNode)) sel.removeAllRanges();
    s.pending = null;
    ui.markPending();
    renderSelection();
  }

  function renderSelection() {
    const p = s.pending;
    let message = "No text selected: select a passage with the mouse, then pick a code.";
    if (p && p.outside) message = "The selection goes beyond this document: select inside it.";
    else if (p) message = `Selected ${p.end - p.start} characters: “${escapeText(quote(s, p.start, p.end))}”. Click a code, press 1–9 or Enter.`;
    s.$(".wb-selection").innerHTML = `<div class="wb-selected${p && !p.outside ? " wb-has" : ""}">${message}</div>`;
  }

  document.addEventListener("selectionchange", onSelectionChange);
  pane.addEventListener("mouseup", onSelectionChange);
  pane.addEventListener("keyup", onSelectionChange);

  return { selectionOffsets, onSelectionChange, clearSelection, renderSelection };
}

// -- the side panels: codings here, memos, suggestions ----------------------------------
// (The selection's panel is drawn by buildSelection.)
function renderSide(ui) {
  ui.renderSelection();
  ui.renderHere();
  ui.renderMemos();
  ui.renderSuggestions();
  ui.renderSimilar();
  ui.markFocus();
}

function buildCodingsHere(s, ui) {
  const { $, model } = s;

  function renderHere() {
    const codes = codeById(model);
    const me = model.get("coder");
    const styles = coderStyles(model.get("codings"), me);
    const byId = new Map(model.get("codings").map((c) => [c.coding_id, c]));
    s.here = s.here.filter((id) => byId.has(id));
    if (s.focusCoding && !byId.has(s.focusCoding)) s.focusCoding = null;
    $(".wb-here").innerHTML = s.here.length ? s.here.map((id) => {
      const c = byId.get(id);
      const code = codes.get(c.code_id) || { name: c.code, color: "#999" };
      const remove = c.coder === me ? `<button class="wb-remove" data-coding="${id}" title="Remove (Delete)">Remove</button>` : "";
      return html`<div class="wb-coding${id === s.focusCoding ? " wb-current" : ""}" data-coding="${id}">
        <span class="wb-swatch" style="background:${code.color}"></span><b>${escapeText(code.name)}</b>
        <span class="wb-meta">${lineSample(code.color, styles.get(c.coder))}by ${escapeText(c.coder === me ? `${c.coder} (you)` : c.coder)}${c.origin === "manual" ? "" : ` · ${escapeText(c.origin)}`}</span>${remove}
        <div class="wb-quote">“${escapeText(quote(s, c.start, c.end))}”</div></div>`;
    }).join("") : `<div class="wb-empty">Click a highlight to see its codings.</div>`;
  }

  function focusCoding(id) {
    s.focusCoding = id;
    if (id && !s.here.includes(id)) s.here = [id];
    renderHere();
    ui.renderMemos();
    ui.markFocus();
  }

  $(".wb-here").addEventListener("click", (event) => {
    const button = event.target.closest(".wb-remove");
    if (button) ui.send("uncode", { coding_id: button.dataset.coding });
    else if (event.target.closest(".wb-coding")) focusCoding(event.target.closest(".wb-coding").dataset.coding);
  });

  return { renderHere, focusCoding };
}

// Memos on the coding in focus, or on the document when no coding is in focus.
function buildMemos(s, ui) {
  const { $, model, memoBox } = s;

  function renderMemos() {
    const target = s.focusCoding ? ["coding", s.focusCoding] : ["document", model.get("doc_id")];
    const name = s.focusCoding ? "the coding in focus" : `the document ${model.get("document_name")}`;
    const memos = model.get("memos").filter((m) => m.target_kind === target[0] && m.target_id === target[1]);
    if (s.editingMemo && !memos.some((m) => m.memo_id === s.editingMemo)) stopEditingMemo();
    const editing = memos.find((m) => m.memo_id === s.editingMemo);
    $(".wb-memo-target").textContent = editing ? `Changing ${editing.author}'s memo on ${name} (Escape leaves it as it was):` : `On ${name}:`;
    $(".wb-memo-save").textContent = editing ? "Save changes" : "Save memo";
    $(".wb-memos").innerHTML = memos.map((m) => html`<div class="wb-memo-item${m.memo_id === s.editingMemo ? " wb-current" : ""}">
      <span class="wb-meta">${escapeText(m.author)}, ${escapeText(m.created_at.slice(0, 16).replace("T", " "))}</span>
      <button class="wb-memo-edit" data-memo="${escapeText(m.memo_id)}" title="Change this memo">Edit</button>
      <div>${escapeText(m.text)}</div></div>`).join("");
  }

  function editMemo(memoId) {
    const memo = model.get("memos").find((m) => m.memo_id === memoId);
    if (!memo) return;
    s.editingMemo = memoId;
    memoBox.value = memo.text;
    renderMemos();
    memoBox.focus();
  }

  function stopEditingMemo() {
    s.editingMemo = null;
    memoBox.value = "";
    renderMemos();
  }

  function saveMemo() {
    s.memoSeq = s.editingMemo
      ? ui.send("edit_memo", { memo_id: s.editingMemo, text: memoBox.value })
      : ui.send("memo", { text: memoBox.value, coding_id: s.focusCoding });
  }

  $(".wb-memo-save").addEventListener("click", saveMemo);
  $(".wb-memos").addEventListener("click", (event) => {
    const button = event.target.closest(".wb-memo-edit");
    if (button) editMemo(button.dataset.memo);
  });

  return { renderMemos, stopEditingMemo, saveMemo };
}

// The document's pending rule suggestions, with Accept and Reject.
function buildSuggestions(s, ui) {
  const { $, model } = s;

  function renderSuggestions() {
    const codes = codeById(model);
    const list = [...model.get("suggestions")].sort((a, b) => a.start - b.start);
    if (s.focusSuggestion && !list.some((x) => x.suggestion_id === s.focusSuggestion)) s.focusSuggestion = null;
    $(".wb-suggestions").innerHTML = list.length ? list.map((x) => {
      const color = (codes.get(x.code_id) || {}).color || "#999";
      return html`<div class="wb-suggestion${x.suggestion_id === s.focusSuggestion ? " wb-current" : ""}" data-suggestion="${x.suggestion_id}">
        <span class="wb-swatch" style="background:${color}"></span><b>${escapeText(x.code)}</b>
        <span class="wb-meta">${escapeText(x.rule)}</span>
        <button class="wb-accept" data-suggestion="${x.suggestion_id}" title="Accept (a)">Accept</button>
        <button class="wb-reject" data-suggestion="${x.suggestion_id}" title="Reject (r)">Reject</button>
        <div class="wb-quote">“${escapeText(quote(s, x.start, x.end))}”</div></div>`;
    }).join("") : `<div class="wb-empty">No pending suggestions in this document.</div>`;
  }

  function focusSuggestion(id) {
    s.focusSuggestion = id;
    const x = model.get("suggestions").find((y) => y.suggestion_id === id);
    if (x) ui.scrollTo(x.start);
    renderSuggestions();
    ui.markFocus();
  }

  $(".wb-suggestions").addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (button) ui.send(button.classList.contains("wb-accept") ? "accept" : "reject", { suggestion_id: button.dataset.suggestion });
    else if (event.target.closest(".wb-suggestion")) focusSuggestion(event.target.closest(".wb-suggestion").dataset.suggestion);
  });

  return { renderSuggestions, focusSuggestion };
}

// "More like this": the passages nearest in meaning to the selection (the kernel asks
// project.similar); a click opens one and selects it, ready to be coded.
function buildSimilar(s, ui) {
  const { $, model } = s;

  function renderSimilar() {
    const list = model.get("similar");
    $(".wb-similar").innerHTML = list.length ? list.map((x, i) => html`<div class="wb-like" data-index="${i}" title="Open and select this passage">
      <span class="wb-meta">${x.score.toFixed(2)} · ${escapeText(x.document)}${x.speaker ? ` · ${escapeText(x.speaker)}` : ""}</span>
      <div class="wb-quote">“${escapeText(x.text)}”</div></div>`).join("")
      : `<div class="wb-empty">Select a passage, then ask for more like it.</div>`;
  }

  function moreLikeThis() {
    const sel = ui.selectionOffsets() || s.pending || {};
    ui.send("more_like_this", { doc_id: model.get("doc_id"), start: sel.start ?? null,
      end: sel.end ?? null, outside: Boolean(sel.outside) }, "Searching…");
  }

  // Select the passage clicked once its document is the one drawn.
  function jump() {
    const j = s.jumpTo;
    if (!j || j.doc_id !== model.get("doc_id") || s.text !== model.get("text")) return;
    s.jumpTo = null;
    s.pending = { start: j.start, end: j.end, outside: false };
    ui.scrollTo(j.start);
    ui.markPending();
    ui.renderSelection();
  }

  $(".wb-more").addEventListener("click", moreLikeThis);
  $(".wb-similar").addEventListener("click", (event) => {
    const row = event.target.closest(".wb-like");
    if (!row) return;
    s.jumpTo = model.get("similar")[+row.dataset.index];
    if (s.jumpTo.doc_id === model.get("doc_id")) jump();
    else ui.send("open", { doc_id: s.jumpTo.doc_id }, "Opening…");
  });

  return { renderSimilar, moreLikeThis, jump };
}

// -- keys --------------------------------------------------------------------------------
// Keys in the filter box and the memo box (and Escape in the drop-downs).
function onTypingKey(s, ui, event) {
  const { filterBox, memoBox } = s;
  const refocus = () => s.el.focus({ preventScroll: true });
  if (event.target === filterBox) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") ui.moveCursor(event.key === "ArrowDown" ? 1 : -1);
    else if (event.key === "Enter" && s.choices.length) ui.applyCode(s.choices[s.cursor].code_id);
    else if (event.key === "Escape") { filterBox.value = ""; s.query = ""; ui.renderTree(); refocus(); }
    else return;
    event.preventDefault();
  } else if (event.target === memoBox && event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    ui.saveMemo();
  } else if (event.target === memoBox && event.key === "Escape" && s.editingMemo) {
    ui.stopEditingMemo();
    refocus();
  } else if (event.key === "Escape") {
    refocus();
  }
}

// The single keys of SHORTCUTS (besides 1-9), by KeyboardEvent.key.
function shortcutKeys(s, ui) {
  const uncode = () => s.focusCoding && ui.send("uncode", { coding_id: s.focusCoding });
  return {
    "/": () => s.filterBox.focus(),
    "?": () => ui.toggleHelp(),
    n: () => ui.send("next", {}, "Opening…"),
    p: () => ui.send("previous", {}, "Opening…"),
    m: () => s.memoBox.focus(),
    Enter: () => s.choices.length && ui.applyCode(s.choices[s.cursor].code_id),
    Delete: uncode,
    Backspace: uncode,
    a: () => s.focusSuggestion && ui.send("accept", { suggestion_id: s.focusSuggestion }),
    r: () => s.focusSuggestion && ui.send("reject", { suggestion_id: s.focusSuggestion }),
    l: () => ui.moreLikeThis(),
    Escape: () => {
      ui.clearSelection();
      s.here = [];
      ui.focusCoding(null);
      ui.focusSuggestion(null);
    },
  };
}

function buildKeys(s, ui) {
  const keys = shortcutKeys(s, ui);
  // Keys typed in the widget are the widget's: JupyterLab's notebook shortcuts (1-6, a, m, x,
  // Enter, Ctrl+Enter ...) would otherwise act on the cell. Chords the widget does not use
  // (Shift+Enter, Ctrl+S) still reach JupyterLab.
  s.el.addEventListener("keydown", (event) => {
    if (["INPUT", "TEXTAREA", "SELECT"].includes(event.target.tagName)) {
      event.stopPropagation();
      return onTypingKey(s, ui, event);
    }
    if (event.ctrlKey || event.metaKey || event.altKey || (event.shiftKey && event.key === "Enter")) return;
    if (event.key.length === 1 || keys[event.key]) event.stopPropagation();
    const digit = /^[1-9]$/.test(event.key) ? Number(event.key) - 1 : -1;
    if (digit >= 0 && digit < s.choices.length) ui.applyCode(s.choices[digit].code_id);
    else if (keys[event.key]) keys[event.key]();
    else return;
    event.preventDefault();
  });
  return {};
}

// -- model changes, coalesced into one render per batch ----------------------------------
function watchModel(s, ui) {
  const dirty = new Set();
  function schedule(part) {
    if (!dirty.size) queueMicrotask(flush);
    dirty.add(part);
  }
  function flush() {
    const parts = new Set(dirty);
    dirty.clear();
    if (parts.has("codes")) { ui.renderTree(); ui.renderShowFilter(); }
    if (parts.has("text") || parts.has("codes")) ui.renderText();
    else if (parts.has("marks")) ui.renderMarks();
    ui.renderBar();
    renderSide(ui);
    if (parts.has("status")) ui.onStatus();
  }
  const watch = { documents: "bar", doc_id: "bar", coder: "text", blind: "bar", codes: "codes",
    text: "text", turns: "text", codings: "marks", suggestions: "marks", memos: "marks", similar: "side",
    status: "status" };
  for (const [name, part] of Object.entries(watch)) s.model.on(`change:${name}`, () => schedule(part));
}

function newState(model, el) {
  const $ = (selector) => el.querySelector(selector);
  return {
    model, el, $, viewId: Math.random().toString(36).slice(2, 8),
    pane: $(".wb-text"), filterBox: $(".wb-filter"), memoBox: $(".wb-memo"),
    text: null, cpToU16: new Int32Array(1), blocks: [], drawn: [], drawnSuggestions: [],
    lanes: new Map(), colors: new Map(), names: new Map(), styles: new Map(), notes: new Map(),
    leaves: [], leafStarts: new Int32Array(0), onlyMine: false,
    pending: null, frame: null, here: [], focusCoding: null, focusSuggestion: null, show: "",
    query: "", cursor: 0, choices: [], folded: new Set(), editingMemo: null, jumpTo: null,
    seq: 0, waiting: null, timer: null, memoSeq: null, codeSeq: null,
  };
}

function render({ model, el }) {
  el.classList.add("wb-cv");
  el.tabIndex = 0;
  el.innerHTML = LAYOUT;
  const s = newState(model, el);
  const ui = {};
  for (const build of [buildChannel, buildCodebookTree, buildBar, buildText, buildMarks,
    buildSelection, buildCodingsHere, buildMemos, buildSuggestions, buildSimilar, buildKeys]) {
    Object.assign(ui, build(s, ui));
  }
  watchModel(s, ui);

  ui.renderTree();
  ui.renderShowFilter();
  ui.renderText();
  ui.renderBar();
  renderSide(ui);
  ui.onStatus();

  return () => {
    document.removeEventListener("selectionchange", ui.onSelectionChange);
    cancelAnimationFrame(s.frame);
    clearTimeout(s.timer);
    if (CSS.highlights?.get("wb-pending")?.viewId === s.viewId) CSS.highlights.delete("wb-pending");
  };
}

export default { render };
