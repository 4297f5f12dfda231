"""Termhood: C-value, domain specificity, unithood and boundary variety, all as columns.

Every part is kept next to the final score so reviewers (and tests) can see why a
candidate ranks where it does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import polars as pl

#: Words a term is built of are rare in general news: weirdness (bits) at which the
#: specificity factor reaches one half, and how steeply it rises.
SPEC_MIDPOINT = 2.0
SPEC_SLOPE = 1.5
#: logDice's maximum (Rychlý 2008: ``14 + log2(2·f(xy) / (f(x) + f(y)))``, 14 when the parts
#: never occur apart): unithood is logDice divided by it, so 1 is a perfect unit.
LOG_DICE_MAX = 14
#: Termhood grows with the number of documents a candidate occurs in, by this much per
#: doubling (``1 + DOC_FREQ_WEIGHT * log2(doc_freq)``): a term recurs across articles.
DOC_FREQ_WEIGHT = 0.5
#: The least unithood a multi-word candidate keeps (two parts that mostly occur apart):
#: low association demotes a candidate, never zeroes it, so a reviewer can still find it.
UNITHOOD_FLOOR = 0.05
#: A longer candidate absorbs a shorter one (C-value) only when seen at least this often.
MIN_CONTAINER_FREQ = 2
#: Share of its frequency a candidate keeps when it only ever occurs inside longer ones.
NESTED_FLOOR = 0.25
#: Weight of the strongest domain word of a multi-word candidate in its C-value.
COMPONENT_WEIGHT = 0.5
#: How much a verb at the start (or end) of a Khmer/Thai candidate lowers its termhood.
VERB_START_PENALTY = 0.8
VERB_END_PENALTY = 0.5
#: How much spanning a space (a phrase break in Khmer and Thai) lowers termhood.
BREAK_PENALTY = 0.75
#: How much a function word inside (other than the language's term links) lowers the
#: termhood of a candidate that is not a name.
INNER_FUNCTION_PENALTY = 0.5
#: Prior weight of a candidate by its number of words.
LENGTH_PRIOR = {1: 0.8, 2: 1.0, 3: 0.9, 4: 0.6, 5: 0.45, 6: 0.35}
#: Termhood factor of the name of a public body seen once (see :func:`ngram_occurrences`);
#: repetition is evidence that replaces it (the factor is ``NAME_BOOST ** (1 / freq)``).
#: A name is a term of the domain by what it names, so the length prior, the verb-end and
#: phrase-break penalties and the nesting discount, which guard against fragments, do not
#: apply to it.
NAME_BOOST = 2.0
#: Unithood given to one-word candidates (they have no inner association to measure).
UNIGRAM_UNITHOOD = 0.6
#: Unithood of a one-word short form, an acronym or a mixed-case name (UHC, VssID) or an
#: abbreviation in the language's own letters (สปสช., ក.ន.ស): it stands for a multi-word
#: name, a unit by construction, so the discount of a single common word does not apply
#: (as for a unit a general source records). A lone Latin word inside Khmer or Thai text
#: (registration) is an anchor but no short form: it keeps the discount.
SHORT_FORM_UNITHOOD = 1.0


#: How much termhood a candidate loses when no term pattern of its language admits it
#: (a verb phrase, an adjective alone): demoted, not dropped, so a reviewer still finds it.
GRAMMAR_PENALTY = 0.6
#: How much a candidate that never stands alone loses: independence is the share of its
#: occurrences not taken by its most frequent one-word-longer container, and termhood is
#: scaled by ``1 - INDEPENDENCE_WEIGHT * (1 - independence)`` — a fragment always inside
#: one longer candidate ranks below it.
INDEPENDENCE_WEIGHT = 0.5
#: Exponent on C-value: frequency is evidence of termhood, but in a large reference a
#: frequent general word is also frequent here; below one it damps frequency so that
#: specificity and unithood weigh more.
FREQ_EXPONENT = 1.0
#: 1 replaces C-value by ``log2(1 + freq)`` as the frequency evidence: in a large corpus
#: (tens of thousands of words) the linear count lets a few frequent general nouns crowd
#: out the many terms seen a handful of times. 0 keeps C-value, whose nesting discount
#: and component weight serve the small corpora of news articles.
LOG_FREQUENCY = 0.0


#: Unithood of a multi-word string that a general source records as one unit: the most
#: the association measure can give, since the unit is attested beyond this corpus.
KNOWN_UNIT_UNITHOOD = 1.0


#: A reference this large (a billion-word list) knows nearly every word of the language: a
#: word it lacks is a typo, a cut-off piece or a code more often than a term, so it is not
#: given the unbounded weirdness of a word seen nowhere; its specificity is UNSEEN_SPEC bits.
BROAD_REFERENCE_TOKENS = 100_000_000
UNSEEN_SPEC = 6.0


#: Termhood kept by a candidate whose neighbours never vary (boundary variety 0): a term
#: occurs in varied contexts, a fragment of a longer string always next to the same word.
BOUNDARY_FLOOR = 0.4
#: Termhood kept by a candidate never closed on either side by punctuation, a function
#: word or a sentence edge. Independence measures nesting directly, so closure only
#: tempers: an open edge is weaker evidence than a container that holds the candidate.
CLOSED_FLOOR = 0.5


#: Generality: how often a candidate's rarest content word occurs in general language, per
#: million words. In a small corpus every word is far more frequent than in a reference of
#: millions, so weirdness saturates; a word among the commonest of the language (country,
#: time, people) is general vocabulary whatever its count here. Generality rises from 0
#: at GENERAL_PM_FLOOR to 1 at GENERAL_PM_CEILING (log scale), and termhood is scaled by
#: ``1 - generality_weight * generality``.
GENERAL_PM_FLOOR = 30.0
GENERAL_PM_CEILING = 3000.0
GENERALITY_WEIGHT = 0.5


@dataclass(frozen=True)
class TermhoodParams:
    """The parameters of termhood a benchmark may tune (leave-one-domain-out only); the
    defaults are the module constants above."""

    spec_midpoint: float = SPEC_MIDPOINT
    spec_slope: float = SPEC_SLOPE
    nested_floor: float = NESTED_FLOOR
    grammar_penalty: float = GRAMMAR_PENALTY
    independence_weight: float = INDEPENDENCE_WEIGHT
    freq_exponent: float = FREQ_EXPONENT
    unseen_spec: float = UNSEEN_SPEC
    log_frequency: float = LOG_FREQUENCY
    generality_weight: float = GENERALITY_WEIGHT
    unigram_unithood: float = UNIGRAM_UNITHOOD


#: The values leave-one-domain-out tuning tries for each exposed parameter.
TUNING_GRID: dict[str, tuple[float, ...]] = {
    "spec_midpoint": (2.0, 4.0),
    "grammar_penalty": (0.3, 0.9),
    "unseen_spec": (6.0,),
    "log_frequency": (0.0, 1.0),
    "generality_weight": (0.0, 0.5),
    "unigram_unithood": (0.6, 0.9),
}


def token_specificity(
    tokens: pl.DataFrame, reference: pl.DataFrame, ref_total: int, params: TermhoodParams | None = None
) -> pl.DataFrame:
    """Add ``spec``: log2 of a word's relative frequency here over the reference corpus."""
    params = params or TermhoodParams()
    domain_total = max(tokens.height, 1)
    counts = tokens.group_by("key").agg(dom_count=pl.len())
    broad = ref_total >= BROAD_REFERENCE_TOKENS
    return (
        tokens.join(counts, on="key", how="left")
        .join(reference, on="key", how="left")
        .with_columns(
            spec=(
                ((pl.col("dom_count") + 0.5) / domain_total)
                / ((pl.col("ref_count").fill_null(0) + 0.5) / max(ref_total, 1))
            ).log(2)
        )
        .with_columns(
            spec=pl.when(pl.lit(broad) & pl.col("ref_count").is_null() & (pl.col("kind") == "word"))
            .then(pl.min_horizontal("spec", pl.lit(params.unseen_spec)))
            .otherwise("spec")
        )
        .with_columns(
            weight=(pl.col("dom_count").cast(pl.Float64) + 1).log(2)
            / (1 + (-(pl.col("spec") - params.spec_midpoint) / params.spec_slope).exp())
        )
        .with_columns(general_pm=pl.col("ref_count").fill_null(0) * (1e6 / max(ref_total, 1)))
        .drop("dom_count", "ref_count")
    )


