"""The ``termalign`` command. Each subcommand lives in its own module, imported on use."""

from __future__ import annotations

import importlib
import importlib.util
import sys

import click

from termalign import __version__
from termalign.errors import TermalignError

# name -> (module, attribute, one-line help shown in `termalign --help`)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "build": ("termalign.cli.build", "build", "Run the whole pipeline on articles and write the termbase and exports."),
    "ingest": (
        "termalign.cli.ingest", "ingest",
        "Read articles into the store: clean, split, identify language, segment.",
    ),
    "extract": ("termalign.cli.extract", "extract", "Find term candidates per language and rank them by termhood."),
    "align": ("termalign.cli.align", "align", "Propose concepts: align candidates across km, th, vi and en."),
    "glosses": (
        "termalign.cli.glosses", "glosses",
        "List the glosses the articles write (a term, then its English in brackets or after \"or\").",
    ),
    "lexicon": ("termalign.cli.lexicon", "lexicon", "Build a bilingual lexicon from parallel text for the aligner."),
    "review": ("termalign.cli.review", "review", "Open the review TUI to approve, edit, merge and split concepts."),
    "export": ("termalign.cli.export", "export", "Export the termbase as TBX (v3 or v2), CSV or TSV."),
    "import": (
        "termalign.cli.importer", "import_",
        "Import a termbase from TBX, CSV or TSV, merging by normalized key.",
    ),
    "stats": ("termalign.cli.stats", "stats", "Show statistics of the termbase store."),
    "translate": (
        "termalign.cli.translate", "translate",
        "Batch-translate articles with a CTranslate2 model and the glossary.",
    ),
    "models": ("termalign.cli.models", "models", "List, inspect and convert translation models."),
    "store": ("termalign.cli.store", "store", "Copy a termbase between SQLite and PostgreSQL; reviewer roles."),
    "serve": ("termalign.cli.serve", "serve", "Serve the review app in the browser (auth belongs to a reverse proxy)."),
    "evaluate": (
        "termalign.cli.evaluate", "evaluate",
        "Score extraction, alignment or translation against references.",
    ),
}


class LazyGroup(click.Group):
    """Imports a subcommand's module only when it runs, so `--help` and startup stay fast."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name, (module, _, _) in COMMANDS.items() if importlib.util.find_spec(module))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attr, _ = COMMANDS[name]
        try:
            return getattr(importlib.import_module(module), attr)
        except ModuleNotFoundError as exc:
            if exc.name == module:
                return None
            raise

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="termalign")
def cli() -> None:
    """Build a Khmer–Thai–Vietnamese–English termbase of e-government terms.

    \b
    Typical session:
      termalign build seeds/                 # ingest, extract, align, export
      termalign review                        # approve proposals in the TUI
      termalign export --format tbx -o glossary.tbx
      termalign translate --src km --tgt en --model DIR article.txt -o out.jsonl

    Commands that use the termbase take --db FILE (default: termalign.db, or
    $TERMALIGN_DB).
    """


def main(argv: list[str] | None = None) -> int:
    """Console entry point: a TermalignError becomes one line on stderr and its exit code."""
    try:
        # Without standalone mode click returns the code of a command's Exit instead of raising.
        code = cli.main(args=argv, prog_name="termalign", standalone_mode=False)
    except TermalignError as exc:
        click.echo(f"termalign: error: {exc}", err=True)
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("termalign: aborted", err=True)
        return 130
    except KeyboardInterrupt:
        click.echo("termalign: interrupted", err=True)
        return 130
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
