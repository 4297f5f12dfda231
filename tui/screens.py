"""The review screen (table + detail + prompt) and the help screen."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Literal, cast

from rich.text import Text
from termalign.tui.evidence import SIGNALS
from termalign.tui.widgets import DetailPane, DetailView, Prompt, ProposalTable
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from termalign import lang as languages
from termalign import review
from termalign.errors import ConflictError, TermalignError
from termalign.review import (
    ConceptChange,
    Filters,
    LiveChanges,
    LiveUpdates,
    Occurrence,
    Outcome,
    ProposalList,
    TermCount,
    concordance,
    term_count,
)
from termalign.store.concepts import load_concept

if TYPE_CHECKING:
    from termalign.tui.app import ReviewApp

#: Concordance lines per page: a page fills the detail pane of a 120x36 terminal.
CONCORDANCE_PAGE = 8
#: Seconds between looks for other reviewers' changes. A look costs no query while nobody else
#: commits (SQLite's data_version, PostgreSQL's LISTEN socket), so twice a second puts another
#: reviewer's decision on screen well within a second for no measurable cost per action.
LIVE_POLL_SECONDS = 0.5

KEY_NAMES = {
    "down": "↓", "up": "↑", "left": "←", "right": "→", "asterisk": "*", "question_mark": "?",
    "slash": "/", "left_square_bracket": "[", "right_square_bracket": "]", "pagedown": "PgDn",
    "pageup": "PgUp", "home": "Home", "end": "End", "escape": "Esc", "space": "Space",
}


def key_label(keys: str) -> str:
    """``"j,down"`` → ``"j ↓"``: how the help screen shows a binding's keys."""
    return " ".join(KEY_NAMES.get(k, k) for k in keys.split(","))


class CorpusLookups:
    """Corpus counts and first occurrences of terms, remembered for the session: the corpus
    does not change while a termbase is reviewed, and terms come back as the cursor moves."""

    def __init__(self, conn) -> None:
        self.conn = conn
        self._counts: dict[tuple[str, str], TermCount] = {}
        self._first: dict[tuple[str, str], Occurrence | None] = {}

    def count(self, lang: str, text: str) -> TermCount:
        if (lang, text) not in self._counts:
            self._counts[lang, text] = term_count(self.conn, lang, text)
        return self._counts[lang, text]

    def first(self, lang: str, text: str) -> Occurrence | None:
        if (lang, text) not in self._first:
            _, lines = concordance(self.conn, lang, text, 0, 1)
            self._first[lang, text] = lines[0] if lines else None
        return self._first[lang, text]


