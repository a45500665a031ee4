"""End-to-end: the CLI over real files, a real store and the real pipeline."""

import json
from pathlib import Path

from typer.testing import CliRunner

from marsad.cli import app
from tests.conftest import EXAMPLES, SHARED, needs_shared

runner = CliRunner()

REPORT = """---
outlet: نشرة الاختبار
published: 2025-04-10
---
قوات الأمن تعتقل خلية في كركوك

أعلنت قيادة الشرطة في كركوك أمس اعتقال خمسة عناصر من تنظيم داعش.
وقال المتحدث باسم الشرطة إن "الخلية كانت تخطط لهجمات على نقاط التفتيش في المحافظة".
"""


def write(tmp: Path, name: str, data: bytes | str) -> Path:
    path = tmp / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def test_ingest_search_show_stats(tmp_path):
    db = str(tmp_path / "m.db")
    write(tmp_path, "a.txt", REPORT)
    result = runner.invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", db, "--quiet"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", db, "--quiet"])
    assert "0 new, 1 duplicate" in again.output
    stats = json.loads(runner.invoke(app, ["stats", "--db", db, "--json"]).stdout)
    assert stats["documents"] == 1
    assert {"documents", "entities", "quantities", "events", "quotes"} <= set(stats)
    assert stats["events"] >= 1 and stats["quotes"] >= 1
    hits = json.loads(runner.invoke(app, ["search", "كركوك", "--db", db, "--json"]).stdout)
    assert len(hits) == 1 and {"id", "title", "source", "snippet"} <= set(hits[0])
    assert hits[0]["title"] == "قوات الأمن تعتقل خلية في كركوك"
    shown = runner.invoke(app, ["show", hits[0]["id"], "--db", db])
    assert shown.exit_code == 0 and "اعتقال" in shown.stdout
    missing = runner.invoke(app, ["show", "nope", "--db", db])
    assert missing.exit_code == 2


def test_bad_input_is_reported_and_good_documents_are_kept(tmp_path):
    db = str(tmp_path / "m.db")
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder, "good.txt", REPORT)
    write(folder, "empty.txt", "")
    write(folder, "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    write(folder, "big.txt", "نص " * 2000)
    write(folder, "feed.jsonl", '{"title": "خبر", "body": "نص خبر قصير عن الحدود."}\n{not json\n')
    result = runner.invoke(app, ["ingest", str(folder), "--db", db, "--quiet", "--max-bytes", "5000"])
    assert result.exit_code == 1
    output = result.output
    for name in ("empty.txt", "binary.txt", "big.txt", "feed.jsonl:2"):
        assert name in output, (name, output)
    stats = json.loads(runner.invoke(app, ["stats", "--db", db, "--json"]).stdout)
    assert stats["documents"] == 2  # good.txt and the first JSON Lines record


def test_extract_contract_offsets(tmp_path):
    path = write(tmp_path, "r.txt", REPORT)
    result = runner.invoke(app, ["extract", "--json", str(path)])
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.strip().splitlines()
    data = json.loads(line)
    assert set(data) == {"doc", "entities", "quantities", "dates", "events", "quotes"}
    assert data["doc"]["published"] == "2025-04-10"
    _check_offsets(data, None)
    assert any(d["normalized"] == "2025-04-09" for d in data["dates"])  # أمس


def _check_offsets(data, body):
    from marsad.ingest import IngestOptions, iter_documents

    src = data["doc"]["source"]
    if body is None:
        (doc,) = list(iter_documents([src], IngestOptions()))
        body = doc.body
    for section in ("entities", "quantities", "dates", "quotes"):
        for item in data[section]:
            assert body[item["start"]:item["end"]] == item["text"], (section, item)
    for event in data["events"]:
        assert body[event["start"]:event["end"]] == event["trigger"]


def test_extract_seeds_offsets():
    seeds = SHARED / "samples" / "seeds"
    needs_shared(seeds)
    files = sorted(seeds.glob("*.txt"))
    result = runner.invoke(app, ["extract", "--json", *map(str, files)])
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert len(lines) == len(files)
    for line in lines:
        _check_offsets(json.loads(line), None)


def test_eval_prints_table():
    gold = SHARED / "samples" / "seeds-gold"
    needs_shared(gold)
    result = runner.invoke(app, ["eval", "--gold", str(gold), "--corpus", str(SHARED / "samples" / "seeds"), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["documents"] == 5
    names = {f["field"] for f in report["fields"]}
    assert {"entities", "quantities (value+qualifier)", "dates", "events (type+trigger)", "quotes"} <= names
    assert all(0 <= f["f1"] <= 1 for f in report["fields"])


def test_examples_ingest(tmp_path):
    db = str(tmp_path / "m.db")
    result = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", db, "--quiet"])
    assert result.exit_code == 0, result.output
    stats = json.loads(runner.invoke(app, ["stats", "--db", db, "--json"]).stdout)
    assert stats["documents"] >= 15
    hits = json.loads(runner.invoke(app, ["search", "الحسكه", "--db", db, "--json"]).stdout)
    assert hits


def test_forced_encoding(tmp_path):
    db = str(tmp_path / "m.db")
    path = write(tmp_path, "r.txt", REPORT.encode("cp1256"))
    result = runner.invoke(app, ["ingest", str(path), "--db", db, "--quiet", "--encoding", "cp1256"])
    assert result.exit_code == 0, result.output
    hits = json.loads(runner.invoke(app, ["search", "كركوك", "--db", db, "--json"]).stdout)
    assert hits[0]["title"] == "قوات الأمن تعتقل خلية في كركوك"
    bad = runner.invoke(app, ["ingest", str(path), "--db", db, "--encoding", "no-such-codec"])
    assert bad.exit_code == 2 and "no-such-codec" in bad.output
