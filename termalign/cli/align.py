"""`termalign align`."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from termalign import lang as languages
from termalign.align import DEFAULT_PER_LANGUAGE
from termalign.align import align as run_align
from termalign.align.calibrate import CALIBRATION_SIGNAL, MIN_DECISIONS
from termalign.cli.common import console, db_option, json_option, print_json
from termalign.lexicon import build_lexicon
from termalign.store import as_store, open_store
from termalign.store.concepts import iter_concepts


def mt_translator(model_dir: Path | None):
    """The translator behind the MT signal, or ``None`` without a model."""
    if model_dir is None:
        return None
    # Imported here: the engine loads ctranslate2, which only MT runs need.
    from termalign.translate import Translator

    # Terms are short: no glossary enforcement, a few hypotheses are enough.
    return Translator(model_dir, enforce=(), beam_size=4, n_best=1)


def linked_documents_json(report) -> list[dict]:
    """The article pairs alignment found to tell the same story, for ``--json``."""
    return [
        {"a": a, "a_lang": la, "b": b, "b_lang": lb, "similarity": sim}
        for a, la, b, lb, sim in report.linked_documents
    ]


def score_json(report) -> dict:
    """What the proposal scores are, for ``--json``: refit on reviewers' decisions or the rule's."""
    return {
        "calibrated": report.calibrated, "decisions": report.decisions, "approved": report.approved,
        "decisions_needed": MIN_DECISIONS,
    }


def score_line(report) -> str:
    """One line saying what the proposal scores are."""
    if report.calibrated:
        return f"scores: refit on {report.decisions:,} decided proposals ({report.approved:,} approved)"
    return f"scores: the aligner's rule (refit once {MIN_DECISIONS} proposals are decided; {report.decisions:,} so far)"


def _signals(evidence) -> list[str]:
    """The signals that linked a proposal's terms (its calibration row is about the score)."""
    return sorted({e.signal for e in evidence if e.signal != CALIBRATION_SIGNAL})


def proposals_table(conn, top: int) -> Table:
    table = Table(title=f"Top {top} concept proposals", title_justify="left")
    table.add_column("score", justify="right")
    for code in languages.CODES:
        table.add_column(code, overflow="fold")
    table.add_column("signals", overflow="fold")
    store = as_store(conn)
    for cid in store.best_unreviewed_ids(top):
        c = store.load_concept(cid)
        if c is None:
            continue  # removed since the ids were listed
        cells = [" | ".join(t.text for t in c.terms_in(code)) for code in languages.CODES]
        table.add_row(f"{c.score:.2f}", *cells, ", ".join(_signals(c.evidence)))
    return table


@click.command()
@db_option
@json_option
@click.option(
    "--per-language", default=DEFAULT_PER_LANGUAGE, show_default=True, help="Best candidates of each language to align."
)
@click.option("--model", "model_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A CTranslate2 model directory: adds the MT signal and MT suggestions.")
@click.option("--lexicon", "lexicons", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Extra lexicon TSV from `termalign lexicon build` (repeatable).")
@click.option("--no-induced-lexicon", "no_induced", is_flag=True,
              help="Leave out the word pairs induced from NTREX-128/FLORES-200 (glossaries/induced/).")
@click.option("--top", default=20, show_default=True, help="Proposals to show.")
def align(
    db: str,
    as_json: bool,
    per_language: int,
    model_dir: Path | None,
    lexicons: tuple[Path, ...],
    no_induced: bool,
    top: int,
) -> None:
    """Propose concepts: align candidates across km, th, vi and en.

    Signals: known pairs and word-by-word composition (shipped base glossary, approved
    concepts, --lexicon files; word pairs induced from licensed parallel text link terms
    but make no proposal alone), Khmer–Thai cognates and romanized loanwords, shared Latin
    anchors. Each proposal stores the evidence of every signal that fired; languages the
    corpus lacks get the compositional reading as a suggestion (a term only when some
    text attests it). Decided concepts are kept;
    unreviewed proposals are replaced. Once reviewers have approved or rejected 50
    proposals, the scores are refit on those decisions (a score is then the share of such
    proposals approved). Run `termalign extract` first.
    """
    conn = open_store(db, create=False)
    lexicon = build_lexicon(conn, list(lexicons), induced=not no_induced)
    report = run_align(conn, per_language=per_language, translator=mt_translator(model_dir), lexicon=lexicon)
    if as_json:
        print_json({
            "proposals": report.proposals, "by_signal": report.by_signal, "lexicon_entries": report.lexicon_entries,
            "attested_terms": report.attested_terms,
            "suggestions": {"waiting": report.suggestions, "by_origin": report.suggestions_by_origin},
            "linked_documents": linked_documents_json(report),
            "score": score_json(report),
            "top": [
                {
                    "id": c.id,
                    "score": c.score,
                    "terms": {code: [t.text for t in c.terms_in(code)] for code in c.languages()},
                    "signals": _signals(c.evidence),
                }
                for c in sorted(iter_concepts(conn, ["unreviewed"]), key=lambda c: (-c.score, c.id))[:top]
            ],
        })
        return
    out = console()
    out.print(proposals_table(conn, top))
    signals = ", ".join(f"{k} {v}" for k, v in sorted(report.by_signal.items()))
    out.print(f"{report.proposals} proposals; signals: {signals}")
    out.print(f"{report.attested_terms:,} attested terms; {report.suggestions:,} suggestions wait for review")
    out.print(f"{len(report.linked_documents)} pairs of articles found to tell the same story")
    out.print(score_line(report))