def score_types(
    occ: pl.DataFrame, raw: pl.DataFrame, params: TermhoodParams | None = None, units: frozenset[str] = frozenset()
) -> pl.DataFrame:
    """Counts and termhood per n-gram key from its occurrences and every n-gram's frequency
    ``raw`` (see :func:`ngram_occurrences`).

    ``units``: keys a general source records as one unit (:func:`~termalign.extract.reference.known_units`).
    """
    params = params or TermhoodParams()
    types = _type_counts(occ)
    nested, dominant = _nesting(occ, types)
    freq_of = raw.rename({"key": "k", "raw_freq": "f"})
    types = (
        types.join(nested, left_on="key", right_on="nested", how="left")
        .join(dominant, left_on="key", right_on="nested", how="left")
        .join(freq_of.rename({"k": "prefix", "f": "f_prefix"}), on="prefix", how="left")
        .join(freq_of.rename({"k": "suffix", "f": "f_suffix"}), on="suffix", how="left")
        .join(freq_of.rename({"k": "first", "f": "f_first"}), on="first", how="left")
        .join(freq_of.rename({"k": "last", "f": "f_last"}), on="last", how="left")
    )
    types = _termhood_parts(types, params, units)
    return _termhood(types, params)


def _type_counts(occ: pl.DataFrame) -> pl.DataFrame:
    """Per candidate key: frequencies, its parts' keys, and the share of its occurrences
    with each property the scoring weighs (name, grammar, closed edges, verbs, breaks)."""
    return (
        occ.filter(pl.col("candidate") | pl.col("anchor"))
        .group_by("key")
        .agg(
            n=pl.col("n").first(),
            freq=pl.len(),
            doc_freq=pl.col("doc").n_unique(),
            prefix=pl.col("prefix").first(),
            suffix=pl.col("suffix").first(),
            first=pl.col("first").first(),
            last=pl.col("last").first(),
            anchor=pl.col("anchor").any(),
            short_form=pl.col("short_form").mean(),
            name=pl.col("name").mean(),
            grammar=pl.col("grammar").mean(),
            quoted=pl.col("quoted").mean(),
            general_pm=pl.col("general_pm").first(),
            spec=(pl.col("spec_sum").first() / pl.col("spec_n").first().clip(1)),
            spec_head=pl.col("spec_head").first(),
            component=pl.col("component").first(),
            closed=(pl.col("left_closed").mean() + pl.col("right_closed").mean()) / 2,
            verb_start=pl.col("verb_start").mean(),
            verb_end=pl.col("verb_end").mean(),
            crosses_break=pl.col("crosses_break").mean(),
            inner_fw=pl.col("inner_fw").mean(),
            left_var=(pl.col("left").drop_nulls().n_unique() + pl.col("left").null_count()) / pl.len(),
            right_var=(pl.col("right").drop_nulls().n_unique() + pl.col("right").null_count()) / pl.len(),
        )
    )


