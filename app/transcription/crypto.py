"""Encryption of transcript text at rest and the key for the search index's hashes.

``TextCipher`` is the small interface the store needs (encrypt/decrypt bytes). The default is
AES-256-GCM with a random 96-bit nonce per message (stored as nonce || ciphertext+tag), with
associated data binding a ciphertext to its recording so rows cannot be swapped unnoticed.

Both keys are derived (HKDF-SHA256) from the one clinic master key kept in the OS keyring via
:mod:`app.secrets` (secret name :data:`MASTER_KEY_SECRET`, managed by app.security.keys), so every workstation and worker
that has the master key can read transcripts and search them; the database alone cannot.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MASTER_KEY_SECRET = "recording-master-key"


class DecryptionError(Exception):
    """Ciphertext that does not decrypt with this key (wrong key or tampered data)."""


class TextCipher(Protocol):
    key_id: str

    def encrypt(self, data: bytes, aad: bytes = b"") -> bytes: ...

    def decrypt(self, blob: bytes, aad: bytes = b"") -> bytes: ...


class AesGcmTextCipher:
    def __init__(self, key: bytes, key_id: str = ""):
        if len(key) != 32:
            raise ValueError("AES-256-GCM needs a 32-byte key")
        self._aead = AESGCM(key)
        self.key_id = key_id

    def encrypt(self, data: bytes, aad: bytes = b"") -> bytes:
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, data, aad or None)

    def decrypt(self, blob: bytes, aad: bytes = b"") -> bytes:
        try:
            return self._aead.decrypt(blob[:12], blob[12:], aad or None)
        except InvalidTag:
            raise DecryptionError("transcript text does not decrypt with this key") from None


def _derive(master: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"carecall-transcripts", info=info).derive(master)


@dataclass(frozen=True)
class TranscriptKeys:
    cipher: TextCipher
    index_key: bytes  # HMAC key for search tokens

    @classmethod
    def from_master(cls, master: bytes) -> "TranscriptKeys":
        key_id = hashlib.sha256(b"key-id" + master).hexdigest()[:16]
        return cls(AesGcmTextCipher(_derive(master, b"text-v1"), key_id), _derive(master, b"index-v1"))


def master_key_from_keyring(create: bool = True) -> bytes:
    """The clinic master key from the OS keyring; a new random one is stored when absent.

    Raises :class:`app.secrets.SecretStoreUnavailable` when no keyring exists (never a file).
    """
    from app.secrets import get_secret, set_secret

    value = get_secret(MASTER_KEY_SECRET)
    if value is None:
        if not create:
            raise LookupError(f"no {MASTER_KEY_SECRET} in the OS keyring")
        value = base64.b64encode(os.urandom(32)).decode("ascii")
        set_secret(MASTER_KEY_SECRET, value)
    key = base64.b64decode(value)
    if len(key) < 32:
        raise ValueError(f"{MASTER_KEY_SECRET} in the keyring is shorter than 32 bytes")
    return key


def keys_from_keyring(create: bool = True) -> TranscriptKeys:
    """Transcript keys from the workstation's clinic master key, through the recording area's
    key manager (app.security.keys: same keyring entry, creation and validation rules)."""
    try:
        from app.security.keys import default_key_manager
    except ImportError:
        return TranscriptKeys.from_master(master_key_from_keyring(create))
    km = default_key_manager(create=create)
    return TranscriptKeys(AesGcmTextCipher(km.derive_key("text/transcript-text"), km.key_id),
                          km.hmac_key("transcript-index"))
