"""``termalign store settings``: show and set a termbase's team settings (SQLite here; the
PostgreSQL roles' side is in tests/team/test_postgres.py)."""

from __future__ import annotations

import json

from termalign.cli import main
from termalign.store import as_store, open_store


def test_show_set_and_refuse(tmp_path, capsys):
    db = str(tmp_path / "t.db")
    open_store(db).close()
    assert main(["store", "settings", "--db", db]) == 0
    assert capsys.readouterr().out.strip() == "rejections-needed = 1  (default)"
    assert main(["store", "settings", "rejections-needed", "3", "--db", db, "--reviewer", "ana", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["rejections-needed"]["value"] == "3" and shown["rejections-needed"]["set_by"] == "ana"
    assert main(["store", "settings", "rejections-needed", "none", "--db", db]) == 2
    err = capsys.readouterr().err
    assert "rejections-needed: takes a whole number, 1 or more, not 'none'" in err and len(err.strip().splitlines()) == 1
    assert main(["store", "settings", "rejection-scope", "--db", db]) == 2
    assert "no team setting 'rejection-scope'" in capsys.readouterr().err
    assert main(["store", "settings", "--db", str(tmp_path / "none.db")]) == 3
    conn = open_store(db, create=False)
    assert as_store(conn).team_setting("rejections-needed") == 3  # the refused values stored nothing
    conn.close()
