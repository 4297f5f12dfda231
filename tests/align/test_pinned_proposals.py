"""The proposals of an alignment run on the seeds are pinned: a faster aligner must store
exactly what the pinned aligner stored (terms with their contexts, evidence, suggestions,
scores to 4 places), proposal for proposal, in the same order.

The fixture ``tests/data/align-seeds-proposals.tsv`` holds one line per proposal; it is
written by this module run as a script — with a baseline commit's code first on the path to
check a speed change against that commit:

    git archive COMMIT | tar -x -C /tmp/base
    PYTHONPATH=/tmp/base .venv/bin/python tests/align/test_pinned_proposals.py --write

A change meant to alter proposals (a new signal, a new lexicon) rewrites it with its own
code and says so in the header; speed work never does.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from termalign.align import align
from termalign.extract import extract
from termalign.store import as_store, open_store

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "data" / "align-seeds-proposals.tsv"
#: Digits kept of every score (the aligner rounds to 4 itself).
SCORE_DIGITS = 4
HEADER = """\
# Proposals `termalign align` stores on the seeds (seeds/ ingested, extracted and aligned with
# the defaults). Pinned by the faster aligner's merge against 07a5adb (checked against 00e7495
# before it), rewritten when Thai WordNet's word pairs were added (proposals meant to change:
# the aligner of that commit wrote it). One line per proposal in
# concept-id order: the first 16 hex digits of the SHA-256 of its canonical JSON
# (terms with contexts, evidence, suggestions, scores to 4 places: see
# tests/align/test_pinned_proposals.py), its score, its terms.
# Written with: .venv/bin/python tests/align/test_pinned_proposals.py --write
"""


def canonical_proposals(conn) -> list[dict]:
    """Every stored proposal in id order, without ids and timestamps: terms with their
    contexts, evidence, suggestions, scores to :data:`SCORE_DIGITS` places (also what
    ``bench/bench_align.py`` compares between two aligners)."""
    store = as_store(conn)
    return [
        {
            "score": round(c.score, SCORE_DIGITS),
            "terms": [
                [t.lang, t.text, t.status, t.source, [[x.text, x.source] for x in t.contexts]] for t in c.terms
            ],
            "evidence": [
                [e.signal, round(e.score, SCORE_DIGITS), e.lang_a, e.lang_b, e.detail] for e in c.evidence
            ],
            "suggestions": [[s.lang, s.text, s.origin, s.detail] for s in store.suggestions_for(c.id)],
        }
        for c in store.iter_concepts(["unreviewed"])
    ]


def proposal_lines(conn) -> list[str]:
    """One line per stored proposal, in id order: digest, score, terms."""
    lines = []
    for canonical in canonical_proposals(conn):
        digest = hashlib.sha256(json.dumps(canonical, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
        terms = " | ".join(f"{lang}:{text}" for lang, text, *_ in canonical["terms"])
        lines.append(f"{digest[:16]}\t{canonical['score']}\t{terms}")
    return lines


def read_fixture() -> list[str]:
    return [line for line in FIXTURE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]


def test_seed_proposals_are_those_pinned(aligned_seeds_db):
    conn = open_store(aligned_seeds_db, create=False)
    pinned = read_fixture()
    assert len(pinned) > 300
    assert proposal_lines(conn) == pinned
    conn.close()


def write_fixture() -> None:
    import tempfile

    from termalign.ingest import ingest_paths

    with tempfile.TemporaryDirectory() as tmp:
        conn = open_store(Path(tmp) / "seeds.db")
        ingest_paths(conn, [ROOT / "seeds"])
        extract(conn)
        align(conn)
        FIXTURE.write_text(HEADER + "".join(f"{line}\n" for line in proposal_lines(conn)), encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        raise SystemExit("usage: tests/align/test_pinned_proposals.py --write")
    write_fixture()
