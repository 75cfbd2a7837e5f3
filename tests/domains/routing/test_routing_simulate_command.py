"""The `omnidesk simulate` command prints Erlang C next to the simulated figures."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from omnidesk.app.commands.simulate import app, simulate_command

ARGS = [
    "--agents",
    "5",
    "--arrivals-per-hour",
    "50",
    "--aht-seconds",
    "300",
    "--hours",
    "20",
    "--sla-seconds",
    "20",
    "--seed",
    "3",
]


def test_json_output_is_one_object_with_the_figures() -> None:
    result = CliRunner().invoke(app, [*ARGS, "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    for key in (
        "service_level",
        "asa_seconds",
        "abandon_rate",
        "occupancy",
        "erlang_c_service_level",
        "erlang_c_asa_seconds",
    ):
        assert isinstance(figures[key], float)
    assert 0.0 <= figures["service_level"] <= 1.0


def test_the_same_seed_prints_the_same_figures() -> None:
    runner = CliRunner()
    first, second = (json.loads(runner.invoke(app, [*ARGS, "--json"]).stdout) for _ in range(2))
    first.pop("elapsed_seconds"), second.pop("elapsed_seconds")
    assert first == second


def test_overload_prints_null_for_an_infinite_erlang_wait() -> None:
    result = CliRunner().invoke(app, ["--agents", "1", "--arrivals-per-hour", "20", "--json"])
    assert json.loads(result.stdout)["erlang_c_asa_seconds"] is None


def test_without_json_it_prints_a_table() -> None:
    result = CliRunner().invoke(app, ARGS)
    assert result.exit_code == 0 and "erlang_c_service_level" in result.stdout


def test_bad_input_fails_with_a_clear_message() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["--agents", "0", "--json"])
    assert result.exit_code != 0 and "--agents must be at least 1" in result.output
    result = runner.invoke(app, ["--arrivals-per-hour", "-3", "--json"])
    assert result.exit_code != 0 and "--arrivals-per-hour must not be negative" in result.output


def test_it_registers_as_a_subcommand_of_another_app() -> None:
    main = typer.Typer()
    main.command("simulate")(simulate_command)
    main.command("version")(lambda: None)
    result = CliRunner().invoke(main, ["simulate", *ARGS, "--json"])
    assert result.exit_code == 0 and "service_level" in json.loads(result.stdout)
