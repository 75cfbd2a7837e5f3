"""A trained model kept on disk between processes, so it is trained once per machine, not once
per process.

Training the shipped intent model takes 5–15 s of CPU; loading it back takes a fraction of a
second. Every omnidesk process (web, worker, CLI, test server) would otherwise train it again at
start-up, and a worker warming up holds the interpreter while its dispatcher waits.

The file's name is a digest of everything the model depends on: the training data, the NLU
source code that turns text into features and trains, and the versions of the libraries that
store it. Any change gives a new name, so a stale model is never loaded. The file is a pickle
(like the models stored in the database), so it is only read from the cache directory this
service owns (created 0700, files 0600). Whoever trains first holds a file lock; a process
starting at the same moment waits for that model instead of training its own.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from importlib import metadata, resources
from pathlib import Path
from typing import IO

from omnidesk.domains.nlu.schemas import IntentModel

log = logging.getLogger(__name__)

# The libraries whose versions change what a stored model is or how it loads.
LIBRARIES = ("scikit-learn", "numpy", "scipy", "joblib", "kiwipiepy", "kiwipiepy_model",
             "wordllama", "tokenizers")


def default_cache_dir() -> Path:
    """Return `$XDG_CACHE_HOME/omnidesk` (or `~/.cache/omnidesk`)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "omnidesk"


def model_key(name: str, data: Iterable[bytes]) -> str:
    """Return the digest naming a model trained from ``data`` by this code and these libraries."""
    digest = hashlib.sha256(name.encode())
    for part in data:
        digest.update(hashlib.sha256(part).digest())
    nlu = resources.files("omnidesk.domains.nlu")
    sources = [p for p in nlu.iterdir() if p.name.endswith(".py")]
    sources.append(resources.files("omnidesk.core") / "text.py")  # the tokenizer the features use
    for source in sorted(sources, key=lambda p: p.name):
        digest.update(source.name.encode() + hashlib.sha256(source.read_bytes()).digest())
    for library in LIBRARIES:
        try:
            digest.update(f"{library}={metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=-".encode())
    return digest.hexdigest()[:32]


def load_or_train(name: str, data: Iterable[bytes], train: Callable[[], IntentModel], *,
                  cache_dir: Path | None = None) -> IntentModel:
    """Return the model stored under this name and key, training and storing it when absent.

    A cache that cannot be read or written (read-only home, full disk) only costs the training.
    """
    folder = cache_dir or default_cache_dir()
    path = folder / f"{name}-{model_key(name, data)}.model"
    model = _read(path)
    if model is not None:
        return model
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with _locked(folder / f"{name}.lock"):
            model = _read(path)  # another process may have trained it while we waited
            if model is not None:
                return model
            model = train()
            _write(path, model.to_bytes())
            _remove_older(folder, name, keep=path)
            return model
    except OSError as exc:
        log.warning("model cache %s unusable (%s); training in memory", folder, exc)
        return train()


def _read(path: Path) -> IntentModel | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        return IntentModel.from_bytes(data)
    except Exception as exc:  # noqa: BLE001 - a damaged file is trained again, never fatal
        log.warning("ignoring the unreadable cached model %s (%s)", path.name, exc)
        return None


def _write(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)  # readers see the whole file or none
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _remove_older(folder: Path, name: str, *, keep: Path) -> None:
    for old in folder.glob(f"{name}-*.model"):
        if old != keep:
            old.unlink(missing_ok=True)


@contextmanager
def _locked(path: Path) -> Iterator[IO[bytes]]:
    with open(path, "ab") as handle:
        try:
            import fcntl
        except ImportError:  # not POSIX: no waiting, at worst two processes train
            yield handle
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield handle
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
