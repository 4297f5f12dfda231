"""``termalign serve``: the review app in headless Chromium, through textual-serve."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from termalign.cli import main
from termalign.store import open_store, transaction
from termalign.store.concepts import Concept, Term, insert_concept

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def small_store(path: Path) -> None:
    conn = open_store(path)
    with transaction(conn):
        for en, vi in (("digital transformation", "chuyển đổi số"), ("e-government", "chính phủ điện tử")):
            insert_concept(conn, Concept([Term("en", en, "preferred"), Term("vi", vi, "preferred")], score=0.9))
    conn.close()


def review_log(path: Path) -> list[tuple[int, str, str]]:
    conn = open_store(path, create=False)
    rows = conn.execute("SELECT concept_id, reviewer, action FROM review_log ORDER BY id").fetchall()
    conn.close()
    return [tuple(r) for r in rows]


def test_serve_refuses_a_non_loopback_address_without_the_flag(tmp_path, capsys):
    small_store(tmp_path / "t.db")
    assert main(["serve", "--db", str(tmp_path / "t.db"), "--host", "0.0.0.0"]) == 2
    assert "not a loopback address" in capsys.readouterr().err


def test_serve_help_says_authentication_belongs_to_a_reverse_proxy(capsys):
    assert main(["serve", "--help"]) == 0
    assert "reverse proxy" in capsys.readouterr().out


def test_serve_refuses_a_missing_store(tmp_path, capsys):
    assert main(["serve", "--db", str(tmp_path / "none.db")]) != 0
    assert "no termbase here" in capsys.readouterr().err


def start_server(db: str, tmp_path: Path):
    port = free_port()
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "termalign", "serve", "--db", str(db), "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            time.sleep(0.2)
    return server, log, f"http://127.0.0.1:{port}/"


@pytest.fixture
def served(tmp_path, need):
    need("textual-serve", _importable("textual_serve"), "pip install -e '.[serve]'")
    db = tmp_path / "served.db"
    small_store(db)
    server, log, url = start_server(str(db), tmp_path)
    yield db, url
    server.terminate()
    server.wait(timeout=10)
    log.close()


def _importable(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def approve_in_browser(chromium_path: str, url: str, sign_in: list[str], logged) -> None:
    """Open the app in headless Chromium, sign in (one field after another), press a."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        # Nothing from outside: the page asks for a web font, which is refused here.
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(url) else route.abort())
        page.goto(url)
        page.wait_for_selector("body.-first-byte", state="attached", timeout=30_000)  # the app process answered
        page.locator(".textual-terminal").click()
        time.sleep(2)  # the sign-in screen mounts
        for value in sign_in:
            page.keyboard.type(value)
            page.keyboard.press("Enter")
            time.sleep(0.5)
        time.sleep(2)  # the review screen loads the listing
        page.keyboard.press("a")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not logged():
            time.sleep(0.3)
        browser.close()


def test_a_browser_session_signs_in_and_approves_a_concept(served, chromium_path, need):
    need("playwright", _importable("playwright"), "pip install playwright (the browser is Debian's chromium)")

    db, url = served
    approve_in_browser(chromium_path, url, ["Sokha Chan"], lambda: review_log(db))
    log = review_log(db)
    assert log, "nothing logged; the server said:\n" + (db.parent / "server.log").read_text()[-3000:]
    assert [(reviewer, action) for _, reviewer, action in log] == [("Sokha Chan", "approve")]
    conn = open_store(db, create=False)
    status = conn.execute("SELECT status FROM concepts WHERE id = ?", (log[0][0],)).fetchone()[0]
    conn.close()
    assert status == "approved"


def test_on_postgresql_a_browser_session_signs_in_as_its_database_role(postgres_db, chromium_path, need, tmp_path):
    need("textual-serve", _importable("textual_serve"), "pip install -e '.[serve]'")
    need("playwright", _importable("playwright"), "pip install playwright (the browser is Debian's chromium)")
    from psycopg.conninfo import conninfo_to_dict

    from termalign.store import as_store
    from termalign.store.postgres import grant_reviewer

    store = as_store(open_store(postgres_db))
    with store.transaction():
        store.insert_concept(Concept([Term("en", "e-government", "preferred")], score=0.9))
    grant_reviewer(store, "sokha", "pw-sokha")
    p = conninfo_to_dict(postgres_db)
    server, log, url = start_server(f"postgresql://{p['host']}:{p['port']}/{p['dbname']}", tmp_path)
    try:
        approve_in_browser(chromium_path, url, ["sokha", "pw-sokha"], lambda: store.log_entries())
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
    entries = store.log_entries()
    assert entries, "nothing logged; the server said:\n" + (tmp_path / "server.log").read_text()[-3000:]
    assert [(e.reviewer, e.action) for e in entries] == [("sokha", "approve")]
    store.close()
