from __future__ import annotations

import importlib.util
import threading
from pathlib import Path

from marsad.store import Store

from .conftest import make_analysis

ROOT = Path(__file__).resolve().parents[2]


def test_two_writers_on_one_file(tmp_path):
    path = tmp_path / "shared.db"
    Store.open(path).close()
    errors: list[BaseException] = []

    def writer(tag: str) -> None:
        try:
            with Store.open(path) as s:
                for i in range(8):
                    # both writers also save the same shared documents: dedup, no errors
                    s.save([make_analysis(f"{tag}-{i}"), make_analysis(f"shared-{i}")])
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(t,)) for t in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store.open(path) as s:
        assert s.stats()["documents"] == 24
        assert s.count_search("الحسكة") == 24


def test_benchmark_runs_small(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("bench_search", ROOT / "benchmarks" / "bench_search.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--docs", "300", "--queries", "40", "--batch", "100",
                       "--db", str(tmp_path / "b.db")]) == 0
    out = capsys.readouterr().out
    assert "search p95" in out and "db size" in out
    with Store.open(tmp_path / "b.db") as s:
        assert s.stats()["documents"] == 300
