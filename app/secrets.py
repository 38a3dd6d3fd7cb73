"""Secrets in the OS keyring (Windows Credential Locker, macOS Keychain, Secret Service).

When no store exists CareCall says so plainly; it never falls back to clear-text files.
"""

from __future__ import annotations

import keyring
from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

SERVICE = "CareCall"


class SecretStoreUnavailable(RuntimeError):
    pass


_NO_STORE_MESSAGE = (
    "no OS keyring is available on this computer (Secret Service, Keychain or Credential "
    "Locker); secrets are not stored in plain files, so start a keyring service and try again"
)
# Backends that "work" but would not protect a secret: they are treated as no keyring.
_REFUSED_BACKENDS = {
    "keyring.backends.fail.Keyring",  # the placeholder keyring picks when nothing is viable
    "keyring.backends.null.Keyring",  # silently forgets everything
    "keyrings.alt.file.PlaintextKeyring",  # clear text on disk
}


def _backend_name(kr: object) -> str:
    return f"{type(kr).__module__}.{type(kr).__qualname__}"


def _backend_ok() -> None:
    """Raise SecretStoreUnavailable unless keyring has a real OS store to talk to."""
    from keyring.backends.chainer import ChainerBackend

    kr = keyring.get_keyring()
    if isinstance(kr, ChainerBackend):
        usable = [b for b in kr.backends if _backend_name(b) not in _REFUSED_BACKENDS]
        if not usable:
            raise SecretStoreUnavailable(_NO_STORE_MESSAGE)
        return
    if _backend_name(kr) in _REFUSED_BACKENDS:
        raise SecretStoreUnavailable(_NO_STORE_MESSAGE)


def backend_description() -> str:
    """Which store holds the secrets (for ``carecall key status``); raises when there is none."""
    _backend_ok()
    return _backend_name(keyring.get_keyring())


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
    except KeyringError as e:
        raise SecretStoreUnavailable(f"the OS keyring refused to delete the secret: {e}") from None


def database_secret_name(url: str) -> str:
    from sqlalchemy.engine import make_url

    u = make_url(url)
    return f"database:{u.username or ''}@{u.host or 'localhost'}:{u.port or ''}/{u.database or ''}"
