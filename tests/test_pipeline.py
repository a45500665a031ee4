import pytest

from marsad.pipeline import DEFAULT_STAGES, Pipeline
from marsad.registry import Registry, UnknownComponent
from tests.conftest import make_doc


def test_registry_builds_once_and_names_choices():
    registry: Registry = Registry("thing")
    calls = []

    @registry.register("a")
    def build_a():
        calls.append(1)
        return object()

    assert registry.get("a") is registry.get("a")
    assert calls == [1]
    with pytest.raises(UnknownComponent, match="choose one of: a"):
        registry.get("b")


def test_pipeline_subset_of_stages():
    doc = make_doc("أعلنت وزارة الداخلية العراقية اعتقال 12 مطلوبا في الموصل.")
    only_numbers = Pipeline(("numbers",))(doc)
    assert [n.value for n in only_numbers.numbers] == [12]
    assert only_numbers.entities == [] and only_numbers.events == []
    full = Pipeline(DEFAULT_STAGES)(doc)
    assert {m.type for m in full.entities} >= {"ORG", "LOC"}
    assert any(e.type == "ARREST" for e in full.events)
    with pytest.raises(UnknownComponent):
        Pipeline(("no-such-stage",))
