"""``carecall user add/passwd/role/list`` and ``carecall retention show`` on a real database."""

from __future__ import annotations

import io

import pytest

from app.cli import main
from app.review.auth import AuthService, SignInRefused
from db.session import make_engine, session_factory


def _run(monkeypatch, capsys, url, *argv, stdin=""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main([*argv, "--database", url])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_user_commands(monkeypatch, capsys, sqlite_url):
    code, out, _ = _run(monkeypatch, capsys, sqlite_url, "user", "list")
    assert code == 0 and "no users yet" in out
    code, out, _ = _run(monkeypatch, capsys, sqlite_url, "user", "add", "olga", "--name", "Ольга Смирнова",
                        "--role", "supervisor", "--password-stdin", stdin="long password\n")
    assert (code, out.strip()) == (0, "added olga (supervisor)")
    code, _, err = _run(monkeypatch, capsys, sqlite_url, "user", "add", "olga", "--role", "trainer",
                        "--password-stdin", stdin="long password\n")
    assert code == 2 and "already exists" in err and "Traceback" not in err
    code, _, err = _run(monkeypatch, capsys, sqlite_url, "user", "passwd", "olga", "--password-stdin", stdin="short\n")
    assert code == 2 and "at least 8" in err
    assert _run(monkeypatch, capsys, sqlite_url, "user", "passwd", "olga", "--password-stdin",
                stdin="another password\n")[0] == 0
    assert _run(monkeypatch, capsys, sqlite_url, "user", "role", "olga", "manager")[0] == 0
    code, out, _ = _run(monkeypatch, capsys, sqlite_url, "user", "list")
    assert "olga" in out and "manager" in out and "Ольга Смирнова" in out
    code, out, _ = _run(monkeypatch, capsys, sqlite_url, "retention", "show")
    assert code == 0 and "1095 days (from settings)" in out
    e = make_engine(sqlite_url)
    try:
        auth = AuthService(session_factory(e))
        assert auth.sign_in("olga", "another password").role == "manager"
        with pytest.raises(SignInRefused):
            auth.sign_in("olga", "long password")
    finally:
        e.dispose()
