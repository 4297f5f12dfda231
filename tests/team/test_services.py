"""The test services: a missing one skips on a developer's machine and fails under CI=true."""

from __future__ import annotations

import pytest


def test_a_missing_service_skips_naming_it(need, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="needs PostgreSQL: run through tools/with-postgres"):
        need("PostgreSQL", False, "run through tools/with-postgres")


def test_a_missing_service_fails_under_ci(need, monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="needs Chromium: apt-get install chromium .CI=true"):
        need("Chromium", False, "apt-get install chromium")


def test_an_available_service_neither_skips_nor_fails(need, monkeypatch):
    monkeypatch.setenv("CI", "true")
    need("Ray", True, "pip install -e '.[ray]'")


def test_the_throwaway_cluster_is_postgresql_15_or_later_on_loopback(postgres_db):
    import psycopg

    with psycopg.connect(postgres_db) as conn:
        version = conn.execute("SHOW server_version_num").fetchone()[0]
        address = conn.execute("SELECT inet_server_addr()").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]
    assert int(version) >= 150000
    assert str(address) == "127.0.0.1"
    assert tables == 0  # a fresh database for each test
