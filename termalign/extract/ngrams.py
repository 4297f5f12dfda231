"""Word n-grams of the corpus as polars frames: every occurrence, counted by normalized key.

Tokens come sorted by (sentence, index). An n-gram at row *i* is built from the rows
``i .. i+n-1`` with ``shift``; it is kept when all its rows lie in one sentence and none is
punctuation. A *candidate* additionally neither starts nor ends with a function word and
contains only words of the language (Latin words inside Khmer/Thai text are *anchors*); a
*name* is a candidate that names a public body (see :func:`_name_occurrence`).
"""

from __future__ import annotations

from typing import NamedTuple

import polars as pl

from termalign import lang as languages
from termalign.extract.edges import edge_words
from termalign.lang import Language

#: Acronyms and mixed-case names (VNeID, OCOP, DTI, iSee).
_ACRONYM_SHAPES = r"[A-Z0-9][A-Za-z0-9]*[A-Z][A-Za-z0-9]*|[a-z]+[A-Z][A-Za-z0-9]*"
#: Latin tokens worth anchoring on: acronyms, mixed-case names and version numbers.
ACRONYM_RE = rf"^(?:{_ACRONYM_SHAPES}|\d+\.\d+)$"
_CAPITALIZED_RE = r"^[A-Z][a-z]+$"
_PAST_TENSE_RE = r"^[a-z]{2,}[a-df-z]ed$"
_ACRONYM_CAPS_RE = r"^[A-Z][A-Z0-9&.-]+$"
#: A short form standing for a multi-word name: an acronym or a mixed-case name (UHC, ID,
#: VssID), or a service named with a one-letter prefix (e-Visa, e-GP, m-Health); not a
#: number.
SHORT_FORM_RE = rf"^(?:{_ACRONYM_SHAPES}|[a-z]-[A-Z][A-Za-z0-9]*)$"
#: Fewest characters of an abbreviation in a language's own letters that counts as a short
#: form (กต., ក.ន.ស): one letter and its dot (น. after a time, จ. before a province) shortens
#: a common word.
MIN_ABBREVIATION_CHARS = 3
#: Tokens of the pieces n-grams are counted in (see :func:`_pieces`): each length's shifted
#: columns (30 of them, strings among them) are held for one piece at a time. 50 000 tokens
#: is a 0.3 MB Vietnamese text; the occurrences are the same whatever the size.
NGRAM_PIECE_TOKENS = 50_000
#: Opening and closing quotes and brackets: a name written between a pair is kept whole.
_QUOTE_PAIRS = {"“": "”", '"': '"', "«": "»", "‘": "’", "'": "'", "(": ")", "[": "]", "「": "」"}


