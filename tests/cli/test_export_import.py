"""`termalign export`, `termalign import` and `termalign stats` as a user runs them."""

from __future__ import annotations

import json

from termalign.cli import main

from ..export.tbx_validation import tbx_basic_errors


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_export_import_stats_session(seed_store, tmp_path, capsys):
    db = seed_store.execute("PRAGMA database_list").fetchone()["file"]
    tbx = tmp_path / "glossary.tbx"
    code, out, _ = run(capsys, "export", "-o", str(tbx), "--db", db, "--json")
    assert code == 0
    assert json.loads(out) == {
        "output": str(tbx), "format": "tbx", "tbx_version": 3, "statuses": ["approved"], "concepts": 5,
    }
    assert tbx_basic_errors(tbx) == []

    fresh = str(tmp_path / "fresh.db")
    code, out, _ = run(capsys, "import", str(tbx), "--db", fresh, "--reviewer", "ana", "--json")
    assert code == 0
    report = json.loads(out)
    assert (report["added"], report["merged"], report["conflicting"]) == (5, 0, 0)

    code, out, _ = run(capsys, "stats", "--db", fresh, "--json")
    stats = json.loads(out)
    assert stats["concepts"] == {"total": 5, "by_status": {"unreviewed": 0, "approved": 5, "rejected": 0}}
    assert stats["languages"]["km"] == {"terms": 6, "preferred": 4, "concepts": 4, "approved_concepts": 4}
    assert stats["languages"]["th"]["terms"] == 6
    assert stats["concepts_by_language_count"] == {"1": 0, "2": 1, "3": 1, "4": 3}
    assert stats["review_log"]["by_action"] == {"import-add": 5}
    assert stats["review_log"]["by_reviewer"] == {"ana": 5}


def test_export_to_stdout_and_v2(seed_store, capsys):
    db = seed_store.execute("PRAGMA database_list").fetchone()["file"]
    code, out, err = run(capsys, "export", "-o", "-", "--tbx-version", "2", "--db", db)
    assert code == 0 and out.startswith("<?xml") and "<martif" in out
    assert "5 concepts → - (TBX v2)" in err
    code, out, _ = run(capsys, "export", "-o", "-", "-f", "tsv", "--include-unreviewed", "--db", db)
    assert code == 0 and len(out.strip().split("\n")) == 7


def test_import_dry_run_and_table(seed_store, tmp_path, capsys):
    db = seed_store.execute("PRAGMA database_list").fetchone()["file"]
    path = tmp_path / "new.csv"
    path.write_text("status,en,km\napproved,digital economy,\napproved,smart city,ទីក្រុងឆ្លាតវៃ\n", encoding="utf-8")
    code, out, _ = run(capsys, "import", str(path), "--db", db, "--dry-run")
    assert code == 0
    assert "dry run" in out and "added" in out
    assert seed_store.execute("SELECT count(*) FROM concepts").fetchone()[0] == 7


def test_stats_on_missing_store_is_one_line_error(tmp_path, capsys):
    code, out, err = run(capsys, "stats", "--db", str(tmp_path / "none.db"))
    assert code == 3 and out == ""
    assert err.startswith("termalign: error: ") and len(err.strip().splitlines()) == 1


def test_stats_table(seed_store, capsys):
    db = seed_store.execute("PRAGMA database_list").fetchone()["file"]
    code, out, _ = run(capsys, "stats", "--db", db)
    assert code == 0
    assert "Concepts: 7" in out and "Languages" in out and "Review log" in out


def test_help_texts(capsys):
    for command in ("export", "import", "stats"):
        code, out, _ = run(capsys, command, "--help")
        assert code == 0 and "Usage: termalign" in out
    assert "--include-unreviewed" in run(capsys, "export", "--help")[1]
    assert "normalized key" in run(capsys, "import", "--help")[1]


def test_export_help_says_which_tool_takes_which(capsys):
    out = run(capsys, "export", "--help")[1]
    for claim in ("OmegaT 3.6 reads it", "translate-toolkit", "Weblate", "memoQ", "Phrase", "MultiTerm"):
        assert claim in out
    assert "memoQ, Trados MultiTerm, Phrase, OmegaT and Okapi" not in out


def test_omegat_export_from_the_cli(seed_store, tmp_path, capsys):
    db = seed_store.execute("PRAGMA database_list").fetchone()["file"]
    path = tmp_path / "en-km.utf8"
    code, out, _ = run(capsys, "export", "-o", str(path), "--source", "en", "--target", "km", "--db", db, "--json")
    assert code == 0 and json.loads(out)["pair"] == ["en", "km"]
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert "digital transformation\tការផ្លាស់ប្តូរឌីជីថល\te-government" in lines
    code, _, err = run(capsys, "export", "-o", str(path), "--db", db)
    assert code == 2 and "give --source and --target" in err


def test_memoq_xlsx_export_from_the_cli(seed_store, tmp_path, capsys):
    db = seed_store.execute("PRAGMA database_list").fetchone()["file"]
    code, out, _ = run(capsys, "export", "-o", str(tmp_path / "t.xlsx"), "--db", db)
    assert code == 0 and "5 concepts" in out and "memoQ XLSX" in " ".join(out.split())
    assert (tmp_path / "t.xlsx").read_bytes()[:2] == b"PK"
