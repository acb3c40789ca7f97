"""The one blank spaCy pipeline and the clean-up every check applies first.

No pretrained model can be downloaded, so everything works on tokens, LOWER and NORM
forms (NORM maps "didnt"/"n't" to "not" and "'ll" to "will", which the rules rely on).
"""
from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

# Messages are cut into pieces of about this size so a pasted essay stays fast.
CHUNK_CHARS = 10_000

_SCRIPT = re.compile(r"<(script|style)\b[^>]{0,2000}>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^<>]{0,2000}>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u02bc": "'",
                         "\u201c": '"', "\u201d": '"'})


@lru_cache(maxsize=1)
def nlp() -> "Language":
    """Built once per process: a blank English tokenizer plus rule-based sentences.

    spaCy is imported here, not at the top: it loads TensorFlow (about 2 s and 400 MB),
    which the web app and the Telegram bridge import this package without needing.
    """
    import spacy

    pipeline = spacy.blank("en")
    pipeline.add_pipe("sentencizer")
    return pipeline


def clean(text: str) -> str:
    """Plain text from whatever a channel sends: HTML tags and entities, odd quotes, control bytes."""
    if not text:
        return ""
    text = _SCRIPT.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = html.unescape(text)
    text = _CONTROL.sub(" ", text).translate(_QUOTES)
    return re.sub(r"[ \t]{2,}", " ", text)


def chunks(text: str, size: int = CHUNK_CHARS, overlap: int = 300) -> list[tuple[int, str]]:
    """(offset, piece) pairs of at most about `size` characters, overlapping so no phrase is cut in two."""
    if len(text) <= size:
        return [(0, text)]
    out, start = [], 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            space = text.rfind(" ", start + size // 2, end)
            end = space if space > start else end
        out.append((start, text[start:end]))
        if end >= len(text):
            break
        start = max(end - overlap, start + 1)
    return out
