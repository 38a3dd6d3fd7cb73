"""Keys for health data against a real Secret Service (gnome-keyring in a private D-Bus)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import secrets
from app.security.keys import KeyError_, KeyManager, MasterKeyMissing, TextCipher, WrongMasterKey, WrongPassphrase

ROOT = Path(__file__).resolve().parents[3]


def test_master_key_is_created_once_and_kept_in_the_os_keyring(real_keyring):
    name = real_keyring + "master"
    km = KeyManager(name)
    k1 = km.master_key()
    assert len(k1) == 32
    # A new manager (another start of the program) reads the same key from the keyring.
    assert KeyManager(name).master_key() == k1
    stored = secrets.get_secret(name)
    assert stored is not None and stored != k1.hex()
    assert "SecretService" in secrets.backend_description()


def test_missing_master_key_without_create_says_import(real_keyring):
    with pytest.raises(MasterKeyMissing, match="carecall key import"):
        KeyManager(real_keyring + "absent", create=False).master_key()


def test_data_key_wrap_unwrap_and_wrong_master(real_keyring):
    a = KeyManager(real_keyring + "a")
    b = KeyManager(real_keyring + "b")
    dek, wrapped, kid = a.new_data_key()
    assert a.unwrap(wrapped, kid) == dek
    assert dek not in wrapped
    with pytest.raises(WrongMasterKey, match="carecall key import"):
        b.unwrap(wrapped, kid)
    with pytest.raises(WrongMasterKey):
        b.unwrap(wrapped)  # without the id: the tag check catches it


def test_text_cipher_and_blind_tokens(real_keyring):
    km = KeyManager(real_keyring + "t")
    tc = km.text_cipher()
    blob = tc.encrypt("Болит зуб справа", aad=b"segment:7")
    assert "зуб".encode() not in blob
    assert km.text_cipher().decrypt(blob, aad=b"segment:7") == "Болит зуб справа"
    with pytest.raises(KeyError_, match="altered or belongs to another row"):
        tc.decrypt(blob, aad=b"segment:8")
    tampered = bytearray(blob)
    tampered[-1] ^= 1
    with pytest.raises(KeyError_):
        tc.decrypt(bytes(tampered), aad=b"segment:7")
    other = KeyManager(real_keyring + "t2")
    with pytest.raises(WrongMasterKey):
        other.text_cipher().decrypt(blob, aad=b"segment:7")
    # Blind index: deterministic per key and purpose, different across purposes and keys.
    assert km.blind_token("search", "зуб") == km.blind_token("search", "зуб")
    assert km.blind_token("search", "зуб") != km.blind_token("other", "зуб")
    assert km.blind_token("search", "зуб") != other.blind_token("search", "зуб")
    assert km.derive_key("x") != km.derive_key("y") and len(km.derive_key("x")) == 32
    assert isinstance(tc, TextCipher)


def test_export_import_enrols_another_workstation(real_keyring):
    first = KeyManager(real_keyring + "first")
    blob = first.export_master("correct horse battery", n=2**12)
    assert first.master_key().hex() not in blob
    second = KeyManager(real_keyring + "second", create=False)
    with pytest.raises(WrongPassphrase):
        second.import_master(blob, "wrong passphrase!")
    with pytest.raises(KeyError_, match="not a CareCall key export"):
        second.import_master("hello", "correct horse battery")
    assert second.import_master(blob, "correct horse battery") == first.key_id
    assert second.master_key() == first.master_key()
    # A workstation holding a different key is not silently overwritten.
    third = KeyManager(real_keyring + "third")
    third.master_key()
    with pytest.raises(KeyError_, match="--replace"):
        third.import_master(blob, "correct horse battery")
    third.import_master(blob, "correct horse battery", replace=True)
    assert third.master_key() == first.master_key()


def test_cli_key_export_import_status(real_keyring, tmp_path):
    env = dict(os.environ, CARECALL_MASTER_KEY_NAME=real_keyring + "cli")
    run = lambda *a, inp="": _carecall(env, "key", *a, inp=inp)  # noqa: E731
    r = run("status")
    assert r.returncode == 0 and "no master key" in r.stdout, r.stderr
    r = run("export", str(tmp_path / "k.txt"), "--passphrase-stdin", inp="long passphrase\n")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "k.txt").read_text().startswith("CARECALL-MASTER-KEY-1:")
    r = run("status")
    assert "key id" in r.stdout
    env["CARECALL_MASTER_KEY_NAME"] = real_keyring + "cli2"
    r = run("import", str(tmp_path / "k.txt"), "--passphrase-stdin", inp="bad passphrase\n")
    assert r.returncode == 1 and "wrong passphrase" in r.stderr and "Traceback" not in r.stderr
    r = run("import", str(tmp_path / "k.txt"), "--passphrase-stdin", inp="long passphrase\n")
    assert r.returncode == 0 and "imported" in r.stdout, r.stderr


def _carecall(env, *args, inp=""):
    """``carecall ARGS`` in a fresh process (the keyring backend is chosen at start-up).

    Only this area's subcommand is registered, so another area's unfinished module cannot
    break this test."""
    code = ("import sys, app.commands as c; c.COMMAND_MODULES[:] = ['app.commands.key']\n"
            "from app.cli import main; sys.exit(main(sys.argv[1:]))")
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, input=inp,
                          capture_output=True, text=True, timeout=60)


def _without_keyring_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    env["XDG_RUNTIME_DIR"] = "/nonexistent-carecall"  # no session bus socket to fall back to
    return env


def test_no_keyring_gives_a_clear_message_and_no_file_fallback(tmp_path):
    code = (
        "from app.security.keys import KeyManager\n"
        "from app.secrets import SecretStoreUnavailable\n"
        "try:\n"
        "    KeyManager('probe').master_key()\n"
        "except SecretStoreUnavailable as e:\n"
        "    print('UNAVAILABLE:', e)\n"
    )
    env = _without_keyring_env()
    env["HOME"] = str(tmp_path)
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("UNAVAILABLE: no OS keyring is available"), r.stdout
    assert "plain files" in r.stdout
    # nothing was written anywhere under the fresh home
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    r = _carecall(env, "key", "status")
    assert r.returncode == 1 and "no OS keyring is available" in r.stderr and "Traceback" not in r.stderr


def test_backend_check_refuses_placeholder_and_null_backends(monkeypatch):
    import keyring
    from keyring.backends import fail, null
    from keyring.backends.chainer import ChainerBackend

    for kr in (fail.Keyring(), null.Keyring()):
        monkeypatch.setattr(keyring, "get_keyring", lambda kr=kr: kr)
        with pytest.raises(secrets.SecretStoreUnavailable, match="no OS keyring"):
            secrets.get_secret("x")
    empty_chain = ChainerBackend.__new__(ChainerBackend)
    monkeypatch.setattr(ChainerBackend, "backends", property(lambda self: []))
    monkeypatch.setattr(keyring, "get_keyring", lambda: empty_chain)
    with pytest.raises(secrets.SecretStoreUnavailable):
        secrets.set_secret("x", "y")
