"""Word n-grams of the corpus as polars frames: every occurrence, counted by normalized key.

Tokens come sorted by (sentence, index). An n-gram at row *i* is built from the rows
``i .. i+n-1`` with ``shift``; it is kept when all its rows lie in one sentence and none is
punctuation. A *candidate* additionally neither starts nor ends with a function word and
contains only words of the language (Latin words inside Khmer/Thai text are *anchors*).
"""

from __future__ import annotations

import polars as pl

from termalign.lang import Language

#: Latin tokens worth anchoring on: acronyms and mixed-case names (VNeID, OCOP, DTI, iSee).
ACRONYM_RE = r"^(?:[A-Z0-9][A-Za-z0-9]*[A-Z][A-Za-z0-9]*|[a-z]+[A-Z][A-Za-z0-9]*|\d+\.\d+)$"
_CAPITALIZED_RE = r"^[A-Z][a-z]+$"


def ngram_occurrences(tokens: pl.DataFrame, language: Language, max_n: int) -> pl.DataFrame:
    """All n-gram occurrences (1 ≤ n ≤ ``max_n``) of one language's tokens.

    ``tokens`` columns: sid, doc, start, end, text, key, kind, gap (True when a space
    precedes the token inside its sentence). Result columns: key, n, sid, doc, start, end,
    surface, prefix, suffix, first, last, left, right, candidate, anchor, spec_sum, spec_n.
    """
    sep = " " if language.spaced else ""
    fw = list(language.function_words)
    starters = [language.key(w) for w in language.term_starters]
    base = tokens.lazy().with_columns(
        is_fw=pl.col("key").is_in(fw),
        is_starter=pl.col("key").is_in(starters),
        is_word=pl.col("kind") == "word",
        is_latin=(pl.col("kind") == "latin") | ((pl.col("kind") == "word") & pl.col("text").str.contains(ACRONYM_RE)),
        is_name=pl.col("text").str.contains(_CAPITALIZED_RE) & (pl.col("kind") == ("word" if language.spaced else "latin")),
    )
    frames = []
    for n in range(1, max_n + 1):
        ks = range(n)
        same = pl.lit(True)
        for k in ks[1:]:
            same = same & (pl.col("sid").shift(-k) == pl.col("sid"))
        not_punct = pl.all_horizontal([(pl.col("kind").shift(-k) != "punct") for k in ks])
        words = pl.all_horizontal([pl.col("is_word").shift(-k) for k in ks])
        latin = pl.all_horizontal([(pl.col("is_latin") | pl.col("is_name")).shift(-k) for k in ks])
        surface_parts = [pl.col("text")]
        for k in ks[1:]:
            surface_parts.append(pl.when(pl.col("gap").shift(-k)).then(pl.lit(" ")).otherwise(pl.lit("")))
            surface_parts.append(pl.col("text").shift(-k))
        frame = base.select(
            key=pl.concat_str([pl.col("key").shift(-k) for k in ks], separator=sep),
            # Latin words keep their spaces in a key, whatever the language around them.
            latin_key=pl.concat_str([pl.col("key").shift(-k) for k in ks], separator=" "),
            n=pl.lit(n, dtype=pl.Int32),
            sid=pl.col("sid"),
            doc=pl.col("doc"),
            start=pl.col("start"),
            end=pl.col("end").shift(-(n - 1)),
            surface=pl.concat_str(surface_parts),
            prefix=pl.concat_str([pl.col("key").shift(-k) for k in ks[:-1]], separator=sep) if n > 1 else pl.lit(None, pl.String),
            suffix=pl.concat_str([pl.col("key").shift(-k) for k in ks[1:]], separator=sep) if n > 1 else pl.lit(None, pl.String),
            first=pl.col("key"),
            last=pl.col("key").shift(-(n - 1)),
            left=pl.when(pl.col("sid").shift(1) == pl.col("sid")).then(pl.col("key").shift(1)),
            right=pl.when(pl.col("sid").shift(-n) == pl.col("sid")).then(pl.col("key").shift(-n)),
            # A closed edge: sentence edge, punctuation, a function word, or a space in a
            # language that writes none between words (there a space marks a phrase break).
            left_closed=(pl.col("sid").shift(1) != pl.col("sid")).fill_null(True)
            | pl.col("is_fw").shift(1).fill_null(True)
            | (pl.col("kind").shift(1) == "punct").fill_null(True)
            | pl.lit(not language.spaced) & pl.col("gap"),
            right_closed=(pl.col("sid").shift(-n) != pl.col("sid")).fill_null(True)
            | pl.col("is_fw").shift(-n).fill_null(True)
            | (pl.col("kind").shift(-n) == "punct").fill_null(True)
            | pl.lit(not language.spaced) & pl.col("gap").shift(-n).fill_null(True),
            candidate=words & ~pl.col("is_fw") & ~(pl.col("is_fw") | pl.col("is_starter")).shift(-(n - 1)),
            # In Khmer and Thai a space is a phrase break; a term seldom spans one.
            crosses_break=pl.lit(not language.spaced)
            & pl.any_horizontal([pl.col("gap").shift(-k) for k in ks[1:]] or [pl.lit(False)]).fill_null(False),
            # Khmer and Thai put the head first and make nouns of verbs with a prefix (ការ,
            # การ): a term starting with a bare verb is a clause fragment. A final verb is
            # more often a predicate than a modifier (คณะกรรมการอำนวยการ, steering committee).
            verb_start=pl.lit(bool(language.term_starters)) & (pl.col("pos") == "VERB").fill_null(False),
            verb_end=pl.lit(bool(language.term_starters) and n > 1) & (pl.col("pos").shift(-(n - 1)) == "VERB").fill_null(False),
            anchor=latin & (pl.col("is_latin") | pl.col("is_latin").shift(-(n - 1)) | pl.lit(n > 1)) & pl.lit(n <= 4),
            spec_sum=pl.sum_horizontal([pl.when(~pl.col("is_fw").shift(-k)).then(pl.col("spec").shift(-k)).otherwise(0.0) for k in ks]),
            spec_n=pl.sum_horizontal([(~pl.col("is_fw").shift(-k)).cast(pl.Int32) for k in ks]),
            # The strongest domain word inside: log frequency here times its specificity.
            component=pl.max_horizontal([pl.when(~pl.col("is_fw").shift(-k)).then(pl.col("weight").shift(-k)).otherwise(0.0) for k in ks]),
            ok=same & not_punct,
        ).filter(pl.col("ok") & pl.col("end").is_not_null())
        # Anchors in Khmer/Thai text are Latin: their key keeps the spaces between words.
        frame = frame.with_columns(key=pl.when(pl.col("anchor") & ~pl.col("candidate")).then(pl.col("latin_key")).otherwise(pl.col("key")))
        frames.append(frame.drop("ok", "latin_key"))
    # One plan for all lengths: polars runs them together on every core.
    return pl.concat(frames).collect()

