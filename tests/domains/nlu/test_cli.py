import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from omnidesk.app.commands.nlu import app
from omnidesk.domains.nlu.dataset import load_labelled_csv, stratified_holdout, write_labelled_csv

runner = CliRunner()
EXPECTED_KEYS = {
    "accuracy", "macro_f1", "in_scope_accuracy", "oos_recall", "oos_precision", "train_seconds",
    "predict_ms_p50", "n_train", "n_test", "n_labels", "oos_threshold",
}  # fmt: skip


def test_eval_on_a_kointent_holdout_prints_one_json_object(
    kointent_csv: Path, tmp_path: Path
) -> None:
    train, test = stratified_holdout(load_labelled_csv(kointent_csv), test_share=0.2, seed=3)
    write_labelled_csv(train, tmp_path / "train.csv")
    write_labelled_csv(test, tmp_path / "test.csv")
    args = ["eval", "--train", str(tmp_path / "train.csv"), "--test", str(tmp_path / "test.csv")]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    assert EXPECTED_KEYS <= set(metrics)
    assert metrics["n_labels"] == 25
    assert metrics["accuracy"] >= 0.6
    assert metrics["macro_f1"] >= 0.55
    assert 0 <= metrics["oos_recall"] <= 1


def test_train_then_predict_writes_and_uses_model_bytes(kointent_csv: Path, tmp_path: Path) -> None:
    model_path = tmp_path / "model.bin"
    result = runner.invoke(app, ["train", "--data", str(kointent_csv), "--out", str(model_path)])
    assert result.exit_code == 0, result.output
    assert model_path.stat().st_size > 0
    result = runner.invoke(
        app, ["predict", "--model", str(model_path), "--json", "환불 언제 돼요?"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["intent"] == "refund_status"


def test_eval_reports_a_missing_file_without_a_traceback(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "--train", str(tmp_path / "nope.csv"), "--test", "x.csv"])
    assert result.exit_code != 0
    assert "file not found" in result.stderr
    assert "Traceback" not in result.output


def test_eval_rejects_a_file_without_a_label_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows([["text", "lang"], ["hello", "en"]])
    result = runner.invoke(app, ["eval", "--train", str(path), "--test", str(path), "--json"])
    assert result.exit_code != 0
    assert "label column" in result.stderr
    assert result.stdout == ""


def test_eval_rejects_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("")
    result = runner.invoke(app, ["eval", "--train", str(path), "--test", str(path)])
    assert result.exit_code != 0
    assert "empty" in result.stderr
