"""Hostile and broken files: one clear one-line error each, and the store left unchanged."""

from __future__ import annotations

import pytest

from termalign.cli import main
from termalign.errors import FormatError
from termalign.export import import_termbase, read_termbase

from .conftest import dump_store

HEADER = '<tbxHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></tbxHeader>'
ENTRY = '<conceptEntry id="c1"><langSec xml:lang="en"><termSec><term>{term}</term></termSec></langSec></conceptEntry>'


def tbx(term: str = "good term", *, prolog: str = "", root: str = "") -> str:
    root = root or 'xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en"'
    tag = "tbx"
    return f'<?xml version="1.0"?>\n{prolog}<{tag} {root}>{HEADER}<text><body>{ENTRY.format(term=term)}</body></text></{tag}>\n'


LAUGHS = "".join(
    f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
)
HOSTILE = {
    "billion-laughs.tbx": (
        tbx("&lol9;", prolog=f'<!DOCTYPE tbx [<!ENTITY lol0 "lol">{LAUGHS}]>\n'),
        "refused: the DOCTYPE declares entities (lol0, lol1, lol2, …)",
    ),
    # The reference right after the root's start tag: libxml2 meets it in the same piece of
    # input as the root, and the DOCTYPE must still be what the error names.
    "billion-laughs-at-root.tbx": (
        f'<!DOCTYPE tbx [<!ENTITY lol0 "lol">{LAUGHS}]>\n'
        '<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic">&lol9;</tbx>\n',
        "refused: the DOCTYPE declares entities (lol0, lol1, lol2, …)",
    ),
    "xxe.tbx": (
        tbx("&xxe;", prolog='<!DOCTYPE tbx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'),
        "refused: the DOCTYPE declares entities (xxe)",
    ),
    "xxe-parameter.tbx": (
        tbx(prolog='<!DOCTYPE tbx [<!ENTITY % ext SYSTEM "http://127.0.0.1:9/evil.dtd"> %ext;]>\n'),
        "refused: the DOCTYPE declares entities (ext)",
    ),
    "undeclared-entity.tbx": (tbx("&nbsp;"), "not well-formed XML: Entity 'nbsp' not defined"),
    "truncated.tbx": (tbx()[:-40], "not well-formed XML"),
    "wrong-namespace.tbx": (
        tbx(root='xmlns="urn:iso:std:iso:30042:ed-1" type="TBX-Basic" style="dca" xml:lang="en"'),
        "wrong namespace 'urn:iso:std:iso:30042:ed-1' on <tbx>",
    ),
    "no-namespace.tbx": (tbx(root='type="TBX-Basic" style="dca" xml:lang="en"'), "wrong namespace '(none)' on <tbx>"),
    "unknown-dialect.tbx": (
        tbx(root='xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Acme" style="dca" xml:lang="en"'),
        "unknown TBX dialect 'TBX-Acme'",
    ),
    "not-tbx.tbx": ('<?xml version="1.0"?><html><body/></html>', "not a TBX file: root element <html>"),
    "empty.tbx": ("", "not well-formed XML"),
    "no-lang.tbx": (tbx().replace(' xml:lang="en"><termSec>', "><termSec>"), "line 2: <langSec> without xml:lang"),
    "v2-unknown-dialect.tbx": ('<martif type="Acme"><text><body/></text></martif>', "unknown TBX dialect 'Acme'"),
    "bad-status.csv": ("en,status\nok,approved\nfine,aproved\n", "line 3: unknown status 'aproved'"),
    "too-many-fields.csv": ("en,km\na,ក\nb,ខ,extra\n", "line 3: 3 fields but the header has 2"),
    "no-term.tsv": ("id\ten\tnote\n1\tx\t\n2\t\tonly a note\n", "line 3: no term in any language column"),
    "unknown-column.csv": ("en,colour\nx,red\n", "line 1: unknown column 'colour'"),
    "no-language.csv": ("id,note\n1,x\n", "line 1: no language column"),
    "open-quote.csv": ('en,note\nx,"unterminated\n', "malformed row"),
    "latin1.csv": ("en\ncaf\xe9\n".encode("latin-1"), "not UTF-8 text"),
    "empty.csv": ("", "empty file"),
    "unknown-type.docx": ("x", "unknown file type '.docx'"),
}


def write(tmp_path, name: str, content) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_read_gives_one_clear_error(name, tmp_path):
    content, expected = HOSTILE[name]
    path = write(tmp_path, name, content)
    with pytest.raises(FormatError) as info:
        read_termbase(path)
    message = str(info.value)
    assert expected in message
    assert message.startswith(path + ": ")
    assert "\n" not in message


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_failed_import_leaves_store_unchanged(name, tmp_path, seed_store):
    content, _ = HOSTILE[name]
    before = dump_store(seed_store)
    with pytest.raises(FormatError):
        import_termbase(seed_store, write(tmp_path, name, content), reviewer="ana")
    assert dump_store(seed_store) == before


def test_error_after_many_good_entries_rolls_everything_back(tmp_path, seed_store):
    rows = "".join(f"term {i},approved\n" for i in range(500))
    path = write(tmp_path, "late-error.csv", "en,status\n" + rows + "broken,maybe\n")
    before = dump_store(seed_store)
    with pytest.raises(FormatError, match="line 502: unknown status 'maybe'"):
        import_termbase(seed_store, path, reviewer="ana")
    assert dump_store(seed_store) == before


def test_xxe_file_content_never_reaches_the_store(tmp_path, empty_store):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    path = write(tmp_path, "x.tbx", tbx("&xxe;", prolog=f'<!DOCTYPE tbx [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'))
    with pytest.raises(FormatError):
        import_termbase(empty_store, path, reviewer="ana")
    assert empty_store.execute("SELECT count(*) FROM terms").fetchone()[0] == 0


def test_plain_doctype_without_entities_is_accepted(tmp_path):
    path = write(tmp_path, "v2.tbx", (
        '<?xml version="1.0"?>\n<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">\n'
        '<martif type="TBX-Basic" xml:lang="en"><martifHeader/><text><body><termEntry id="c7">'
        '<langSet xml:lang="km-KH"><tig><term>ឌីជីថល</term></tig></langSet>'
        '<langSet xml:lang="fr"><tig><term>numérique</term></tig></langSet></termEntry></body></text></martif>'
    ))
    (concept,) = read_termbase(path)
    assert [(t.lang, t.text) for t in concept.terms] == [("km", "ឌីជីថល")]


@pytest.mark.parametrize("name", ["billion-laughs.tbx", "truncated.tbx", "bad-status.csv"])
def test_cli_prints_one_line_and_exit_code_2(name, tmp_path, capsys):
    content, expected = HOSTILE[name]
    path = write(tmp_path, name, content)
    db = str(tmp_path / "cli.db")
    assert main(["import", path, "--db", db]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("termalign: error: ") and expected in err
    assert len(err.splitlines()) == 1


def test_missing_file_is_a_format_error(tmp_path):
    for name in ("gone.tbx", "gone.csv"):
        with pytest.raises(FormatError, match=f"{name}: cannot read: No such file"):
            read_termbase(tmp_path / name)