def ngram_occurrences(tokens: pl.DataFrame, language: Language, max_n: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The n-gram occurrences (1 ≤ n ≤ ``max_n``) of one language's tokens that scoring
    reads, and how often every n-gram occurs (``key``, ``raw_freq``).

    Scoring reads the occurrences of candidates, anchors and names; of the others (two
    thirds of all n-grams: a function word at an edge, a verb phrase) only how often each
    occurs, as the frequency of a candidate's parts. They are counted as each length is
    computed and not kept, so memory holds the occurrences that count.

    ``tokens`` columns: sid, doc, start, end, text, key, kind, gap (True when a space
    precedes the token inside its sentence), pos, spec, weight, general_pm. Result columns: key, n,
    sid, at, doc, start, end, surface, prefix, suffix, first, last, left, right, left_closed,
    right_closed, candidate, crosses_break, verb_start, verb_end, name, quoted, grammar, anchor, short_form,
    spec_sum, inner_fw, general_pm, spec_head, spec_n, component.
    """
    # The token's place in the language's corpus: n-grams never cross a sentence, so a span
    # of m words at ``at`` lies inside one of n words at ``at'`` exactly when at' ≤ at and
    # at + m ≤ at' + n.
    tokens = tokens.with_columns(at=pl.int_range(pl.len(), dtype=pl.Int64))
    kept: list[list[pl.DataFrame]] = [[] for _ in range(max_n)]
    raw = pl.DataFrame(schema={"key": pl.String, "raw_freq": pl.UInt32})
    for piece in _pieces(tokens, NGRAM_PIECE_TOKENS):
        base = _token_flags(piece, language).collect().lazy()
        counts = [raw]
        for n in range(1, max_n + 1):
            every = _occurrences_of_length(base, language, n).collect()
            counts.append(every.group_by("key").agg(raw_freq=pl.len()))
            kept[n - 1].append(_compact(every.filter(pl.col("candidate") | pl.col("anchor") | pl.col("name"))))
            del every
        # A Khmer or Thai key of two words can be the key of one word: counted together.
        # Merged after each piece, the counts hold each distinct n-gram once.
        raw = pl.concat(counts).group_by("key").agg(pl.col("raw_freq").sum())
        del base, counts
    # By length, then by place: the order one pass over the whole corpus gives.
    # Chunks are kept as they are: joining them into one would copy every column at the peak.
    occ = pl.concat([frame for frames in kept for frame in frames], rechunk=False)
    # Of the names starting at one word only the longest is the body named there: in
    # ``ក្រសួងវិទ្យាសាស្ត្រ និងបច្ចេកវិទ្យា`` the first conjunct alone is no name.
    longest = pl.col("n") == pl.col("n").filter(pl.col("name")).max().over("sid", "start")
    return occ.with_columns(name=pl.col("name") & longest.fill_null(False)), raw


def _token_flags(tokens: pl.DataFrame, language: Language) -> pl.LazyFrame:
    """Per token, the flags the n-gram rules read: function, edge, starter and link words,
    quotes and brackets, Latin words and acronyms, capitals, the heads of names, sentence starts."""
    sep = " " if language.spaced else ""
    fw = list(language.function_words)
    no_start, no_end = (list(words) for words in edge_words(language.code))
    starters = list(language.starter_keys)
    heads = list(language.head_keys)
    links = [language.key(w) for w in language.name_links]
    term_links = [language.key(w) for w in language.term_links]
    inner_links = links + term_links
    conjunction = [language.key(language.conjunction)] if language.conjunction else []
    articles = [language.key(w) for w in language.name_articles]
    calendar = [language.key(w) for w in language.calendar_words]
    # Where the segmenter keeps names whole (กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม), a word that
    # begins with a head is a name; only heads too long to begin other words count.
    long_heads = [h for h in heads if len(h) >= 6] if language.whole_word_names else []
    # Latin words inside Khmer/Thai text are English (the pivot) more often than not.
    latin_fw = list(languages.get(languages.PIVOT).function_words) if not language.spaced else []
    return (
        tokens.lazy()
        .with_columns(
            is_fw=pl.col("key").is_in(fw),
            opens_term=~pl.col("key").is_in(no_start),
            closes_term=~pl.col("key").is_in(no_end),
            # Which closing mark a quote or bracket here would need (null elsewhere).
            closing=pl.col("text").replace_strict(_QUOTE_PAIRS, default=None, return_dtype=pl.String),
            is_starter=pl.col("key").is_in(starters),
            is_word=pl.col("kind") == "word",
            is_latin=(pl.col("kind") == "latin")
            | ((pl.col("kind") == "word") & pl.col("text").str.contains(ACRONYM_RE)),
            is_name=pl.col("text").str.contains(_CAPITALIZED_RE)
            & (pl.col("kind") == ("word" if language.spaced else "latin")),
            is_link=pl.col("key").is_in(links),
            is_conj=pl.col("key").is_in(conjunction),
            is_article=pl.col("key").is_in(articles),
            is_calendar=pl.col("key").is_in(calendar),
            # An all-capital Latin word is an acronym (WHO, IT), never an English function word.
            is_latin_fw=pl.col("key").is_in(latin_fw)
            & (pl.col("kind") == "latin")
            & ~pl.col("text").str.contains(_ACRONYM_CAPS_RE),
            # A term link may continue a term to its right (การเปลี่ยนแปลง|ทาง|ดิจิทัล): it closes
            # no right edge. Before a term it is a preposition and closes the left one.
            is_closer=pl.col("key").is_in(fw) & ~pl.col("key").is_in(term_links),
            is_inner_link=pl.col("key").is_in(inner_links),
            # A function word no term holds inside (``ក្នុង``, ``in``; ``and`` outside a name):
            # the n-gram is a free phrase. Only the curated list counts: a toolkit's broad
            # stopword list holds content words too.
            is_breaker=pl.col("key").is_in(list(language.grammatical_words)) & ~pl.col("key").is_in(term_links),
            is_cap=pl.col("text").str.contains(r"^\p{Lu}"),
            # Words an institution's head takes: 1 or 2 (a head cut in two by the segmenter).
            head_len=pl.when(pl.col("key").is_in(heads))
            .then(1)
            .when(
                (pl.col("sid").shift(-1) == pl.col("sid"))
                & pl.concat_str([pl.col("key"), pl.col("key").shift(-1)], separator=sep).is_in(heads)
            )
            .then(2)
            .otherwise(0),
            head_word=pl.any_horizontal(
                [pl.col("key").str.starts_with(h) & (pl.col("key").str.len_chars() >= len(h) + 2) for h in long_heads]
                or [pl.lit(False)]
            )
            & ~pl.col("key").is_in(heads),
        )
        .with_columns(
            # A head that can start a body's name: names of Latin-script languages capitalize it.
            is_head=((pl.col("head_len") > 0) | pl.col("head_word")) & (pl.col("is_cap") | pl.lit(not language.spaced)),
            # A name starts at such a head, not inside a head cut in two (នាយកដ្ឋាន in
            # អគ្គ|នាយកដ្ឋាន), nor, in Latin script, at a capital that only opens the sentence
            # (Bộ hồ sơ, "a set of documents") unless another word of it is capitalized.
            name_start=(
                (pl.col("head_len") > 0)
                & (pl.col("is_cap") | pl.lit(not language.spaced))
                & ~((pl.col("head_len").shift(1) == 2) & (pl.col("sid").shift(1) == pl.col("sid"))).fill_null(False)
            ).fill_null(False),
            sentence_start=(pl.col("sid").shift(1) != pl.col("sid")).fill_null(True),
        )
    )


def _compact(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with its text columns copied: a filtered text column still holds the text
    of every row it was filtered from (polars keeps views into the original buffers), which
    kept a third of all n-grams' text alive with the candidates'. A pad to length 0 changes
    no string and writes each into new buffers (polars offers no explicit compaction); were
    it ever a view, only the memory would suffer, not the result."""
    return frame.with_columns(pl.col(pl.String).str.pad_end(0))


def _pieces(tokens: pl.DataFrame, size: int) -> list[pl.DataFrame]:
    """``tokens`` cut between sentences into pieces of about ``size`` tokens (a sentence
    longer than ``size`` is one piece): an n-gram never crosses a sentence, so each piece
    gives the occurrences it holds, and the shifted columns of one length are computed for
    one piece at a time, their memory bounded by the piece, not by the corpus."""
    if tokens.height <= size:
        return [tokens]
    starts = tokens.select(
        pl.int_range(pl.len()).filter((pl.col("sid") != pl.col("sid").shift(1)).fill_null(True))
    ).to_series()
    cuts = [0]
    for target in range(size, tokens.height, size):
        at = starts.search_sorted(target)
        if at < starts.len() and starts[at] > cuts[-1]:
            cuts.append(int(starts[at]))
    cuts.append(tokens.height)
    return [tokens.slice(a, b - a) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def _occurrences_of_length(base: pl.LazyFrame, language: Language, n: int) -> pl.LazyFrame:
    """Every occurrence of an n-gram of ``n`` words, with the columns of :func:`ngram_occurrences`."""
    frame = base.select(**_occurrence_columns(language, n, _span_rules(language, n)))
    frame = frame.filter(pl.col("ok") & pl.col("end").is_not_null())
    # Anchors in Khmer/Thai text are Latin: their key keeps the spaces between words.
    frame = frame.with_columns(
        key=pl.when(pl.col("anchor") & ~pl.col("candidate")).then(pl.col("latin_key")).otherwise(pl.col("key"))
    )
    return frame.drop("ok", "latin_key")


class _SpanRules(NamedTuple):
    """What the rules say of the ``n`` words from a row (see :func:`_span_rules`)."""

    same: pl.Expr  # all in one sentence
    not_punct: pl.Expr  # no punctuation among them
    latin: pl.Expr  # all Latin words or capitalized names (an anchor's words)
    right_closed: pl.Expr  # the word after them closes the span
    candidate: pl.Expr  # a term candidate
    quoted: pl.Expr  # written between a pair of quotes or brackets
    crosses_break: pl.Expr  # spans a Khmer/Thai phrase break
    inner_fw: pl.Expr  # holds a function word no term holds inside
    name: pl.Expr  # names a public body


def _span_rules(language: Language, n: int) -> _SpanRules:
    """The conditions on the ``n`` words from a row: candidate, name, quoted span, closed edges."""
    english = language.title_case_names
    ks = range(n)
    same = pl.lit(True)
    for k in ks[1:]:
        same = same & (pl.col("sid").shift(-k) == pl.col("sid"))
    not_punct = pl.all_horizontal([(pl.col("kind").shift(-k) != "punct") for k in ks])
    words = pl.all_horizontal([pl.col("is_word").shift(-k) for k in ks])
    if not language.spaced:
        # A Khmer/Thai term may take a Latin modifier after its native head
        # (ជំងឺ COVID-19, ម៉ាស់ N95): native first, Latin words other than English
        # function words after it.
        words = pl.col("is_word") & pl.all_horizontal(
            [(pl.col("is_word") | ((pl.col("kind") == "latin") & ~pl.col("is_latin_fw"))).shift(-k) for k in ks]
        )
    latin = pl.all_horizontal([(pl.col("is_latin") | pl.col("is_name")).shift(-k) for k in ks])
    right_closed = (
        (pl.col("sid").shift(-n) != pl.col("sid")).fill_null(True)
        | pl.col("is_closer").shift(-n).fill_null(True)
        | (pl.col("kind").shift(-n) == "punct").fill_null(True)
        | pl.lit(not language.spaced) & pl.col("gap").shift(-n).fill_null(True)
    )
    candidate = (
        words
        & ~pl.col("is_fw")
        & ~(pl.col("is_fw") | pl.col("is_starter")).shift(-(n - 1))
        & pl.col("opens_term")
        & pl.col("closes_term").shift(-(n - 1))
    )
    # A span written between a pair of quotes or brackets is a name however it begins
    # or ends (the app “ทางรัฐ” starts with a term link): it is kept whole.
    quoted = (
        words
        & same
        & (pl.col("sid").shift(1) == pl.col("sid"))
        & (pl.col("sid").shift(-n) == pl.col("sid"))
        & (pl.col("closing").shift(1) == pl.col("text").shift(-n))
    ).fill_null(False)
    candidate = candidate | quoted
    # ``X X``, ``X and X``: a word that closes what it opens is repetition, not a term.
    if n > 1:
        candidate = candidate & (pl.col("key") != pl.col("key").shift(-(n - 1))).fill_null(True)
    # ``… and Ministry`` joins two phrases: a head after "and" starts another name.
    for k in ks[1:]:
        candidate = candidate & ~(pl.col("is_conj").shift(-(k - 1)) & pl.col("is_head").shift(-k)).fill_null(False)
    crosses_break = pl.lit(not language.spaced) & pl.any_horizontal(
        [pl.col("gap").shift(-k) for k in ks[1:]] or [pl.lit(False)]
    ).fill_null(False)
    inner_fw = pl.any_horizontal([pl.col("is_breaker").shift(-k) for k in ks[1:-1]] or [pl.lit(False)])
    # Across a Khmer/Thai phrase break and a function word other than a link lies a
    # clause, not a term (กรมการปกครองกล่าวว่า ประชาชน).
    clause_fw = pl.any_horizontal(
        [(pl.col("is_breaker") & ~pl.col("is_link")).shift(-k) for k in ks[1:-1]] or [pl.lit(False)]
    )
    candidate = candidate & ~(crosses_break & clause_fw).fill_null(False)
    name = candidate & _name_occurrence(n, language.spaced, english, right_closed)
    return _SpanRules(same, not_punct, latin, right_closed, candidate, quoted, crosses_break, inner_fw, name)


def _short_form(language: Language) -> pl.Expr:
    """Whether the word here is a short form: an acronym or mixed-case name, or an
    abbreviation in the language's own letters (its ``abbreviation`` shape)."""
    found = pl.col("text").str.contains(SHORT_FORM_RE)
    if language.abbreviation is not None:
        found = found | (
            pl.col("text").str.contains(f"^(?:{language.abbreviation.pattern})$")
            & (pl.col("text").str.len_chars() >= MIN_ABBREVIATION_CHARS)
        )
    return found


def _occurrence_columns(language: Language, n: int, rules: _SpanRules) -> dict[str, pl.Expr]:
    """The columns of one occurrence of the ``n`` words from a row (see :func:`ngram_occurrences`)."""
    sep = " " if language.spaced else ""
    ks = range(n)
    same, not_punct, latin, right_closed, candidate, quoted, crosses_break, inner_fw, name = rules
    surface_parts = [pl.col("text")]
    for k in ks[1:]:
        surface_parts.append(pl.when(pl.col("gap").shift(-k)).then(pl.lit(" ")).otherwise(pl.lit("")))
        surface_parts.append(pl.col("text").shift(-k))
    return dict(
        key=_joined(ks, sep),
        # Latin words keep their spaces in a key, whatever the language around them.
        latin_key=pl.concat_str([pl.col("key").shift(-k) for k in ks], separator=" "),
        n=pl.lit(n, dtype=pl.Int32),
        sid=pl.col("sid"),
        at=pl.col("at"),
        doc=pl.col("doc"),
        start=pl.col("start"),
        end=pl.col("end").shift(-(n - 1)),
        surface=pl.concat_str(surface_parts),
        prefix=_joined(ks[:-1], sep) if n > 1 else pl.lit(None, pl.String),
        suffix=_joined(ks[1:], sep) if n > 1 else pl.lit(None, pl.String),
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
        right_closed=right_closed,
        candidate=candidate,
        # In Khmer and Thai a space is a phrase break; a term seldom spans one.
        crosses_break=crosses_break,
        # Khmer and Thai put the head first and make nouns of verbs with a prefix (ការ,
        # การ): a term starting with a bare verb is a clause fragment. A final verb is
        # more often a predicate than a modifier (คณะกรรมการอำนวยการ, steering committee).
        verb_start=pl.lit(bool(language.term_starters)) & (pl.col("pos") == "VERB").fill_null(False),
        # English terms end in their head noun; with no tagger at hand a past tense
        # (launched, welcomed) at the end marks a subject with its verb.
        verb_end=(
            pl.lit(bool(language.term_starters) and n > 1)
            & (pl.col("pos").shift(-(n - 1)) == "VERB").fill_null(False)
        )
        | (
            pl.lit(language.written_past_tense and n > 1)
            & pl.col("text").shift(-(n - 1)).str.contains(_PAST_TENSE_RE).fill_null(False)
        ),
        name=name,
        quoted=quoted,
        grammar=_term_grammar(n, language.head_first),
        # A run of capitalized words is a name, not one that starts or ends with "The".
        anchor=latin
        & (pl.col("is_latin") | pl.col("is_latin").shift(-(n - 1)) | pl.lit(n > 1))
        & pl.lit(n <= 4)
        & ~(pl.col("is_fw") | pl.col("is_latin_fw"))
        & ~(pl.col("is_fw") | pl.col("is_latin_fw")).shift(-(n - 1)).fill_null(False),
        short_form=_short_form(language) if n == 1 else pl.lit(False),
        spec_sum=pl.sum_horizontal(
            [pl.when(~pl.col("is_fw").shift(-k)).then(pl.col("spec").shift(-k)).otherwise(0.0) for k in ks]
        ),
        inner_fw=inner_fw,
        # How common the rarest content word is in general language (see termhood).
        general_pm=pl.min_horizontal(
            [pl.when(~pl.col("is_fw").shift(-k)).then(pl.col("general_pm").shift(-k)) for k in ks]
        ),
        spec_head=pl.col("spec"),
        spec_n=pl.sum_horizontal([(~pl.col("is_fw").shift(-k)).cast(pl.Int32) for k in ks]),
        # The strongest domain word inside: log frequency here times its specificity.
        component=pl.max_horizontal(
            [pl.when(~pl.col("is_fw").shift(-k)).then(pl.col("weight").shift(-k)).otherwise(0.0) for k in ks]
        ),
        ok=same & not_punct,
    )


#: Endings of English participles, which modify a noun inside a term (``combating
#: fraud``, ``registered office``) though the dictionary calls them verbs.
_PARTICIPLE_RE = r"(?:ing|ed)$"


def _joined(positions: range, sep: str) -> pl.Expr:
    """The key of the words at ``positions`` from this row: joined by ``sep``, but by a
    space on either side of a Latin word (Latin keys keep their spaces in any language)."""
    parts: list[pl.Expr] = []
    for i, k in enumerate(positions):
        if i:
            latin = (pl.col("kind").shift(-k) == "latin") | (pl.col("kind").shift(-(k - 1)) == "latin")
            parts.append(pl.when(latin).then(pl.lit(" ")).otherwise(pl.lit(sep)))
        parts.append(pl.col("key").shift(-k))
    return pl.concat_str(parts)


def _term_grammar(n: int, head_first: bool) -> pl.Expr:
    """True where the n words from this row fit a term pattern: a noun-headed phrase.

    Head-last (English): modifiers (nouns, adjectives, participles; ``of`` between two
    nouns) then a noun. Head-first (Khmer, Thai, Vietnamese): a content word (a noun, or a
    nominalizer: ការ/การ make nouns of verbs) then its modifiers. Words the
    language's tagger left untagged give no evidence against a pattern.
    """
    pos = lambda k: pl.col("pos").shift(-k)  # noqa: E731
    noun = lambda k: (pos(k) == "NOUN") | pos(k).is_null() | pl.col("is_starter").shift(-k)  # noqa: E731
    if head_first:
        # Taggers of Khmer and Thai call many nouns verbs (บริการ, service); a verb at the
        # start has its own penalty (``verb_start``). The pattern rules out the rest: a
        # first word of a class that heads no phrase (pronoun, adverb, particle).
        return (noun(0) | pos(0).is_in(["VERB", "ADJ"])).fill_null(False)
    participle = lambda k: (pos(k) == "VERB") & pl.col("text").shift(-k).str.contains(_PARTICIPLE_RE)  # noqa: E731
    modifier = lambda k: noun(k) | (pos(k) == "ADJ") | participle(k)  # noqa: E731
    parts = [noun(n - 1), modifier(0)]
    for k in range(1, n - 1):
        # ``of`` links two nouns (``code of conduct``): the noun before it heads the term.
        parts.append(modifier(k) | (pl.col("is_inner_link").shift(-k) & noun(k - 1) & modifier(k + 1)))
    return pl.all_horizontal(parts).fill_null(False)


def _name_occurrence(n: int, spaced: bool, english: bool, right_closed: pl.Expr) -> pl.Expr:
    """True where the n words from this row are the name of a public body: an institution
    head, then modifiers with at most two links (``and``, ``of``), closed on the right.

    Inside a name a link never precedes another link or a new head (``the Ministry of X
    and Ministry of Y`` is two names); in Khmer and Thai the only space allowed is the one
    written before a link (``ក្រសួងព័ត៌មាន និងផ្សព្វផ្សាយ``). English names capitalize
    every word but their links; a name ends where a verb (a predicate) or, in English, a
    lowercase word follows.
    """
    if n == 1:
        # The segmenter's dictionary already drew this name's edges.
        return pl.col("head_word")
    inner = [pl.lit(True)]
    for k in range(1, n):
        at, before = (lambda c, k=k: pl.col(c).shift(-k)), (lambda c, k=k: pl.col(c).shift(-(k - 1)))
        # An article only right after a link (Ministry of the Interior).
        article = at("is_article") & before("is_link")
        word = (~at("is_fw") | at("is_inner_link") | article) & ~at("is_calendar")
        after_link = before("is_link") & at("is_link")
        # A second head only right after the first (ការិយាល័យគណៈកម្មាធិការ…, the office of a
        # committee) or after a preposition (the Secretariat of the Council); after "and"
        # or a modifier it starts another name or a clause about one.
        after_prep = (before("is_link") & ~before("is_conj")) | (
            before("is_article") & pl.col("is_link").shift(-(k - 2))
        )
        second_head = at("is_head") & (pl.col("head_len") < k) & ~after_prep
        inner.append(word & ~after_link & ~second_head)
        if not spaced:
            inner.append(~at("gap") | at("is_link"))
        if english:
            inner.append(at("is_cap") | at("is_link") | article)
    links = pl.sum_horizontal([pl.col("is_link").shift(-k).cast(pl.Int32) for k in range(1, n)])
    if spaced:
        # A capital that opens the sentence proves nothing: another word must have one.
        capitals = pl.any_horizontal([(pl.col("is_cap") & ~pl.col("is_link")).shift(-k) for k in range(1, n)])
        inner.append(~pl.col("sentence_start") | capitals)
    # A verb ends a name only as its one modifier (คณะกรรมการบริหาร) or after a link
    # (ក្រសួងព័ត៌មាន និងផ្សព្វផ្សាយ); elsewhere it is the predicate of a clause about the body.
    verb_last = (pl.col("pos").shift(-(n - 1)) == "VERB").fill_null(False)
    inner.append(~verb_last | (pl.col("head_len") == n - 1) | pl.col("is_link").shift(-(n - 2)))
    follows = pl.col("sid").shift(-n) == pl.col("sid")
    ends = right_closed | (follows & (pl.col("pos").shift(-n) == "VERB")).fill_null(False)
    if english:
        ends = ends | (follows & ~pl.col("is_cap").shift(-n)).fill_null(False)
    return (
        pl.col("name_start")
        & (pl.col("head_len") < n)
        & pl.all_horizontal(inner).fill_null(False)
        & (links <= 2)
        & ends
    )
