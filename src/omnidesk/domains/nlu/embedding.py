"""Dense sentence vectors from a packaged static token-embedding table (WordLlama).

The ``wordllama`` wheel from PyPI carries its weights (``weights/l2_supercat_256.safetensors``,
32,000 tokens x 256 float16 values, 16 MB) and its tokenizer (``tokenizers/…json``). A sentence's
vector is the mean of its tokens' rows, scaled to unit length: a table look-up, no network model
to run (about 0.1 ms a message). Its vocabulary is English (Llama 2's): it carries what English
words mean (a "log in" message is near "sign in"), which the TF-IDF views learn only from the
training rows; Korean text falls into byte tokens, so for Korean the vector says little and the
n-gram and morpheme views do the work.

Only the two files are read, from the installed package's folder: the tokenizer with
``tokenizers``, the table memory-mapped (a .safetensors file is a JSON header and the raw array).
The ``wordllama`` package itself is never imported (its loader can download from a model hub, and
configures the root logger on import). Nothing here touches the network.
"""

from __future__ import annotations

import json
import re
import threading
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from tokenizers import Tokenizer

PACKAGE = "wordllama"
WEIGHTS = "weights/l2_supercat_256.safetensors"
TABLE = "embedding.weight"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
DIMENSIONS = 256
# Llama 2's byte-fallback tokens (<0x00>..<0xFF>), its punctuation-only tokens ("?", and the lone
# word-start mark "▁" before every Korean word) and its single Hangul syllables out of context
# ("주", "문") carry no meaning of their own: Korean gets a vector only from its Latin words
# ("USB-C", "VIP"), and a Korean question is not pulled towards every other one by its "?".
_BYTE_TOKENS = range(3, 259)
_WORD_CHARACTER = re.compile(r"[^\W_]")
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
_lock = threading.Lock()
_table: dict[str, tuple[Tokenizer, np.ndarray, np.ndarray]] = {}


class EmbeddingUnavailable(RuntimeError):
    """The packaged embedding files are not installed."""


def package_folder() -> Path:
    """Return the installed ``wordllama`` package's folder without importing the package."""
    spec = find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingUnavailable(f"the {PACKAGE} package is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def read_table(path: Path) -> np.ndarray:
    """Map the embedding table of a .safetensors file read-only (its pages are shared by every
    process on the machine and only the rows used are read in)."""
    with open(path, "rb") as handle:
        size = int.from_bytes(handle.read(8), "little")
        header = json.loads(handle.read(size))
    entry = header.get(TABLE)
    if not entry or entry.get("dtype") != "F16" or len(entry.get("shape", ())) != 2:
        raise EmbeddingUnavailable(f"no float16 table {TABLE!r} in {path.name}")
    rows, columns = (int(n) for n in entry["shape"])
    if columns != DIMENSIONS:
        raise EmbeddingUnavailable(f"unexpected embedding shape {(rows, columns)}")
    start = 8 + size + int(entry["data_offsets"][0])
    return np.memmap(path, dtype="<f2", mode="r", offset=start, shape=(rows, columns))


def _load() -> tuple[Tokenizer, np.ndarray, np.ndarray]:
    with _lock:
        if "table" not in _table:
            from tokenizers import Tokenizer

            folder = package_folder()
            tokenizer = Tokenizer.from_file(str(folder / TOKENIZER))
            weights = read_table(folder / WEIGHTS)
            useful = np.ones(weights.shape[0], dtype=bool)
            useful[_BYTE_TOKENS.start:_BYTE_TOKENS.stop] = False
            for token, index in tokenizer.get_vocab().items():
                if _HANGUL.search(token) or not _WORD_CHARACTER.search(token):
                    useful[index] = False
            _table["table"] = (tokenizer, weights, useful)
        return _table["table"]


def sentence_vectors(texts: list[str]) -> np.ndarray:
    """Return one unit-length float32 vector per text (zeros when no token is known)."""
    tokenizer, weights, useful = _load()
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for n, text in enumerate(texts):
        # One by one: encode_batch would start the tokenizer's thread pool, which a process
        # that forks workers after warming up must not have started.
        ids = np.asarray(tokenizer.encode(text, add_special_tokens=False).ids, dtype=np.int64)
        ids = ids[(ids < len(useful))]
        ids = ids[useful[ids]]
        if not len(ids):
            continue
        vector = weights[ids].astype(np.float32).mean(axis=0)
        norm = float(np.sqrt(np.dot(vector.astype(np.float64), vector.astype(np.float64))))
        if norm > 0.0:
            out[n] = (vector / norm).astype(np.float32)
    return out
