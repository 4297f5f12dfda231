"""``termalign review``: arguments reach the app; a bad file is one clear line."""

from __future__ import annotations

from termalign.tui.app import ReviewApp, default_reviewer

from termalign.cli import main


def test_review_opens_the_given_file_as_the_given_reviewer(termbase, monkeypatch):
    seen = {}

    def fake_run(self):  # no terminal in tests: record what would be shown
        seen.update(db=self.db_path, reviewer=self.reviewer)

    monkeypatch.setattr(ReviewApp, "run", fake_run)
    assert main(["review", str(termbase), "--reviewer", "sokha"]) == 0
    assert seen == {"db": termbase, "reviewer": "sokha"}
    monkeypatch.setenv("TERMALIGN_DB", str(termbase))
    assert main(["review"]) == 0
    assert seen == {"db": termbase, "reviewer": default_reviewer()}


def test_review_refuses_a_missing_file(tmp_path, capsys):
    assert main(["review", str(tmp_path / "nothing.db")]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no termbase here" in err
    assert not (tmp_path / "nothing.db").exists()
