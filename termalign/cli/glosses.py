"""`termalign glosses`: the glosses the articles write (a term, then its English or its
acronym in brackets or after ឬ/หรือ/hoặc), as alignment reads them."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import click
from rich.table import Table

from termalign import lang as languages
from termalign.align.glosses import corpus_glosses, glossable
from termalign.cli.common import console, db_option, json_option, print_json
from termalign.store import as_store, open_store


@click.command()
@db_option
@click.option("--lang", "langs", multiple=True, type=click.Choice(sorted(languages.CODES)),
              help="Only glosses in articles of this language (repeatable).")
@json_option
def glosses(db: str, langs: tuple[str, ...], as_json: bool) -> None:
    """List the glosses the articles write: a term followed by its English, a name or an
    acronym in brackets (រដ្ឋាភិបាលឌីជីថល (Digital Government), ... (DTI), ... (e-tax)), an abbreviation in
    Thai or Khmer letters in brackets (สปสช.), or English after the word for "or" (ឬ, หรือ,
    hoặc).

    \b
    The glossed term is an extracted candidate that ends where the gloss begins: for an
    acronym, the longest that spells it; otherwise the longest about as long as the gloss.
    So run `termalign extract` (or `build`) first. Each line gives the article, the
    language, how the gloss is written (parenthesis or or), the term and the gloss; --json
    adds their character offsets in the article. `termalign align` links a glossed term to
    its gloss when the term is among the candidates it aligns.
    """
    store = as_store(open_store(db, create=False))
    keys: dict[str, list[str]] = {}
    for lang, key, _text, kind, *_ in store.alignable_candidates(2**31 - 1):
        if glossable(lang, kind) and (not langs or lang in langs):
            keys.setdefault(lang, []).append(key)
    found = corpus_glosses(store.located_sentences(), keys)
    if as_json:
        print_json({"glosses": [asdict(g) for g in found]})
        return
    table = Table(title=f"{len(found)} glosses", title_justify="left")
    for column in ("article", "lang", "how", "term", "gloss"):
        table.add_column(column)
    for g in found:
        table.add_row(Path(g.article).name, g.lang, g.how, g.native, g.gloss)
    console().print(table)
