"""The packaged sentence vectors: read from the installed wheel's files, never from the network."""

from __future__ import annotations

import textwrap

import numpy as np

from omnidesk.domains.nlu.embedding import DIMENSIONS, sentence_vectors
from tests.import_probe import imports_of, packages


def test_related_english_messages_get_near_vectors() -> None:
    login, sign_in, weather = sentence_vectors(
        ["I can't log in to my account", "unable to sign in", "what's the weather tomorrow"])
    assert login.shape == (DIMENSIONS,)
    assert abs(float(np.linalg.norm(login)) - 1.0) < 1e-5
    assert float(login @ sign_in) > float(login @ weather)


def test_a_text_without_known_tokens_is_a_zero_vector() -> None:
    empty, bytes_only, korean, english_word = sentence_vectors(
        ["", "\U0001f600", "배송비는 얼마인가요?", "VIP 혜택 뭐예요?"])
    assert not empty.any()
    assert not bytes_only.any()
    assert not korean.any()  # Korean syllables and the "?" say nothing to an English table
    assert english_word.any()


def test_training_and_predicting_use_no_network_and_not_the_wordllama_loader() -> None:
    code = textwrap.dedent("""
        import socket

        def refuse(*args, **kwargs):
            raise AssertionError("network use")

        socket.socket.connect = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        from omnidesk.domains.nlu.classifier import train_intent_model
        texts = ["where is my order", "track my package", "has it shipped", "order status",
                 "refund please", "money back", "when is my refund", "refund status"]
        labels = ["order_status"] * 4 + ["refund_status"] * 4
        model = train_intent_model(texts, labels, folds=2)
        print(model.predict("where is my parcel").intent)
    """)
    printed, modules = imports_of(code, HF_HUB_OFFLINE="0")
    assert printed.strip() == "order_status"
    assert not packages(modules) & {"wordllama", "huggingface_hub", "requests"}
