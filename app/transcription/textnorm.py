"""Words -> normalised stems -> keyed hash tokens, the same way for indexing and for queries.

A word is lower-cased, ё becomes е, digits become words ("2" -> "two"/"два" is not done here:
the index keeps digit strings as they are, see :func:`words`), then stemmed with Snowball
(Russian for Cyrillic words, English for Latin ones), so "пломбу" and "пломба" give one stem.
The index never holds the stem itself: only HMAC-SHA256(index key, stem), truncated to 80 bits
and base32-encoded with a "t" prefix (letters and digits only, one token for FTS5's unicode61
tokenizer and PostgreSQL's 'simple' parser alike).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from functools import lru_cache

import snowballstemmer

WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_CYR = re.compile(r"[а-яё]")

_ru = snowballstemmer.stemmer("russian")
_en = snowballstemmer.stemmer("english")


def normalise(word: str) -> str:
    return word.lower().replace("ё", "е").replace("’", "'")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    w = normalise(word)
    if _CYR.search(w):
        return _ru.stemWord(w)
    if w.isascii() and w.isalpha():
        return _en.stemWord(w.replace("'", ""))
    return w.replace("'", "")


def words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) spans of the words in *text*."""
    return [(m.start(), m.end(), m.group(0)) for m in WORD_RE.finditer(text)]


def stems(text: str) -> list[str]:
    return [stem(w) for _, _, w in words(text)]


@lru_cache(maxsize=65536)
def token(key: bytes, stem_: str) -> str:
    digest = hmac.new(key, stem_.encode("utf-8"), hashlib.sha256).digest()[:10]
    return "t" + base64.b32encode(digest).decode("ascii").lower()


def tokens(key: bytes, text: str) -> list[str]:
    """Distinct hash tokens of *text*, in first-seen order."""
    seen: dict[str, None] = {}
    for s in stems(text):
        seen.setdefault(token(key, s), None)
    return list(seen)


# A recording's search document (transcript_documents) holds its tokens cut to 40 bits: that
# is enough to tell which recordings may hold a word (a chance collision only adds a candidate
# that the segment-level check drops), and keeps a document of ~100 words small (on
# PostgreSQL under the 2 kB that would move it out of line into TOAST).
DOC_TOKEN_CHARS = 9  # "t" + 8 base32 characters


def doc_token(tok: str) -> str:
    return tok[:DOC_TOKEN_CHARS]
