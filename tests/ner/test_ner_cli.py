"""``marsad ner train|eval`` and ``marsad geo build`` over a fake corpus folder and a tmp model."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from marsad.cli import app
from marsad.ner.crf import MODEL_DIR, model_paths
from marsad.ner.training import MANIFEST
from tests.ner.conftest import TEST

runner = CliRunner()


def test_ner_eval_json(fake_shared: Path, trained_model) -> None:
    model, _ = trained_model
    result = runner.invoke(app, ["ner", "eval", "--data", str(fake_shared), "--model", str(model),
                                 "--test", "anercorp-test-repaired", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["load_seconds"] >= 0
    [scored] = report["results"]
    assert scored["corpus"] == "anercorp-test-repaired"
    assert scored["sentences"] == len(TEST.sentences)
    assert scored["tokens"] == sum(len(s.tokens) for s in TEST.sentences)
    rows = {row["type"]: row for row in scored["scores"]}
    assert set(rows) == {"PER", "ORG", "LOC", "micro"}
    assert rows["micro"]["support"] == sum(TEST.chunk_counts().values())
    for row in rows.values():
        assert 0.0 <= row["precision"] <= 1.0 and 0.0 <= row["recall"] <= 1.0
        assert 0.0 <= row["f1"] <= 1.0


def test_ner_eval_two_corpora_as_a_table(fake_shared: Path, trained_model) -> None:
    result = runner.invoke(app, ["ner", "eval", "--data", str(fake_shared), "--model",
                                 str(trained_model[0]), "--test", "anercorp-test-repaired,anercorp-test"])
    assert result.exit_code == 0, result.output
    assert "anercorp-test-repaired" in result.stdout and "micro" in result.stdout
    assert "model loaded in" in result.stdout


def test_ner_eval_unknown_test_corpus(fake_shared: Path, trained_model) -> None:
    result = runner.invoke(app, ["ner", "eval", "--data", str(fake_shared), "--model",
                                 str(trained_model[0]), "--test", "nope", "--json"])
    assert result.exit_code == 2
    assert "unknown corpus 'nope'" in result.stderr
    assert result.stdout == ""


def test_ner_eval_missing_corpus_file(tmp_path: Path, trained_model) -> None:
    result = runner.invoke(app, ["ner", "eval", "--data", str(tmp_path), "--model",
                                 str(trained_model[0]), "--test", "wikiann-test"])
    assert result.exit_code == 2
    assert "not found" in result.stderr


def test_ner_eval_missing_model(fake_shared: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["ner", "eval", "--data", str(fake_shared), "--model", str(tmp_path),
                                 "--test", "anercorp-test-repaired"])
    assert result.exit_code == 2
    assert "marsad ner train" in result.stderr


def test_ner_train_refuses_test_corpora(fake_shared: Path, tmp_path: Path) -> None:
    shipped = {p: p.stat().st_mtime_ns for p in MODEL_DIR.iterdir()}
    out = tmp_path / "model"
    for flags in (["--train", "anercorp-test"], ["--train", "anercorp-train,newsfane"],
                  ["--lexicon-from", "anercorp-test-repaired"]):
        result = runner.invoke(app, ["ner", "train", "--data", str(fake_shared), "--out", str(out),
                                     *flags])
        assert result.exit_code == 2, flags
        assert "refusing" in result.stderr, flags
    assert not out.exists()
    assert {p: p.stat().st_mtime_ns for p in MODEL_DIR.iterdir()} == shipped


def test_ner_train_into_a_folder(fake_shared: Path, tmp_path: Path) -> None:
    out = tmp_path / "model"
    result = runner.invoke(app, ["ner", "train", "--data", str(fake_shared), "--out", str(out),
                                 "--lexicon-from", "wikiann-train", "--iterations", "10"])
    assert result.exit_code == 0, result.output
    assert "model written to" in result.stdout
    assert all(p.is_file() for p in model_paths(out))
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["settings"]["max_iterations"] == 10
    assert manifest["command"] == "marsad ner train --lexicon-from wikiann-train --c1 0.05 --c2 0.01 --iterations 10"
    assert "features for 60 sentences" in result.stderr  # progress goes to stderr


def rerun_recorded_command(manifest: dict, data: Path, out: Path) -> dict:
    """Run the command a manifest records (with the same data folder) and return the new manifest."""
    args = shlex.split(manifest["command"])
    assert args[:3] == ["marsad", "ner", "train"]
    result = runner.invoke(app, [*args[1:], "--data", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return json.loads((out / MANIFEST).read_text(encoding="utf-8"))


def test_the_recorded_command_rebuilds_the_same_model(fake_shared: Path, tmp_path: Path) -> None:
    first = tmp_path / "first"
    result = runner.invoke(app, ["ner", "train", "--data", str(fake_shared), "--out", str(first),
                                 "--lexicon-from", "wikiann-train", "--c1", "0.1", "--iterations", "10"])
    assert result.exit_code == 0, result.output
    manifest = json.loads((first / MANIFEST).read_text(encoding="utf-8"))
    again = rerun_recorded_command(manifest, fake_shared, tmp_path / "again")
    assert again["settings"] == manifest["settings"]
    assert again["type_lexicon_from"] == manifest["type_lexicon_from"]
    assert again["files"] == manifest["files"]  # byte-identical model files


def test_the_recorded_command_without_lexicon_corpora(fake_shared: Path, tmp_path: Path) -> None:
    first = tmp_path / "first"
    result = runner.invoke(app, ["ner", "train", "--data", str(fake_shared), "--out", str(first),
                                 "--lexicon-from", "", "--iterations", "10"])
    assert result.exit_code == 0, result.output
    manifest = json.loads((first / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["type_lexicon_from"] == []
    again = rerun_recorded_command(manifest, fake_shared, tmp_path / "again")
    assert again["type_lexicon_from"] == [] and again["settings"] == manifest["settings"]


def test_ner_train_missing_corpus(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ner", "train", "--data", str(tmp_path), "--out", str(tmp_path / "m")])
    assert result.exit_code == 2
    assert "not found" in result.stderr


def test_geo_build_missing_shared_folder(tmp_path: Path) -> None:
    target = tmp_path / "places.tsv.gz"
    result = runner.invoke(app, ["geo", "build", "--shared", "/nonexistent", "--out", str(target)])
    assert result.exit_code == 2
    assert "no gazetteer sources under /nonexistent" in result.stderr
    assert not target.exists()
