"""The one text form that is indexed, queried and scanned: search never misses what an exact
substring scan of this form finds, because every engine and the scan see the same string."""

from __future__ import annotations

import re
import unicodedata

# Ideographs, kana, hangul, CJK punctuation and full-width forms: no spaces belong between them,
# so a line break inside a Chinese phrase in a PDF does not split the phrase.
_CJK = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")
_RUN = re.compile(r"[^\W_]+")  # the characters SQLite's unicode61 tokenizer keeps (L*, N*)


def normalize(text: str) -> str:
    """NFKC (full-width letters and digits become ASCII), whitespace collapsed to one space,
    and no whitespace at all between two CJK characters."""
    text = unicodedata.normalize("NFKC", text)
    text = _CJK_GAP.sub("", text)
    return _SPACES.sub(" ", text).strip()


def is_token_run(term: str) -> bool:
    """True if `term` is made only of letters and digits (one unicode61 token)."""
    return bool(_RUN.fullmatch(term))


def short_tokens(text: str) -> str:
    """Every single character and every adjacent pair inside runs of letters/digits, each once,
    sorted, space separated: what the short-term table indexes. A 1-2 character term of letters
    and digits occurs in the text exactly when it is one of these tokens."""
    tokens: set[str] = set()
    for run in _RUN.findall(text.lower()):
        tokens.update(run)
        tokens.update(run[i:i + 2] for i in range(len(run) - 1))
    return " ".join(sorted(tokens))


# Prefix of the title tokens in the short-term table: "zt" + a title's character or pair. Every
# token of a text is 1-2 characters long, so a token of 3 or more is never a text token.
TITLE_MARK = "zt"


def title_tokens(title: str) -> str:
    """The short tokens of a title, each with TITLE_MARK in front: "zt文 zt文明 zt明 …". The
    short-term table indexes them after the text's own tokens, so that the materials whose title
    holds a 1-2 character term are one token lookup (the ranking of short queries); a query term
    (1-2 characters) never matches one of them."""
    tokens = short_tokens(title)
    return " ".join(TITLE_MARK + t for t in tokens.split(" ")) if tokens else ""


def short_text(body: str, title: str) -> str:
    """What the short-term table indexes for a material: its text's short tokens, then its
    title's marked ones (search_doc.short, given again to delete them)."""
    marked = title_tokens(normalize(title))
    return short_tokens(body) + (" " + marked if marked else "")


def find_all(body: str, term: str) -> list[tuple[int, int]]:
    """Case-insensitive occurrences of `term` in `body` as (start, end) offsets into `body`."""
    return [m.span() for m in re.finditer(re.escape(term), body, re.IGNORECASE)]
