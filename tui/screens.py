"""The review screen (table + detail + prompt) and the help screen."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

from termalign import lang as languages
from termalign.errors import ConflictError, TermalignError
from termalign import review
from termalign.store.concepts import load_concept
from termalign.review import Filters, Outcome, ProposalList
from termalign.tui.widgets import DetailPane, DetailView, Prompt, ProposalTable

CONCORDANCE_PAGE = 3

KEY_NAMES = {
    "down": "↓", "up": "↑", "left": "←", "right": "→", "asterisk": "*", "question_mark": "?",
    "slash": "/", "left_square_bracket": "[", "right_square_bracket": "]", "pagedown": "PgDn",
    "pageup": "PgUp", "home": "Home", "end": "End", "escape": "Esc", "space": "Space",
}


def key_label(keys: str) -> str:
    """``"j,down"`` → ``"j ↓"``: how the help screen shows a binding's keys."""
    return " ".join(KEY_NAMES.get(k, k) for k in keys.split(","))


class ReviewScreen(Screen):
    """Proposals on top, the detail of the one under the cursor below; every key an action
    that is written to the store at once."""

    BINDINGS = [
        Binding("a", "approve", "Approve"),
        Binding("x", "reject", "Reject"),
        Binding("o", "reopen", "Reopen (unreviewed)", show=False),
        Binding("e", "edit", "Edit"),
        Binding("i", "add_term", "Add term", show=False),
        Binding("asterisk", "prefer", "Make preferred", key_display="*", show=False),
        Binding("h,left", "term(-1)", "Previous term", show=False),
        Binding("l,right", "term(1)", "Next term", show=False),
        Binding("m", "mark", "Mark for merge", show=False),
        Binding("M", "merge", "Merge marked into this", show=False),
        Binding("S", "split", "Split term off", show=False),
        Binding("c", "note", "Add note", show=False),
        Binding("u", "undo", "Undo"),
        Binding("ctrl+r", "redo", "Redo", show=False),
        Binding("n", "undecided(1)", "Next", tooltip="Next undecided"),
        Binding("p", "undecided(-1)", "Previous undecided", show=False),
        Binding("space", "select", "Select row", show=False),
        Binding("V", "select_all", "Select all shown", show=False),
        Binding("escape", "unselect", "Clear selection", show=False),
        Binding("A", "bulk_approve", "Approve selected", show=False),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("f", "filter", "Filter", show=False),
        Binding("F", "clear_filters", "Clear filters", show=False),
        Binding("right_square_bracket", "concordance(1)", "Concordance: next page", key_display="]", show=False),
        Binding("left_square_bracket", "concordance(-1)", "Concordance: previous page", key_display="[", show=False),
        Binding("J", "scroll_detail(1)", "Scroll detail down", show=False),
        Binding("K", "scroll_detail(-1)", "Scroll detail up", show=False),
        Binding("R", "reload", "Reload from the store", show=False),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, proposals: ProposalList, start: int = 0) -> None:
        super().__init__()
        self.proposals = proposals
        self.start = start
        self.view: DetailView | None = None
        self._mark_version: int | None = None  # the version of the merge-marked concept when marked

    @property
    def conn(self):
        return self.app.conn

    @property
    def reviewer(self) -> str:
        return self.app.reviewer

    def compose(self) -> ComposeResult:
        yield Static(id="summary")
        yield ProposalTable(self.proposals, id="proposals")
        yield DetailPane(id="detail")
        yield Prompt(id="prompt")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(ProposalTable)
        table.focus()
        table.reset(self.start)
        self._summary()

    @property
    def table(self) -> ProposalTable:
        return self.query_one(ProposalTable)

    # -- showing ------------------------------------------------------------------------
    def _summary(self) -> None:
        f = self.proposals.filters
        text = Text()
        text.append(f"{self.app.db_name}", "bold")
        text.append(f"  {self.reviewer}  {len(self.proposals)} shown")
        if f.expression():
            text.append(f"  filter: {f.expression()}")
        if f.search:
            text.append(f"  search: {f.search}")
        if self.table.selected:
            text.append(f"  {len(self.table.selected)} selected")
        if self.table.merge_mark is not None:
            text.append(f"  merge: #{self.table.merge_mark}")
        self.query_one("#summary", Static).update(text)

    def on_proposal_table_highlighted(self, event: ProposalTable.Highlighted) -> None:
        same = self.view is not None and event.row is not None and self.view.concept.id == event.row.id
        if same:  # the row was redrawn, not left: keep the term cursor and any notice
            self._load_detail(event.row.id, term_index=self.view.term_index, notice=self.view.notice)
        else:
            self._load_detail(event.row.id if event.row else None)
        review.save_position(self.conn, self.reviewer, event.row.id if event.row else None, self.proposals.filters)

    def _load_detail(self, concept_id: int | None, *, term_index: int = 0, notice: str = "") -> None:
        pane = self.query_one(DetailPane)
        concept = load_concept(self.conn, concept_id) if concept_id is not None else None
        if concept is None:
            self.view = None
            pane.clear("No proposal here. F clears filters, / searches." if not len(self.proposals) else "")
            return
        self.view = DetailView(concept, term_index=min(term_index, max(len(concept.terms) - 1, 0)), notice=notice)
        self.view.mt = review.mt_suggestions(self.conn, concept.id)
        self._load_concordance(0)
        pane.show(self.view)

    def _load_concordance(self, offset: int) -> None:
        view = self.view
        term = view.term if view else None
        if term is None:
            return
        total, lines = review.concordance(self.conn, term.lang, term.text, offset, CONCORDANCE_PAGE)
        view.concordance_total, view.concordance_offset, view.concordance = total, offset, lines

    def _after(self, outcome: Outcome | None, *, advance: bool = False, focus: int | None = None) -> None:
        """Re-read exactly the concepts an action touched, and move on."""
        if outcome is None:
            return
        table = self.table
        shown = table.current.id if table.current else None
        self.proposals.refresh(outcome.touched)
        table.selected -= set(outcome.deleted)
        if table.merge_mark in outcome.deleted:
            table.merge_mark = None
        target = focus if focus is not None else shown
        index = self.proposals.index_of(target) if target is not None else None
        if index is None:
            index = table.cursor  # the row left the listing: the next one slides into place
        elif advance:
            index += 1
        term_index = self.view.term_index if self.view and not advance else 0
        table.rows_changed(index)
        if table.current is not None and table.current.id == target:
            self._load_detail(target, term_index=term_index)
        self._summary()

    def _act(self, action: Callable[[], Outcome | None], **after) -> None:
        """Run one store action; a conflict is refused with a notice and the fresh state."""
        try:
            outcome = action()
        except ConflictError as exc:
            self.app.bell()
            self.notify(str(exc), title="Conflict: not saved", severity="error", timeout=8)
            current = self.table.current
            if current is not None:
                self.proposals.refresh([current.id])
                self.table.rows_changed()
                self._load_detail(
                    self.table.current.id if self.table.current else None,
                    notice=f"Not saved: {exc}. This is the current state.",
                )
            return
        except TermalignError as exc:
            self.notify(str(exc), title="Not saved", severity="warning")
            return
        self._after(outcome, **after)

    def _needs_concept(self) -> DetailView | None:
        if self.view is None:
            self.notify("No proposal selected", severity="warning")
        return self.view

    # -- decisions ----------------------------------------------------------------------
    def _status(self, status: str, advance: bool) -> None:
        if view := self._needs_concept():
            c = view.concept
            self._act(lambda: review.set_status(self.conn, c.id, status, version=c.version, reviewer=self.reviewer), advance=advance)

    def action_approve(self) -> None:
        self._status("approved", advance=True)

    def action_reject(self) -> None:
        self._status("rejected", advance=True)

    def action_reopen(self) -> None:
        self._status("unreviewed", advance=False)

    def action_edit(self) -> None:
        if (view := self._needs_concept()) and view.term:
            self.query_one(Prompt).ask("edit", f"edit {view.term.lang}:", view.term.text)

    def action_add_term(self) -> None:
        if view := self._needs_concept():
            missing = [code for code in languages.CODES if not view.concept.terms_in(code)]
            lang = missing[0] if missing else (view.term.lang if view.term else languages.CODES[0])
            hint = f"missing: {', '.join(missing)}" if missing else "adds a variant"
            self.query_one(Prompt).ask("add", "add term:", f"{lang}: ", placeholder=f"lang: text ({hint})")

    def action_note(self) -> None:
        if self._needs_concept():
            self.query_one(Prompt).ask("note", "note:")

    def action_prefer(self) -> None:
        if (view := self._needs_concept()) and view.term:
            c, term = view.concept, view.term
            self._act(lambda: review.set_preferred(self.conn, c.id, term.id, version=c.version, reviewer=self.reviewer))

    def action_term(self, step: int) -> None:
        if self.view and self.view.terms:
            self.view.term_index = (self.view.term_index + step) % len(self.view.terms)
            self._load_concordance(0)
            self.query_one(DetailPane).show(self.view)

    def action_split(self) -> None:
        if (view := self._needs_concept()) and view.term:
            c, term = view.concept, view.term
            self._act(lambda: review.split(self.conn, c.id, term.id, version=c.version, reviewer=self.reviewer))

    def action_mark(self) -> None:
        if view := self._needs_concept():
            table = self.table
            if table.merge_mark == view.concept.id:
                table.merge_mark, self._mark_version = None, None
            else:
                table.merge_mark, self._mark_version = view.concept.id, view.concept.version
            table.refresh()
            self._summary()

    def action_merge(self) -> None:
        view, table = self._needs_concept(), self.table
        if view is None:
            return
        if table.merge_mark is None:
            self.notify("Mark the concept to merge with m first, then press M on the one to keep", severity="warning")
            return
        source, source_version, c = table.merge_mark, self._mark_version, view.concept
        self._act(
            lambda: review.merge(
                self.conn, c.id, source, target_version=c.version, source_version=source_version, reviewer=self.reviewer
            ),
            focus=c.id,
        )

    def action_undo(self) -> None:
        self._history(review.undo, "Nothing to undo")

    def action_redo(self) -> None:
        self._history(review.redo, "Nothing to redo")

    def _history(self, step: Callable[..., Outcome | None], empty: str) -> None:
        def run() -> Outcome | None:
            outcome = step(self.conn, reviewer=self.reviewer)
            if outcome is None:
                self.notify(empty, severity="warning")
            else:
                self.notify(f"{outcome.action}: concept #{outcome.concept_id or ', '.join(map(str, outcome.changed))}")
            return outcome

        done: list[Outcome | None] = []

        def run_and_keep() -> Outcome | None:
            done.append(run())
            return done[-1]

        current = self.table.current
        self._act(run_and_keep, focus=current.id if current else None)
        if done and done[0] is not None and done[0].concept_id is not None:
            index = self.proposals.index_of(done[0].concept_id)
            if index is not None:  # show the concept that changed back
                self.table.cursor = index

    # -- selection and bulk -------------------------------------------------------------
    def action_select(self) -> None:
        table = self.table
        if (row := table.current) is not None:
            table.selected ^= {row.id}
            table.cursor = table._clamp(table.cursor + 1)
            self._summary()

    def action_select_all(self) -> None:
        self.table.selected = set(self.proposals.ids)
        self.table.refresh()
        self._summary()

    def action_unselect(self) -> None:
        self.table.selected.clear()
        self.table.merge_mark = None
        self.table.refresh()
        self._summary()

    def action_bulk_approve(self) -> None:
        table = self.table
        if not table.selected:
            self.notify("Select rows with Space (or all shown with V) first", severity="warning")
            return
        ids = sorted(table.selected)
        # The versions the reviewer saw: the rows as the table shows them.
        versions = {cid: row.version for cid in ids if (row := self._shown_row(cid)) is not None}
        outcome = None

        def run() -> Outcome:
            nonlocal outcome
            outcome = review.bulk_approve(self.conn, versions, reviewer=self.reviewer)
            return outcome

        self._act(run)
        if outcome is not None:
            table.selected.clear()
            self.proposals.refresh(outcome.refused)
            table.rows_changed()
            self._summary()
            if outcome.conflicts:
                self.notify(
                    f"{len(outcome.changed)} approved; {len(outcome.conflicts)} refused (changed since shown): "
                    + "; ".join(outcome.conflicts[:3]),
                    title="Conflict", severity="error", timeout=8,
                )
            else:
                self.notify(f"{len(outcome.changed)} approved")

    def _shown_row(self, concept_id: int):
        index = self.proposals.index_of(concept_id)
        return self.proposals.row(index) if index is not None else None

    # -- navigation, search, filters ----------------------------------------------------
    def action_undecided(self, step: int) -> None:
        index = self.proposals.next_undecided(self.table.cursor, step)
        if index is None:
            self.notify("No more undecided proposals this way", severity="information")
        else:
            self.table.cursor = index

    def action_concordance(self, step: int) -> None:
        view = self.view
        if view is None or not view.concordance_total:
            return
        offset = view.concordance_offset + step * CONCORDANCE_PAGE
        if 0 <= offset < view.concordance_total:
            self._load_concordance(offset)
            self.query_one(DetailPane).show(view)

    def action_scroll_detail(self, step: int) -> None:
        pane = self.query_one(DetailPane)
        pane.scroll_relative(y=step * 3, animate=False)

    def action_search(self) -> None:
        self.query_one(Prompt).ask(
            "search", "search:", self.proposals.filters.search, placeholder="text in any language (empty clears)"
        )

    def action_filter(self) -> None:
        self.query_one(Prompt).ask(
            "filter", "filter:", self.proposals.filters.expression(),
            placeholder="status:unreviewed missing:en score:0.5-0.9 origin:align",
        )

    def action_clear_filters(self) -> None:
        self._apply_filters(Filters())

    def action_reload(self) -> None:
        self._apply_filters(self.proposals.filters)

    def _apply_filters(self, filters: Filters) -> None:
        current = self.table.current
        self.proposals.reload(filters)
        index = self.proposals.index_of(current.id) if current else None
        self.table.selected.clear()
        self.table.reset(index or 0)
        self._summary()

    def on_prompt_answered(self, event: Prompt.Answered) -> None:
        self.table.focus()
        value, view = event.value, self.view
        if event.purpose == "search":
            self._apply_filters(replace(self.proposals.filters, search=value.strip()))
        elif event.purpose == "filter":
            try:
                filters = Filters.parse(value, search=self.proposals.filters.search)
            except TermalignError as exc:
                self.notify(str(exc), title="Filter not applied", severity="warning")
                return
            self._apply_filters(filters)
        elif event.purpose == "edit" and view and view.term:
            c, term = view.concept, view.term
            if value.strip() != term.text:
                self._act(lambda: review.edit_term(self.conn, c.id, term.id, value, version=c.version, reviewer=self.reviewer))
        elif event.purpose == "add" and view:
            lang, sep, text = value.partition(":")
            if not sep or lang.strip() not in languages.CODES:
                self.notify(f"Write the language first: km: …  ({', '.join(languages.CODES)})", severity="warning")
                return
            c = view.concept
            self._act(lambda: review.add_term(self.conn, c.id, lang.strip(), text, version=c.version, reviewer=self.reviewer))
        elif event.purpose == "note" and view and value.strip():
            c = view.concept
            self._act(lambda: review.add_note(self.conn, c.id, value, version=c.version, reviewer=self.reviewer))

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(help_rows([self.table, self])))

    def action_quit(self) -> None:
        self.app.exit()


def help_rows(nodes: Iterable) -> list[tuple[str, str]]:
    """(keys, description) for every binding of the given widgets, in declaration order."""
    rows = []
    for node in nodes:
        for binding in node.BINDINGS:
            if isinstance(binding, Binding):
                rows.append((binding.key_display or key_label(binding.key), binding.tooltip or binding.description))
    rows.append(("ctrl+p", "Command palette: export TBX/CSV, theme, quit"))
    return rows


class HelpScreen(ModalScreen):
    """Every key of the review screen, generated from its bindings."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close help")]

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        text = Text()
        text.append("Keys  (Esc or ? closes)\n", "bold")
        width = max(len(k) for k, _ in self.rows)
        for keys, description in self.rows:
            text.append(f"\n{keys:>{width}}", "bold")
            text.append(f"  {description}")
        text.append("\n\nTerm marks: ★ preferred  · admitted  ✗ deprecated.  Status: ok approved, rej rejected, ? unreviewed.")
        text.append("\nFilter words: status:unreviewed missing:en score:0.5-0.9 origin:align")
        with VerticalScroll(id="help-body"):
            yield Static(text, id="help-text")

    def action_dismiss(self) -> None:
        self.app.pop_screen()
