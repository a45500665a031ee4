"""Name → factory registries, so stages and back-ends can be swapped by name (like spaCy's).

A registry maps a name to a zero-argument factory that builds the component lazily, so
optional back-ends cost nothing until asked for and fail with a clear message when their
package is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class UnknownComponent(LookupError):
    pass


class Registry(Generic[T]):
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._factories: dict[str, Callable[[], T]] = {}
        self._built: dict[str, T] = {}

    def register(self, name: str) -> Callable[[Callable[[], T]], Callable[[], T]]:
        def decorate(factory: Callable[[], T]) -> Callable[[], T]:
            self._factories[name] = factory
            return factory

        return decorate

    def names(self) -> list[str]:
        return sorted(self._factories)

    def get(self, name: str) -> T:
        if name not in self._built:
            if name not in self._factories:
                raise UnknownComponent(
                    f"unknown {self.kind} {name!r}; choose one of: {', '.join(self.names())}"
                )
            self._built[name] = self._factories[name]()
        return self._built[name]


stages: Registry = Registry("pipeline stage")
ner_backends: Registry = Registry("NER back-end")