class ReviewScreen(Screen):
    """Proposals on top, the detail of the one under the cursor below; every key an action
    that is written to the store at once."""

    BINDINGS = [
        Binding("a", "approve", "Approve"),
        Binding("x", "reject", "Reject"),
        Binding("o", "reopen", "Reopen (unreviewed)", show=False),
        Binding("e", "edit", "Edit"),
        Binding("i", "add_term", "Add term", show=False),
        Binding("y", "accept_suggestion", "Accept suggestion (of the term's language, else the first)", show=False),
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
        Binding("A", "bulk('approved')", "Approve selected (unreviewed ones)", show=False),
        Binding("X", "bulk('rejected')", "Reject selected (unreviewed ones)", show=False),
        Binding("d", "deprecate", "Deprecate / undeprecate term", show=False),
        Binding("D", "delete_term", "Delete term (variant)", show=False),
        Binding("P", "pos", "Part of speech of term", show=False),
        Binding("T", "subject_field", "Subject field of concept", show=False),
        Binding("H", "concept_history", "History of concept", show=False),
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

    def __init__(self, proposals: ProposalList, start: int = 0, live: LiveUpdates | None = None) -> None:
        super().__init__()
        self.proposals = proposals
        self.corpus = CorpusLookups(proposals.conn)
        self.start = start
        self.live = live
        self.live_timer: Timer | None = None
        self.view: DetailView | None = None
        self._mark_version: int | None = None  # the version of the merge-marked concept when marked

    @property
    def review_app(self) -> ReviewApp:
        return cast("ReviewApp", self.app)

    @property
    def conn(self) -> sqlite3.Connection:
        return self.review_app.conn

    @property
    def reviewer(self) -> str:
        return self.review_app.reviewer

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
        if self.live is not None:
            self.live_timer = self.set_interval(LIVE_POLL_SECONDS, self.poll_live)

    @property
    def table(self) -> ProposalTable:
        return self.query_one(ProposalTable)

    # -- showing ------------------------------------------------------------------------
    def _summary(self) -> None:
        f = self.proposals.filters
        text = Text()
        text.append(f"{self.review_app.db_name}", "bold")
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
        if same and self.view is not None and event.row is not None and self.view.concept.version == event.row.version:
            pass  # the row was redrawn and the pane shows this very version already
        elif same and self.view is not None and event.row is not None:
            # the row changed under the cursor: keep the term cursor and any notice
            term = self.view.term
            term_id = term.id if term else None
            self._load_detail(event.row.id, term_index=self.view.term_index, term_id=term_id, notice=self.view.notice)
        else:
            if self.view is not None:  # the reviewer has seen the change marked on the row left
                self.table.changed.pop(self.view.concept.id, None)
            self._load_detail(event.row.id if event.row else None)
        review.save_position(self.conn, self.reviewer, event.row.id if event.row else None, self.proposals.filters)

    def _load_detail(
        self, concept_id: int | None, *, term_index: int = 0, term_id: int | None = None, notice: str = "",
        concordance_offset: int = 0,
    ) -> None:
        """Show a concept; the term cursor stays on ``term_id`` where it still exists (a
        deprecated term moves in the order), else at ``term_index``. A concept another reviewer
        changed says so, unless ``notice`` says something else."""
        pane = self.query_one(DetailPane)
        concept = load_concept(self.conn, concept_id) if concept_id is not None else None
        if concept is None:
            self.view = None
            pane.clear("No proposal here. F clears filters, / searches." if not len(self.proposals) else "")
            return
        change = self.table.changed.get(concept.id) if concept.id is not None else None
        notice = notice or (changed_notice(change) if change else "")
        self.view = DetailView(concept, term_index=min(term_index, max(len(concept.terms) - 1, 0)), notice=notice)
        ids = [t.id for t in self.view.terms]
        if term_id in ids:
            self.view.term_index = ids.index(term_id)
        assert concept.id is not None
        self.view.mt = review.mt_suggestions(self.conn, concept.id)
        self.view.suggestions = review.term_suggestions(self.conn, concept.id)
        self.view.rejections = review.earlier_rejections(self.conn, concept.id)
        self.view.counts = {t.id: self.corpus.count(t.lang, t.text) for t in concept.terms if t.id is not None}
        self._load_concordance(concordance_offset)
        if concordance_offset and not self.view.concordance:  # the page is gone: back to the first
            self._load_concordance(0)
        pane.show(self.view)

    def _load_concordance(self, offset: int) -> None:
        view = self.view
        term = view.term if view else None
        if view is None or term is None:
            return
        count, lines = concordance(self.conn, term.lang, term.text, offset, CONCORDANCE_PAGE)
        view.concordance_count, view.concordance_offset, view.concordance = count, offset, lines
        preferred = {t.lang: t for t in reversed(view.terms)}  # the first of each language wins
        view.parallel = [
            (other, self.corpus.first(other.lang, other.text))
            for code, other in sorted(preferred.items(), key=lambda kv: languages.CODES.index(kv[0]))
            if code != term.lang
        ]

    # -- other reviewers' changes -------------------------------------------------------
    def poll_live(self) -> None:
        """Look for other reviewers' changes now (a timer does, every :data:`LIVE_POLL_SECONDS`)."""
        if self.live is None:
            return
        try:
            found = self.live.poll()
        except TermalignError as exc:
            self.notify(str(exc), title="Live updates", severity="warning")
            return
        if found is not None:
            self.show_changes(found)

    def show_changes(self, found: LiveChanges) -> None:
        """Another reviewer changed concepts: re-read them as an action of one's own re-reads
        what it touched, mark their rows and say what changed. The cursor stays on its concept
        and an open prompt keeps its text; while a prompt is open the detail keeps its concept
        even if that left the listing (what the prompt saves is about it)."""
        table = self.table
        shown = table.current
        if found.everything:
            self.proposals.reload()
        else:
            self.proposals.refresh(found.concept_ids)
        table.changed.update(found.changes)
        table.selected -= {
            cid for cid in found.concept_ids & table.selected if self.proposals.index_of(cid) is None
        }
        mark = found.changes.get(table.merge_mark) if table.merge_mark is not None else None
        if mark is not None and mark.gone:
            table.merge_mark = None
        index = self.proposals.index_of(shown.id) if shown is not None else None
        prompting = bool(self.query_one(Prompt).purpose)
        view = self.view
        if view is not None and (found.everything or view.concept.id in found.concept_ids):
            change = found.changes.get(view.concept.id)
            stored = self.proposals.rows_of([view.concept.id]).get(view.concept.id)
            if stored is None:  # merged away or deleted: nothing to read, say so, keep what was shown
                view.notice = changed_notice(change) if change else f"#{view.concept.id} no longer exists."
                self.query_one(DetailPane).show(view)
            elif stored.version != view.concept.version and (index is not None or prompting):
                term_id = view.term.id if view.term else None
                self._load_detail(
                    view.concept.id, term_index=view.term_index, term_id=term_id,
                    notice=changed_notice(change) if change else view.notice,
                    concordance_offset=view.concordance_offset,
                )
        notices = [found.notice()] if found.changes or found.everything else []
        if index is None and prompting:
            table.rows_redrawn()
        else:
            table.rows_changed(index)  # the concept left the listing: the next one slides into place
            if shown is not None and index is None:
                notices.append(f"#{shown.id} left the list: the cursor is on the next one")
        if notices:
            self.notify("; ".join(notices), title="Changed by another reviewer", timeout=8)
        self._summary()

    def _after(
        self, outcome: Outcome | None, *, advance: bool = False, focus: int | None = None,
        show_term: tuple[str, str] | None = None,
    ) -> None:
        """Re-read exactly the concepts an action touched, and move on."""
        if outcome is None:
            return
        table = self.table
        shown = table.current.id if table.current else None
        self.proposals.refresh(outcome.touched)
        for cid in outcome.touched:  # acted on: another reviewer's earlier change has been seen
            table.changed.pop(cid, None)
        # a selected concept the action took out of the listing is no longer "shown": bulk skips it
        table.selected -= {
            cid for cid in outcome.touched if cid in table.selected and self.proposals.index_of(cid) is None
        }
        if table.merge_mark in outcome.deleted:
            table.merge_mark = None
        target = focus if focus is not None else shown
        index = self.proposals.index_of(target) if target is not None else None
        if index is None:
            index = table.cursor  # the row left the listing: the next one slides into place
            gone = target is not None and target not in outcome.deleted and not advance
            if gone and (self.proposals.filters.expression() or self.proposals.filters.search):
                self.notify(f"#{target} no longer matches the filter and left the list (F shows all)")
        elif advance:
            index += 1
        term_index = self.view.term_index if self.view and not advance else 0
        term_id = self.view.term.id if self.view and self.view.term and not advance else None
        if show_term is not None and self.view is not None:  # the term just added, once it exists
            lang, key = show_term
            concept = load_concept(self.conn, self.view.concept.id)
            added = [t.id for t in concept.terms if t.lang == lang and t.key == key] if concept else []
            term_id = added[0] if added else term_id
        table.rows_changed(index)
        if table.current is not None and table.current.id == target:
            self._load_detail(target, term_index=term_index, term_id=term_id)
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
            self._act(
                lambda: review.set_status(self.conn, c.id, status, version=c.version, reviewer=self.reviewer),
                advance=advance,
            )

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
            # The language is typed, never guessed: a pre-filled one took a Vietnamese term as Thai.
            missing = [code for code in languages.CODES if not view.concept.terms_in(code)]
            hint = f"missing: {' '.join(missing)}" if missing else "adds a variant"
            codes = " ".join(languages.CODES)
            self.query_one(Prompt).ask("add", f"add term ({codes}):", "", placeholder=f"lang: text — {hint}")

    def action_accept_suggestion(self) -> None:
        if view := self._needs_concept():
            suggestion = view.suggestion
            if suggestion is None or suggestion.id is None:
                self.notify("No suggestion to accept for this concept", severity="warning")
                return
            c, sid = view.concept, suggestion.id

            def accept() -> Outcome:
                outcome = review.accept_suggestion(self.conn, sid, version=c.version, reviewer=self.reviewer)
                self.notify(f"Accepted {suggestion.lang} {suggestion.text} ({suggestion.origin}) as a term (u undoes)")
                return outcome

            self._act(accept, show_term=(suggestion.lang, suggestion.key))

    def action_note(self) -> None:
        if self._needs_concept():
            self.query_one(Prompt).ask("note", "note:")

    def action_prefer(self) -> None:
        if (view := self._needs_concept()) and view.term:
            c, term = view.concept, view.term
            self._act(lambda: review.set_preferred(self.conn, c.id, term.id, version=c.version, reviewer=self.reviewer))

    def _term_action(self, action: Callable[..., Outcome]) -> None:
        if (view := self._needs_concept()) and view.term:
            c, term = view.concept, view.term
            self._act(lambda: action(self.conn, c.id, term.id, version=c.version, reviewer=self.reviewer))

    def action_deprecate(self) -> None:
        if self.view and self.view.term:
            self._term_action(review.undeprecate if self.view.term.status == "deprecated" else review.deprecate)

    def action_delete_term(self) -> None:
        self._term_action(review.delete_term)

    def action_pos(self) -> None:
        if (view := self._needs_concept()) and view.term:
            self.query_one(Prompt).ask(
                "pos", f"part of speech of {view.term.text}:", view.term.pos or "",
                placeholder=" ".join(review.PARTS_OF_SPEECH) + " (empty clears)",
            )

    def action_subject_field(self) -> None:
        if view := self._needs_concept():
            self.query_one(Prompt).ask(
                "field", "subject field:", view.concept.subject_field or "",
                placeholder="e-government, taxation … (empty clears)",
            )

    def action_concept_history(self) -> None:
        if view := self._needs_concept():
            cid = view.concept.id
            entries = review.concept_history(self.conn, cid)
            rows = [(e.at[:16].replace("T", " "), e.reviewer, review.describe(e, cid)) for e in entries]
            self.app.push_screen(HistoryScreen(cid, rows))

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
        if table.merge_mark is None or self._mark_version is None:
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
                self.notify(one_line_outcome(outcome))
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

    def action_bulk(self, status: str) -> None:
        """Approve or reject the selected rows: the unreviewed ones, and — after a confirm
        that counts them — the ones already decided otherwise."""
        table = self.table
        if not table.selected:
            self.notify("Select rows with Space (or all shown with V) first", severity="warning")
            return
        # The versions the reviewer saw: the rows as the table shows them.
        rows = list(self.proposals.rows_of(sorted(table.selected)).values())
        versions = {row.id: row.version for row in rows}
        decided = [row for row in rows if row.status not in ("unreviewed", status)]
        if not decided:
            self._bulk(status, versions, overturn=False)
            return
        verb = "approve" if status == "approved" else "reject"
        undecided = sum(row.status == "unreviewed" for row in rows)
        question = (
            f"{len(rows)} selected: {undecided} unreviewed, {len(decided)} already "
            + ("rejected" if status == "approved" else "approved")
            + f".\n\ny  {verb} the {undecided} unreviewed only"
            + f"\no  also overturn the {len(decided)} decisions\nEsc  cancel"
        )

        def answered(choice: str | None) -> None:
            if choice in ("y", "o"):
                self._bulk(status, versions, overturn=choice == "o")

        self.app.push_screen(ConfirmScreen(question, ("y", "o")), answered)

    def _bulk(self, status: str, versions: dict[int, int], *, overturn: bool) -> None:
        table = self.table
        done: list[Outcome] = []

        def run() -> Outcome:
            done.append(review.bulk_set_status(self.conn, versions, status, reviewer=self.reviewer, overturn=overturn))
            return done[-1]

        self._act(run)
        if not done:
            return
        outcome = done[0]
        table.selected.clear()
        self.proposals.refresh(outcome.refused)
        table.rows_changed()
        self._summary()
        severity: Literal["error", "information"] = "error" if outcome.conflicts else "information"
        self.notify(one_line_outcome(outcome), title="Conflict" if outcome.conflicts else "", severity=severity)

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
        self.call_after_refresh(self.table.scroll_to_cursor)  # once the new size is laid out
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
                self._act(
                    lambda: review.edit_term(self.conn, c.id, term.id, value, version=c.version, reviewer=self.reviewer)
                )
        elif event.purpose == "add" and view:
            lang, sep, text = value.partition(":")
            if not sep or lang.strip() not in languages.CODES:
                self.notify(f"Write the language first: km: …  ({', '.join(languages.CODES)})", severity="warning")
                return
            c = view.concept
            code = lang.strip()
            self._act(
                lambda: review.add_term(self.conn, c.id, code, text, version=c.version, reviewer=self.reviewer),
                show_term=(code, languages.get(code).key(text)),
            )
        elif event.purpose == "pos" and view and view.term:
            c, term = view.concept, view.term
            self._act(
                lambda: review.set_pos(self.conn, c.id, term.id, value, version=c.version, reviewer=self.reviewer)
            )
        elif event.purpose == "field" and view:
            c = view.concept
            self._act(
                lambda: review.set_subject_field(self.conn, c.id, value, version=c.version, reviewer=self.reviewer)
            )
        elif event.purpose == "export" and value.strip():
            self.review_app.export_to(value.strip())
        elif event.purpose == "note" and view and value.strip():
            c = view.concept
            self._act(lambda: review.add_note(self.conn, c.id, value, version=c.version, reviewer=self.reviewer))
        current = self.table.current
        if self.view is not None and current is not None and self.view.concept.id != current.id:
            self._load_detail(current.id)  # the concept left the listing while the prompt was open

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

    BINDINGS = [Binding("escape,question_mark,q", "close", "Close help")]

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
        text.append("\n\nTerm marks: ★ preferred  · admitted  ✗ deprecated.")
        text.append("\nRow marks: + selected, m marked for merge, ! changed by another reviewer (until seen).")
        text.append("\nStatus: ok approved, rej rejected, ? unreviewed.")
        text.append("\nBeside a term: 21×/2 docs = 21 occurrences in the corpus, in 2 documents.")
        text.append("\nFilter words: status:unreviewed missing:en score:0.5-0.9 origin:align")
        text.append("\n\nEvidence signals (the table's signals column shows the code)\n", "bold")
        for sig in SIGNALS.values():
            text.append(f"\n{sig.code:>4} ", "bold")
            text.append(f"{sig.label}: {sig.meaning}")
        text.append("\nSuggestions (MT, composition) are shown apart: they are not evidence;")
        text.append("\ny accepts the marked one (▸: of the term's language, else the first) as a term.")
        with VerticalScroll(id="help-body"):
            yield Static(text, id="help-text")

    def action_close(self) -> None:
        self.app.pop_screen()


def changed_notice(change: ConceptChange) -> str:
    """The detail pane's line for a concept another reviewer changed."""
    if change.gone:
        return f"#{change.concept_id} was {change.summary}: it no longer exists."
    return f"Changed by {change.reviewer}: {change.detail}"


def one_line_outcome(outcome: Outcome) -> str:
    """A notice of one line for any outcome, however many concepts it touched."""
    names = {"bulk_approve": "approved", "bulk_reject": "rejected"}
    if outcome.action in names:
        text = f"{len(outcome.changed)} {names[outcome.action]}"
        if outcome.skipped:
            text += f"; {len(outcome.skipped)} already decided left as they were"
        if outcome.conflicts:
            text += f"; {len(outcome.conflicts)} refused (changed since shown): " + "; ".join(outcome.conflicts[:2])
        return text
    touched = outcome.touched
    if outcome.concept_id is not None and len(touched) <= 2:
        return f"{outcome.action}: concept #{outcome.concept_id}"
    return f"{outcome.action}: {len(touched)} concepts"


class ConfirmScreen(ModalScreen[str | None]):
    """A question answered with one key (or Esc)."""

    BINDINGS = [Binding("escape", "answer('')", "Cancel")]

    def __init__(self, question: str, keys: tuple[str, ...]) -> None:
        super().__init__()
        self.question = question
        self.keys = keys

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="confirm-body"):
            yield Static(self.question, id="confirm-text")

    def on_key(self, event) -> None:
        if event.key in self.keys:
            event.stop()
            self.dismiss(event.key)

    def action_answer(self, key: str) -> None:
        self.dismiss(key or None)


class HistoryScreen(ModalScreen):
    """A concept's review log: who did what when, one line each."""

    BINDINGS = [Binding("escape,H,q", "close", "Close history")]

    def __init__(self, concept_id: int, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.concept_id = concept_id
        self.rows = rows

    def compose(self) -> ComposeResult:
        text = Text()
        text.append(f"History of #{self.concept_id}  (Esc closes)\n", "bold")
        if not self.rows:
            text.append("\nno review actions yet")
        for at, who, what in self.rows:
            text.append(f"\n{at}  ", "dim")
            text.append(f"{who:<10} ", "bold")
            text.append(what)
        with VerticalScroll(id="history-body"):
            yield Static(text, id="history-text")

    def action_close(self) -> None:
        self.app.pop_screen()
