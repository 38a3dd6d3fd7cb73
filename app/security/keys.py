"""The clinic's key hierarchy for health data (recordings, transcripts, search index).

* **Master key**: 32 random bytes, created once, held only in the OS keyring (via
  :mod:`app.secrets`, entry ``recording-master-key``). No keyring -> ``SecretStoreUnavailable``;
  there is no clear-text fallback. Its ``key_id`` (a hash, not the key) is stored next to
  everything it protects, so a workstation with another key says so instead of failing oddly.
* **Data keys**: one random AES-256-GCM key per recording, wrapped (AES-GCM) by the master key
  and stored in ``recordings.wrapped_key``. Deleting the wrapped key shreds the recording even
  in backups.
* **Derived keys**: HKDF-SHA256 from the master key with a purpose label, e.g. the
  :class:`TextCipher` key for transcript text and HMAC keys for a blind search index.
* **Enrolment**: :meth:`KeyManager.export_master` wraps the master key with a passphrase
  (scrypt), :meth:`KeyManager.import_master` puts it into another workstation's keyring.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import threading

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from app import secrets
from app.secrets import SecretStoreUnavailable

__all__ = [
    "KeyError_",
    "KeyManager",
    "MasterKeyMissing",
    "SecretStoreUnavailable",
    "TextCipher",
    "WrongMasterKey",
    "WrongPassphrase",
]

MASTER_SECRET_NAME = "recording-master-key"
_WRAP_VERSION = 1
_WRAP_AAD = b"carecall/data-key/v1"
_EXPORT_PREFIX = "CARECALL-MASTER-KEY-1:"


class KeyError_(Exception):  # noqa: N801 - not the builtin KeyError
    """A key problem explained for a person."""


class MasterKeyMissing(KeyError_):
    pass


class WrongMasterKey(KeyError_):
    pass


class WrongPassphrase(KeyError_):
    pass


def key_id_of(master: bytes) -> str:
    """A public fingerprint of the master key (16 hex digits); reveals nothing about it."""
    return hashlib.sha256(b"carecall/key-id/v1" + master).hexdigest()[:16]


class KeyManager:
    """Master key in the OS keyring, data key wrapping, derived keys.

    ``secret_name`` lets tests (and a key rotation) use another keyring entry.
    ``create`` = False makes a missing master key an error instead of creating one; the
    workstation that sets the clinic up creates it, the others import it.
    """

    def __init__(self, secret_name: str = MASTER_SECRET_NAME, create: bool = True) -> None:
        self.secret_name = secret_name
        self.create = create
        self._master: bytes | None = None
        self._lock = threading.Lock()

    # --- master key -------------------------------------------------------------------
    def master_key(self) -> bytes:
        with self._lock:
            if self._master is None:
                stored = secrets.get_secret(self.secret_name)
                if stored is None:
                    if not self.create:
                        raise MasterKeyMissing(
                            "this workstation has no clinic master key yet: import it with "
                            "'carecall key import FILE' (exported on the first workstation with "
                            "'carecall key export FILE')"
                        )
                    master = os.urandom(32)
                    secrets.set_secret(self.secret_name, base64.b64encode(master).decode("ascii"))
                    # Read it back: a store that silently drops secrets would lose every recording.
                    again = secrets.get_secret(self.secret_name)
                    if again is None or base64.b64decode(again) != master:
                        raise SecretStoreUnavailable("the OS keyring did not keep the master key")
                    stored = again
                try:
                    master = base64.b64decode(stored, validate=True)
                except ValueError:
                    master = b""
                if len(master) != 32:
                    raise KeyError_(f"the keyring entry {self.secret_name!r} is not a CareCall master key")
                self._master = master
            return self._master

    @property
    def key_id(self) -> str:
        return key_id_of(self.master_key())

    def forget_cached(self) -> None:
        with self._lock:
            self._master = None

    # --- data keys --------------------------------------------------------------------
    def new_data_key(self) -> tuple[bytes, bytes, str]:
        """A fresh AES-256 key, the same key wrapped by the master key, and the key id."""
        dek = AESGCM.generate_key(bit_length=256)
        return dek, self.wrap(dek), self.key_id

    def wrap(self, dek: bytes) -> bytes:
        nonce = os.urandom(12)
        return bytes([_WRAP_VERSION]) + nonce + AESGCM(self.master_key()).encrypt(nonce, dek, _WRAP_AAD)

    def unwrap(self, wrapped: bytes, key_id: str = "") -> bytes:
        if not wrapped:
            raise KeyError_("the data key was destroyed (the recording was deleted)")
        if key_id and key_id != self.key_id:
            raise WrongMasterKey(
                f"encrypted with master key {key_id}, but this workstation's keyring holds key "
                f"{self.key_id}: import the clinic's key with 'carecall key import'"
            )
        if wrapped[0] != _WRAP_VERSION or len(wrapped) < 1 + 12 + 16:
            raise KeyError_("unknown wrapped key format")
        try:
            return AESGCM(self.master_key()).decrypt(wrapped[1:13], wrapped[13:], _WRAP_AAD)
        except InvalidTag:
            raise WrongMasterKey("the data key does not open with this workstation's master key") from None

    # --- derived keys -----------------------------------------------------------------
    def derive_key(self, purpose: str, length: int = 32) -> bytes:
        """An independent key for *purpose* (HKDF-SHA256 of the master key)."""
        if not purpose:
            raise ValueError("a purpose label is required")
        return HKDF(algorithm=hashes.SHA256(), length=length, salt=None,
                    info=b"carecall/" + purpose.encode("utf-8")).derive(self.master_key())

    def hmac_key(self, purpose: str) -> bytes:
        return self.derive_key("hmac/" + purpose)

    def blind_token(self, purpose: str, token: str) -> str:
        """Keyed hash of a (normalised) search token: equal tokens give equal hex strings."""
        return hmac.new(self.hmac_key(purpose), token.encode("utf-8"), hashlib.sha256).hexdigest()

    def text_cipher(self, purpose: str = "transcript-text") -> TextCipher:
        return TextCipher(self.derive_key("text/" + purpose), key_id=self.key_id)

    # --- enrolment of other workstations --------------------------------------------
    def export_master(self, passphrase: str, *, n: int = 2**15) -> str:
        """The master key wrapped by *passphrase* (scrypt + AES-GCM), as one line of text."""
        if len(passphrase) < 8:
            raise WrongPassphrase("choose a passphrase of at least 8 characters")
        salt = os.urandom(16)
        kek = Scrypt(salt=salt, length=32, n=n, r=8, p=1).derive(passphrase.encode("utf-8"))
        nonce = os.urandom(12)
        kid = self.key_id
        ct = AESGCM(kek).encrypt(nonce, self.master_key(), kid.encode("ascii"))
        doc = {"kdf": "scrypt", "n": n, "r": 8, "p": 1, "salt": _b64(salt), "nonce": _b64(nonce),
               "key_id": kid, "ct": _b64(ct)}
        return _EXPORT_PREFIX + _b64(json.dumps(doc, separators=(",", ":")).encode("ascii"))

    def import_master(self, blob: str, passphrase: str, *, replace: bool = False) -> str:
        """Store an exported master key in this workstation's keyring; returns its key id."""
        blob = blob.strip()
        if not blob.startswith(_EXPORT_PREFIX):
            raise KeyError_("this is not a CareCall key export (it should start with "
                            f"{_EXPORT_PREFIX!r})")
        try:
            doc = json.loads(base64.b64decode(blob[len(_EXPORT_PREFIX):]))
            salt, nonce, ct = (base64.b64decode(doc[k]) for k in ("salt", "nonce", "ct"))
            kid = str(doc["key_id"])
            if doc.get("kdf") != "scrypt":
                raise ValueError
            kek = Scrypt(salt=salt, length=32, n=int(doc["n"]), r=int(doc["r"]), p=int(doc["p"])).derive(
                passphrase.encode("utf-8"))
        except (ValueError, KeyError, TypeError):
            raise KeyError_("the key export is damaged") from None
        try:
            master = AESGCM(kek).decrypt(nonce, ct, kid.encode("ascii"))
        except InvalidTag:
            raise WrongPassphrase("wrong passphrase (or a damaged key export)") from None
        if key_id_of(master) != kid:
            raise KeyError_("the key export is damaged (key id mismatch)")
        existing = secrets.get_secret(self.secret_name)
        if existing is not None:
            if base64.b64decode(existing) == master:
                return kid
            if not replace:
                raise KeyError_(
                    f"this workstation already holds another master key "
                    f"({key_id_of(base64.b64decode(existing))}); recordings made with it would "
                    "become unreadable: pass --replace only if it holds nothing of value"
                )
        secrets.set_secret(self.secret_name, base64.b64encode(master).decode("ascii"))
        self.forget_cached()
        return kid

    def has_master_key(self) -> bool:
        return secrets.get_secret(self.secret_name) is not None


