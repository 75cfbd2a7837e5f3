"""The model cache: a model trained at start-up is trained once per machine and loaded by every
later process; new data, a damaged file or an unusable folder never yield a wrong model."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from omnidesk.domains.nlu.model_cache import load_or_train
from omnidesk.domains.nlu.schemas import IntentModel
from omnidesk.domains.nlu.training import train_from_rows

from .conftest import small_rows


class Trainer:
    """Counts trainings of the small bilingual set."""

    def __init__(self) -> None:
        self.runs = 0

    def __call__(self) -> IntentModel:
        self.runs += 1
        texts, labels = small_rows()
        return train_from_rows(list(zip(texts, labels, strict=True)))


def test_the_second_process_loads_what_the_first_trained(tmp_path: Path) -> None:
    train = Trainer()
    first = load_or_train("intents", [b"data v1"], train, cache_dir=tmp_path)
    again = load_or_train("intents", [b"data v1"], train, cache_dir=tmp_path)
    assert train.runs == 1
    assert again is not first  # read back from the file, not the same object
    for text in ("택배 언제 와요?", "refund status please", "tell me a joke"):
        assert again.predict(text).intent == first.predict(text).intent
    [stored] = tmp_path.glob("intents-*.model")
    assert stored.stat().st_mode & 0o777 == 0o600


def test_new_training_data_is_trained_again_and_replaces_the_old_file(tmp_path: Path) -> None:
    train = Trainer()
    load_or_train("intents", [b"data v1"], train, cache_dir=tmp_path)
    load_or_train("intents", [b"data v2"], train, cache_dir=tmp_path)
    assert train.runs == 2
    assert len(list(tmp_path.glob("intents-*.model"))) == 1


def test_a_damaged_file_is_trained_again(tmp_path: Path) -> None:
    train = Trainer()
    load_or_train("intents", [b"data"], train, cache_dir=tmp_path)
    [stored] = tmp_path.glob("intents-*.model")
    stored.write_bytes(b"half a model")
    model = load_or_train("intents", [b"data"], train, cache_dir=tmp_path)
    assert train.runs == 2 and model.predict("택배 언제 와요?").intent == "order_status"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_folder_it_cannot_write_only_costs_the_training(tmp_path: Path) -> None:
    locked = tmp_path / "ro"
    locked.mkdir(mode=0o500)
    train = Trainer()
    model = load_or_train("intents", [b"data"], train, cache_dir=locked / "cache")
    assert train.runs == 1 and model.predict("refund status please").intent == "refund_status"


def test_a_cache_path_that_is_a_file_only_costs_the_training(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    train = Trainer()
    model = load_or_train("intents", [b"data"], train, cache_dir=blocker)
    assert train.runs == 1 and model.predict("refund status please").intent == "refund_status"