def _nesting(occ: pl.DataFrame, types: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """C-value nesting (``nested``: containers and their frequency per nested key) and
    independence (``dominant``: how many occurrences the most frequent container holds)."""
    # C-value nesting: a candidate inside a longer candidate (one word longer, left or right).
    # Without part-of-speech patterns every extension is a candidate; one seen only once is
    # no evidence that the shorter form lives inside it, so it does not absorb the shorter.
    containers = types.filter((pl.col("n") > 1) & (pl.col("freq") >= MIN_CONTAINER_FREQ))
    # A name is a container whatever its frequency: the candidates starting where it starts
    # (ក្រសួងព័ត៌មាន in ក្រសួងព័ត៌មាន និងផ្សព្វផ្សាយ) are, there, parts of it.
    names = occ.filter(pl.col("name")).select("sid", "start", container="key", size="n")
    in_names = (
        occ.filter(pl.col("candidate"))
        .select("sid", "start", nested="key", part="n")
        .join(names, on=["sid", "start"])
        .filter(pl.col("part") < pl.col("size"))
        .select("nested", "container")
        .unique()
        .join(types.select(container="key", f="freq"), on="container")
    )
    nested = (
        pl.concat(
            [
                containers.select(nested=pl.col("prefix"), container=pl.col("key"), f=pl.col("freq")),
                containers.select(nested=pl.col("suffix"), container=pl.col("key"), f=pl.col("freq")),
                in_names,
            ]
        )
        .unique(["nested", "container"])
        .group_by("nested")
        .agg(containers=pl.len(), contained_freq=pl.col("f").sum())
    )
    # Independence: the share of a candidate's occurrences that its most frequent longer
    # container does not hold (containers seen once prove nothing, as above). Containers are
    # any longer candidates, not only one word longer: in การเปลี่ยนแปลงทางดิจิทัลแห่งชาติ the
    # fragment ดิจิทัลแห่งชาติ follows a term link that no candidate starts with.
    # A holder of n words holds the spans of m < n words at each of its n - m + 1 offsets:
    # joined on their place (``at``, ``n``): n(n + 1)/2 - 1 spans per holder (20 for six
    # words), however long the sentence, where pairing every span with every holder of its
    # sentence grew with the square of the sentence.
    spans = occ.filter(pl.col("candidate") | pl.col("anchor")).select("key", "n", "at")
    holders = spans.join(containers.select("key"), on="key", how="semi").select(
        holder="key", holder_n="n", holder_at="at"
    )
    inside = pl.DataFrame(
        [(size, m, offset) for size in holders["holder_n"].unique().to_list()
         for m in range(1, size) for offset in range(size - m + 1)],
        schema={"holder_n": pl.Int32, "n": pl.Int32, "offset": pl.Int64}, orient="row",
    )
    dominant = (
        holders.join(inside, on="holder_n")
        .select("holder", "n", at=pl.col("holder_at") + pl.col("offset"))
        .join(spans, on=["at", "n"])
        .group_by("key", "holder")
        .agg(held=pl.col("at").n_unique())
        .group_by("key")
        .agg(dominant_freq=pl.col("held").max())
        .rename({"key": "nested"})
    )
    return nested, dominant


def _termhood_parts(types: pl.DataFrame, params: TermhoodParams, units: frozenset[str]) -> pl.DataFrame:
    """The parts termhood multiplies, each its own column: C-value, unithood, specificity,
    boundary variety, independence, generality and the name boost."""
    log_dice = lambda a, b: LOG_DICE_MAX + (2 * pl.col("freq") / (pl.col(a) + pl.col(b))).log(2)  # noqa: E731
    types = types.with_columns(
        cvalue=(pl.col("n") + 1).cast(pl.Float64).log(2)
        * (
            pl.when(pl.col("containers").is_null() | (pl.col("name") >= 0.5))
            .then(pl.col("freq").cast(pl.Float64))
            .otherwise(
                (pl.col("freq") - pl.col("contained_freq") / pl.col("containers")).clip(
                    params.nested_floor * pl.col("freq")
                )
            )
            # In a small corpus most terms occur once: a strong domain word inside lends weight.
            + COMPONENT_WEIGHT * pl.col("component") * (pl.col("n") > 1) / (pl.col("n") - 1).clip(1)
        ),
        unithood=pl.when((pl.col("n") == 1) & (pl.col("short_form") >= 0.5))
        .then(SHORT_FORM_UNITHOOD)
        .when(pl.col("n") == 1)
        .then(params.unigram_unithood)
        .otherwise(
            (pl.min_horizontal(log_dice("f_first", "f_suffix"), log_dice("f_prefix", "f_last")) / LOG_DICE_MAX).clip(
                UNITHOOD_FLOOR, 1.0
            )
        )
        # Multi-word Latin anchors in Khmer/Thai are keyed with spaces, their parts without.
        .fill_null(UNIGRAM_UNITHOOD),
        # A name belongs to the domain of the body it names, so its head (ministry,
        # committee) vouches for it even when its other words are common in the news.
        specificity=1
        / (
            1
            + (
                -(
                    pl.when(pl.col("name") >= 0.5)
                    .then(pl.max_horizontal("spec", "spec_head"))
                    .otherwise(pl.col("spec"))
                    - params.spec_midpoint
                )
                / params.spec_slope
            ).exp()
        ),
        # A multi-word string a general source records as one unit (a Wikipedia title).
        unit=(pl.col("n") > 1) & pl.col("key").is_in(list(units)),
        boundary=pl.min_horizontal("left_var", "right_var"),
        independence=(1 - pl.col("dominant_freq").fill_null(0) / pl.col("freq")).clip(0.0, 1.0),
        generality=(
            (pl.col("general_pm").clip(GENERAL_PM_FLOOR) / GENERAL_PM_FLOOR).log10()
            / math.log10(GENERAL_PM_CEILING / GENERAL_PM_FLOOR)
        )
        .clip(0.0, 1.0)
        .fill_null(0.0),
        # Like the length prior, the boost stands in for evidence repetition gives.
        name_boost=pl.lit(NAME_BOOST).pow(pl.col("name") / pl.col("freq")),
    )
    types = types.with_columns(
        unithood=pl.when(pl.col("unit"))
        .then(pl.max_horizontal("unithood", pl.lit(KNOWN_UNIT_UNITHOOD)))
        .otherwise("unithood"),
        # A recorded unit stands alone in general language, whatever this corpus nests it in.
        independence=pl.when(pl.col("unit")).then(1.0).otherwise("independence"),
    )
    return types


def _termhood(types: pl.DataFrame, params: TermhoodParams) -> pl.DataFrame:
    """The termhood column: the product of the parts, the penalties and the priors."""
    # A name, or a span the text quotes as one, is exempt from the guards against fragments.
    not_name = 1 - pl.max_horizontal("name", "quoted")
    return types.with_columns(
        termhood=(
            pl.col("cvalue").clip(0.0).pow(params.freq_exponent) * (1 - params.log_frequency)
            + (pl.col("freq").cast(pl.Float64) + 1).log(2) * params.log_frequency
        )
        * pl.col("specificity")
        * (1 - params.grammar_penalty * (1 - pl.col("grammar")) * not_name)
        * (1 - params.independence_weight * (1 - pl.col("independence")) * not_name)
        * (1 - params.generality_weight * pl.col("generality") * not_name)
        * pl.col("unithood")
        * (BOUNDARY_FLOOR + (1 - BOUNDARY_FLOOR) * pl.col("boundary"))
        * (CLOSED_FLOOR + (1 - CLOSED_FLOOR) * pl.col("closed"))
        * (1 - VERB_START_PENALTY * pl.col("verb_start"))
        * (1 - VERB_END_PENALTY * pl.col("verb_end") * (1 - pl.col("name")))
        * (1 - BREAK_PENALTY * pl.col("crosses_break") * (1 - pl.col("name")))
        * (1 - INNER_FUNCTION_PENALTY * pl.col("inner_fw") * (1 - pl.col("name")))
        * pl.col("name_boost")
        * (1 + DOC_FREQ_WEIGHT * pl.col("doc_freq").cast(pl.Float64).log(2))
        # Most terms have two or three words; a long string seen once is rarely one, while
        # repetition is evidence that overrides the prior.
        * pl.col("n")
        .replace_strict(LENGTH_PRIOR, default=LENGTH_PRIOR[max(LENGTH_PRIOR)])
        .pow((1 - pl.col("name")) / pl.col("freq"))
    )
