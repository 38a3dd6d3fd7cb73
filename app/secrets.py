"""Secrets in the OS keyring (Windows Credential Locker, macOS Keychain, Secret Service).

When no store exists CareCall says so plainly; it never falls back to clear-text files.
"""

from __future__ import annotations

import keyring
from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

SERVICE = "CareCall"


class SecretStoreUnavailable(RuntimeError):
    pass


def _backend_ok() -> None:
    kr = keyring.get_keyring()
    name = type(kr).__name__
    if name in ("fail.Keyring", "Keyring") and type(kr).__module__.endswith("fail") or \
            "chainer" in type(kr).__module__ and not getattr(kr, "backends", None):
        raise SecretStoreUnavailable(
            "no OS keyring is available on this computer (Secret Service, Keychain or "
            "Credential Locker); secrets are not stored in plain files, so start a keyring "
            "service and try again"
        )


def get_secret(name: str) -> str | None:
    _backend_ok()
    try:
        return keyring.get_password(SERVICE, name)
    except NoKeyringError as e:
        raise SecretStoreUnavailable(f"no OS keyring is available: {e}") from None
    except KeyringError as e:
        raise SecretStoreUnavailable(f"the OS keyring refused access: {e}") from None


def set_secret(name: str, value: str) -> None:
    _backend_ok()
    try:
        keyring.set_password(SERVICE, name, value)
    except NoKeyringError as e:
        raise SecretStoreUnavailable(f"no OS keyring is available: {e}") from None
    except KeyringError as e:
        raise SecretStoreUnavailable(f"the OS keyring refused to store the secret: {e}") from None


def delete_secret(name: str) -> bool:
    _backend_ok()
    try:
        keyring.delete_password(SERVICE, name)
        return True
    except PasswordDeleteError:
        return False
    except NoKeyringError as e:
        raise SecretStoreUnavailable(f"no OS keyring is available: {e}") from None


def database_secret_name(url: str) -> str:
    from sqlalchemy.engine import make_url

    u = make_url(url)
    return f"database:{u.username or ''}@{u.host or 'localhost'}:{u.port or ''}/{u.database or ''}"