class TextCipher:
    """AES-256-GCM for short texts (transcript segments). ``aad`` binds a ciphertext to its row.

    Format: version byte, 8 bytes of key id, 12-byte nonce, ciphertext+tag.
    """

    VERSION = 1

    def __init__(self, key: bytes, key_id: str = "") -> None:
        self._aes = AESGCM(key)
        self._kid = bytes.fromhex(key_id) if key_id else b"\0" * 8

    def encrypt(self, text: str, aad: bytes = b"") -> bytes:
        nonce = os.urandom(12)
        return bytes([self.VERSION]) + self._kid + nonce + self._aes.encrypt(nonce, text.encode("utf-8"), aad)

    def decrypt(self, blob: bytes, aad: bytes = b"") -> str:
        if len(blob) < 1 + 8 + 12 + 16 or blob[0] != self.VERSION:
            raise KeyError_("not a CareCall encrypted text")
        if blob[1:9] != self._kid:
            raise WrongMasterKey(f"text encrypted with master key {blob[1:9].hex()}, this key is {self._kid.hex()}")
        try:
            return self._aes.decrypt(blob[9:21], blob[21:], aad).decode("utf-8")
        except InvalidTag:
            raise KeyError_("encrypted text was altered or belongs to another row") from None


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def default_key_manager(create: bool = True) -> KeyManager:
    """The workstation's key manager. ``CARECALL_MASTER_KEY_NAME`` names another keyring
    entry (tests, or a staged key rotation)."""
    return KeyManager(os.environ.get("CARECALL_MASTER_KEY_NAME") or MASTER_SECRET_NAME, create=create)
