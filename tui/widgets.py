"""Widgets of the review screen: the proposals table, the detail pane and the prompt."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from termalign.tui.cells import fit, head, tail
from termalign.tui.evidence import readable
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input, Label, Static

from termalign import lang as languages
from termalign.review import ConceptChange, MTSuggestion, Occurrence, ProposalList, ProposalRow, Rejections, TermCount
from termalign.store.concepts import Concept, Term
from termalign.store.suggestions import TermSuggestion

STATUS_LABEL = {"approved": "ok", "rejected": "rej", "unreviewed": "?"}
TERM_MARK = {"preferred": "★", "admitted": "·", "deprecated": "✗"}


def ordered_terms(concept: Concept) -> list[Term]:
    """A concept's terms in the order the term cursor walks them: by language, preferred first."""
    out = []
    for code in languages.CODES:
        terms = concept.terms_in(code)
        out += sorted(terms, key=lambda t: (t.status != "preferred", t.id or 0))
    return out


@dataclass(frozen=True)
class Columns:
    """Cell widths of the table's columns for one widget width."""

    gutter: int = 2
    score: int = 5
    langs: tuple[int, ...] = (10, 10, 10, 10)
    status: int = 3
    signals: int = 7

    @classmethod
    def for_width(cls, width: int) -> Columns:
        signals = max(7, width // 8)
        fixed = 2 + 5 + 3 + signals + 6  # six one-cell separators
        share, extra = divmod(max(width - fixed, 4 * 4), 4)
        return cls(langs=tuple(share + (1 if i < extra else 0) for i in range(4)), signals=signals)


class ProposalTable(ScrollView, can_focus=True):
    """The proposals, one line each, drawn from a :class:`ProposalList` a visible line at a
    time (Line API): 100 000 rows cost no more than twenty."""

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False),
        Binding("k,up", "cursor_up", "Up", show=False),
        Binding("pagedown,ctrl+f", "page_down", "Page down", show=False),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False),
        Binding("g,home", "first", "First row", show=False),
        Binding("G,end", "last", "Last row", show=False),
    ]

    COMPONENT_CLASSES = {
        "proposal-table--header",
        "proposal-table--cursor",
        "proposal-table--selected",
        "proposal-table--approved",
        "proposal-table--rejected",
        "proposal-table--unreviewed",
        "proposal-table--changed",
    }

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class Highlighted(Message):
        """The cursor moved to another row (or the row under it changed)."""

        def __init__(self, index: int, row: ProposalRow | None) -> None:
            super().__init__()
            self.index = index
            self.row = row

    def __init__(self, proposals: ProposalList, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.proposals = proposals
        self.selected: set[int] = set()
        self.merge_mark: int | None = None
        #: rows another reviewer changed while shown, marked ``!`` until the reviewer has seen them
        self.changed: dict[int, ConceptChange] = {}

    # -- data ---------------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        return len(self.proposals)

    @property
    def current(self) -> ProposalRow | None:
        return self.proposals.row(self.cursor)

    def reset(self, cursor: int = 0) -> None:
        """The listing changed as a whole (filters, reload): resize and move the cursor."""
        self._resize()
        self.refresh()
        self.cursor = self._clamp(cursor)

    def rows_changed(self, cursor: int | None = None) -> None:
        """Some rows were re-read or left the listing: redraw, keep the cursor in range."""
        self._resize()
        self.refresh()
        self.cursor = self._clamp(self.cursor if cursor is None else cursor)

    def rows_redrawn(self) -> None:
        """Some rows were re-read, the detail stays as it is: redraw, keep the cursor in range
        without announcing a move (the screen keeps the concept it shows)."""
        self._resize()
        self.refresh()
        self.set_reactive(ProposalTable.cursor, self._clamp(self.cursor))

    def _resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.row_count + 1)

    def _clamp(self, index: int) -> int:
        return min(max(index, 0), max(self.row_count - 1, 0))

    def on_resize(self) -> None:
        self._resize()

    # -- cursor -------------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted(new, self.proposals.row(new)))

    def scroll_to_cursor(self) -> None:
        """Scroll so that the cursor row is in view (after a resize too)."""
        self._scroll_to_cursor()

    def on_click(self, event) -> None:
        """A click on a row moves the cursor there (the header line is not a row)."""
        if event.y < 1:
            return
        index = round(self.scroll_y) + event.y - 1
        if 0 <= index < self.row_count:
            self.cursor = index
        self.focus()

    def _scroll_to_cursor(self) -> None:
        visible = max(self.scrollable_content_region.height - 1, 1)
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False, immediate=True)

    def action_cursor_down(self) -> None:
        self.cursor = self._clamp(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.cursor = self._clamp(self.cursor - 1)

    def action_page_down(self) -> None:
        self.cursor = self._clamp(self.cursor + max(self.scrollable_content_region.height - 2, 1))

    def action_page_up(self) -> None:
        self.cursor = self._clamp(self.cursor - max(self.scrollable_content_region.height - 2, 1))

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = self._clamp(self.row_count - 1)

    # -- drawing ------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        columns = Columns.for_width(width)
        base = self.rich_style
        if y == 0:
            header = base + self.get_component_rich_style("proposal-table--header")
            return self._line(self._header_cells(columns), header, width)
        index = round(self.scroll_y) + y - 1
        row = self.proposals.row(index)
        if row is None:
            return Strip.blank(width, base)
        style = base + self.get_component_rich_style(f"proposal-table--{row.status}")
        if row.id in self.changed:
            style += self.get_component_rich_style("proposal-table--changed")
        if row.id in self.selected:
            style += self.get_component_rich_style("proposal-table--selected")
        if index == self.cursor:
            style += self.get_component_rich_style("proposal-table--cursor")
        return self._line(self._row_cells(row, index, columns), style, width)

    @staticmethod
    def _line(cells: list[str], style: Style, width: int) -> Strip:
        text = " ".join(cells[1:])
        return Strip([Segment(cells[0] + text, style)], cell_len(cells[0] + text)).adjust_cell_length(width, style)

    @staticmethod
    def _header_cells(c: Columns) -> list[str]:
        return [
            " " * c.gutter, fit("score", c.score, ""),
            *(fit(code, w) for code, w in zip(languages.CODES, c.langs, strict=True)),
            fit("st", c.status), fit("signals", c.signals),
        ]

    def _row_cells(self, row: ProposalRow, index: int, c: Columns) -> list[str]:
        if row.id == self.merge_mark:
            mark = "m"
        elif row.id in self.selected:
            mark = "+"
        else:
            mark = "!" if row.id in self.changed else " "
        gutter = (">" if index == self.cursor else " ") + mark
        return [
            gutter, f"{row.score:4.2f}"[: c.score].rjust(c.score),
            *(fit(row.terms.get(code, "—"), w) for code, w in zip(languages.CODES, c.langs, strict=True)),
            fit(STATUS_LABEL.get(row.status, row.status), c.status),
            fit(" ".join(s[:3] for s in row.signals), c.signals),
        ]


class Prompt(Horizontal):
    """A one-line input docked above the footer, for editing a term, notes, search, filters."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    purpose: str = ""

    class Answered(Message):
        def __init__(self, purpose: str, value: str) -> None:
            super().__init__()
            self.purpose = purpose
            self.value = value

    def compose(self):
        yield Label("", id="prompt-label")
        yield Input(id="prompt-input", select_on_focus=False)

    def ask(self, purpose: str, label: str, value: str = "", placeholder: str = "") -> None:
        self.purpose = purpose
        self.query_one("#prompt-label", Label).update(label)
        field_ = self.query_one(Input)
        field_.value = value
        field_.placeholder = placeholder
        field_.cursor_position = len(value)
        self.add_class("open")
        # Focus now, not after a refresh: keys typed right away must land in the input.
        self._return_focus = self.screen.focused
        self.screen.set_focus(field_)

    def close(self) -> None:
        self.remove_class("open")
        self.purpose = ""
        self.screen.set_focus(getattr(self, "_return_focus", None))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        purpose = self.purpose
        self.close()
        self.post_message(self.Answered(purpose, event.value))

    def action_cancel(self) -> None:
        self.close()
        self.post_message(self.Answered("", ""))


@dataclass
class DetailView:
    """Everything the detail pane shows about one concept."""

    concept: Concept
    term_index: int = 0
    mt: list[MTSuggestion] = field(default_factory=list)
    # the concept's term suggestions still waiting (composed or MT readings no text attests)
    suggestions: list[TermSuggestion] = field(default_factory=list)
    counts: dict[int, TermCount] = field(default_factory=dict)  # term id -> corpus count
    concordance_count: TermCount = TermCount(0, 0)
    concordance_offset: int = 0
    concordance: list[Occurrence] = field(default_factory=list)
    # the concept's preferred term in each other language and its first occurrence, if any
    parallel: list[tuple[Term, Occurrence | None]] = field(default_factory=list)
    notice: str = ""
    # rejected concepts that paired these terms before, and the team's rejections-needed
    rejections: Rejections | None = None

    @property
    def concordance_total(self) -> int:
        return self.concordance_count.freq

    @property
    def terms(self) -> list[Term]:
        return ordered_terms(self.concept)

    @property
    def suggestion(self) -> TermSuggestion | None:
        """The suggestion the accept key takes: the first of the term cursor's language, else the first."""
        term = self.term
        same = [s for s in self.suggestions if term is not None and s.lang == term.lang]
        found = same or self.suggestions
        return found[0] if found else None

    @property
    def term(self) -> Term | None:
        terms = self.terms
        return terms[self.term_index] if terms and 0 <= self.term_index < len(terms) else None


class DetailPane(VerticalScroll, can_focus=False):
    """Per language the preferred term and its variants with their corpus counts, the
    evidence (one line per finding, grouped by signal), suggestions, notes, and the
    concordance of the term under the term cursor beside the concept's other languages."""

    def compose(self):
        yield Static(id="detail-info")
        yield Static(id="detail-notice")
        yield Static(id="detail-terms")
        yield Static(id="detail-rejections")
        yield Static(id="detail-evidence")
        yield Static(id="detail-suggestions")
        yield Static(id="detail-notes")
        yield Static(id="detail-concordance")

    def clear(self, message: str) -> None:
        self.query_one("#detail-info", Static).update(message)
        for name in ("notice", "terms", "rejections", "evidence", "suggestions", "notes", "concordance"):
            self.query_one(f"#detail-{name}", Static).update("")
        self.remove_class("conflict")

    def show(self, view: DetailView) -> None:
        c = view.concept
        width = max(self.scrollable_content_region.width, 20)
        info = Text()
        info.append(f"#{c.id}", "bold")
        info.append(f"  v{c.version}  {c.status}  score {c.score:.2f}  origin {c.origin}")
        if c.subject_field:
            info.append(f"  field {c.subject_field}")
        if c.updated_by:
            info.append(f"  last by {c.updated_by}")
        self.query_one("#detail-info", Static).update(info)
        self.query_one("#detail-notice", Static).update(Text(view.notice, "bold") if view.notice else "")
        self.set_class(bool(view.notice), "conflict")
        self.query_one("#detail-terms", Static).update(self._terms(view))
        self.query_one("#detail-evidence", Static).update(self._evidence(c, width))
        for name, text in (
            ("rejections", self._rejections(view, width)),
            ("suggestions", self._suggestions(view, width)),
            ("notes", self._notes(c, width)),
        ):
            widget = self.query_one(f"#detail-{name}", Static)
            widget.update(text)
            widget.display = bool(text)
        self.query_one("#detail-concordance", Static).update(self._concordance(view, width))

    @staticmethod
    def _section(title: str) -> Text:
        out = Text()
        out.append(title, "bold underline")  # the title only: lines appended after stay plain
        return out

    def _terms(self, view: DetailView) -> Text:
        out = Text()
        selected = view.term
        for code in languages.CODES:
            out.append(f"{code}  ", "bold")
            terms = [t for t in view.terms if t.lang == code]
            if not terms:
                out.append("— missing (i adds)", "italic")
            for n, term in enumerate(terms):
                if n:
                    out.append("  ")
                label = f"{TERM_MARK.get(term.status, '?')}{term.text}"
                if term.pos:
                    label += f" ({term.pos})"
                out.append(f"[{label}]" if term is selected else label, "reverse bold" if term is selected else "")
                count = view.counts.get(term.id or 0)
                if count is not None:
                    out.append(" " + count_label(count), "dim")
            out.append("\n")
        out.rstrip()
        return out

    def _evidence(self, c: Concept, width: int) -> Text:
        out = self._section("Evidence")
        groups = readable(c.evidence)
        if not groups:
            out.append("\n  none")
        label_width = max((len(g[0].signal.label) for g in groups), default=0)
        for group in groups:
            for n, line in enumerate(group):
                label = group[0].signal.label if n == 0 else ""
                out.append("\n  ")
                out.append(f"{label:<{label_width}}", "bold")
                rest = f" {line.score:4.2f} {line.pair:<5} {line.text}"
                out.append(head(rest, width - 2 - label_width))
        return out

    def _rejections(self, view: DetailView, width: int) -> Text:
        """A pairing proposed again after a rejection (the team setting rejections-needed lets
        it come back): who rejected what, and how many rejections keep it out."""
        found = view.rejections
        if found is None or not found.earlier:
            return Text()
        terms = {(t.lang, t.key): t.text for t in view.concept.terms}
        reviewers = len(found.reviewers)
        out = self._section(
            f"Rejected before by {reviewers} reviewer{'s' if reviewers != 1 else ''}"
            f" (the team keeps a pairing out after {found.needed})"
        )
        for r in found.earlier:
            shared = " + ".join(f"{code} {terms.get((code, key), key)}" for code, key in r.shared)
            out.append("\n" + head(f"  #{r.concept_id} by {r.reviewer or '?'}: {shared}", width))
        return out

    def _suggestions(self, view: DetailView, width: int) -> Text:
        mt = view.mt
        if not mt and not view.suggestions:
            return Text()
        title = "Suggestions (not evidence: y accepts the marked one, i adds any term)" if view.suggestions else (
            "Suggestions (not evidence: a reviewer adds them with i)"
        )
        out = self._section(title)
        chosen = view.suggestion
        for n, s in enumerate(view.suggestions, 1):
            mark = "▸" if s is chosen else " "
            line = head(f" {mark}{n}. {s.lang}  {s.text}  ({s.origin})", width)
            out.append("\n" + line, "bold" if s is chosen else "")
        for m in mt:
            score = "" if m.score is None else f"  {m.score:.2f}"
            out.append("\n" + head(f"  MT {m.src_lang}→{m.tgt_lang}  {m.text}{score}  ({m.model})", width))
        return out

    def _notes(self, c: Concept, width: int) -> Text:
        if not c.notes:
            return Text()
        out = self._section("Notes")
        for n in c.notes:
            date = (n.created_at or "")[:10]
            out.append("\n" + head(f"  {n.author or '?'} {date}: {n.text}", width))
        return out

    def _concordance(self, view: DetailView, width: int) -> Text:
        term = view.term
        out = self._section("Concordance")
        if term is None:
            return out
        if not view.concordance_total:
            out.append(f"\n{term.lang} {term.text}: not in the corpus")
        else:
            first = view.concordance_offset + 1
            last = view.concordance_offset + len(view.concordance)
            docs = view.concordance_count.documents
            out.append(
                f"\n{term.lang} {term.text}  {first}–{last} of {view.concordance_total}"
                f" in {docs} document{'s' if docs != 1 else ''}  ([ ] page)"
            )
            shown: int | None = None
            for line in view.concordance:
                if line.document_id != shown:  # the document named once over its lines
                    shown = line.document_id
                    out.append("\n")
                    out.append(head(f"  {line.title}", width), "italic")
                out.append("\n")
                out.append_text(kwic(line, width, "    "))
        if view.parallel:
            out.append("\n")
            out.append("The concept in the other languages", "bold")
            for other, occurrence in view.parallel:
                out.append("\n")
                if occurrence is None:
                    out.append(head(f"  {other.lang}  {other.text}: not in the corpus", width), "dim")
                else:
                    out.append_text(kwic(occurrence, width, f"  {other.lang}"))
        return out


def count_label(count: TermCount) -> str:
    """``21×/2 docs``: occurrences in the corpus and the documents they are in."""
    if not count.freq:
        return "0×"
    return f"{count.freq}×/{count.documents} doc{'s' if count.documents != 1 else ''}"


#: Share of a concordance line left of the term: every line puts the term at the same column.
KWIC_LEFT_SHARE = 0.4


def kwic(line: Occurrence, width: int, gutter: str = "  ") -> Text:
    """Key word in context, aligned on the term: the left context fills a fixed number of
    cells (cut at its start, padded on the left), so the terms of a page stand in one column."""
    room = max(width - cell_len(gutter) - 1, 10)
    left_width = int(room * KWIC_LEFT_SHARE)
    hit = head(line.sentence[line.start : line.end], room - left_width)
    left = tail(line.sentence[: line.start].lstrip(), left_width)
    right = head(line.sentence[line.end :].rstrip(), room - left_width - cell_len(hit))
    text = Text(gutter + " " + " " * (left_width - cell_len(left)) + left)
    text.append(hit, "bold reverse")
    text.append(right)
    return text
