"""Card kinds: one module per kind, each registering itself in a table (no branching on kind names elsewhere).

A kind says which option keys it takes and how each value is checked, whether its cards need the
notebook to run, which expressions it wants evaluated after its cell, and how a CardSource (plus run
results) becomes cards. Adding a kind means adding its module and naming it in KIND_MODULES.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from srs.core.model import Card, CardSource, CellResult, Lesson
from srs.kinds.values import COMMON_OPTIONS, OptionCheck


@dataclass(frozen=True)
class MakeContext:
    """What a maker may look at besides its source."""

    lesson: Lesson
    results: Mapping[int, CellResult] = field(default_factory=dict)
    """Run results by cell number; empty when no source needed a run."""


Maker = Callable[[CardSource, MakeContext], list[Card]]
Requests = Callable[[CardSource], tuple[str, ...]]


def no_requests(_source: CardSource) -> tuple[str, ...]:
    """Kinds that evaluate nothing beyond what every run captures."""
    return ()


@dataclass(frozen=True)
class KindSpec:
    """Everything srs needs to know about one card kind."""

    name: str
    make: Maker
    options: Mapping[str, OptionCheck] = field(default_factory=dict)
    """Option keys this kind takes besides the common ones, each with its value check."""
    required: frozenset[str] = frozenset()
    cell_type: str = "markdown"
    """'markdown' or 'code': where sources of this kind live."""
    needs_run: bool = False
    requests: Requests = no_requests
    """Expressions to evaluate right after the source's cell ran (its `of:`, its last target)."""
    prepare: Callable[[], None] = lambda: None
    """Slow set-up (heavy imports) a build may do while the notebook runs, before any card is made."""
    warm_up: Callable[[str], None] = lambda _options: None
    """Start slow set-up in the background (it must not block) as soon as the lesson is read, given
    the raw text of an option block that names this kind, so that it is ready when cards are made."""

    @property
    def allowed_keys(self) -> frozenset[str]:
        """Every option key a source of this kind may carry."""
        return frozenset(COMMON_OPTIONS) | frozenset(self.options)

    def option_check(self, key: str) -> OptionCheck | None:
        """How a value of `key` is checked for this kind (None: a key it does not take)."""
        return self.options.get(key) or COMMON_OPTIONS.get(key)


KINDS: dict[str, KindSpec] = {}


def register(spec: KindSpec) -> KindSpec:
    """Add a kind to the table."""
    KINDS[spec.name] = spec
    return spec


def kind_names() -> tuple[str, ...]:
    """Names of all kinds, for messages and "did you mean"."""
    _load_all()
    return tuple(sorted(KINDS))


def get_kind(name: str) -> KindSpec | None:
    """The spec of a kind, or None when srs has no such kind."""
    _load_all()
    return KINDS.get(name)


KIND_NAMES = ("qa", "cloze", "formula", "derivation", "shape", "numeric", "output", "figure")
KIND_MODULES = tuple(f"srs.kinds.{name}" for name in KIND_NAMES)
"""Every kind's module; importing one registers its kind."""


def srs_keys() -> frozenset[str]:
    """Every option key some kind takes."""
    _load_all()
    return frozenset(COMMON_OPTIONS).union(*(spec.options for spec in KINDS.values()))


def exact_text_keys() -> frozenset[str]:
    """Keys whose values are read as the text written, whatever the kind."""
    _load_all()
    checks = [COMMON_OPTIONS, *(spec.options for spec in KINDS.values())]
    return frozenset(key for options in checks for key, check in options.items() if check.exact_text)


def _load_all() -> None:
    # Importing the modules registers them; done on first use so `import srs.kinds` stays cheap.
    import importlib

    for module in KIND_MODULES:
        importlib.import_module(module)
