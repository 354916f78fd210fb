"""`#| key: value` option lines: where they are, how they parse, which keys and values are valid.

In a code cell the options are the cell's first lines; in a markdown cell they sit inside an HTML
comment before the block they apply to. The lines of one source are read as one YAML mapping.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from srs.core.errors import OptionError, did_you_mean
from srs.core.model import Location
from srs.kinds import exact_text_keys, get_kind, kind_names, srs_keys
from srs.kinds.values import OptionCheck

FOREIGN_KEYS = frozenset(
    {
        # nbdev
        "export",
        "exports",
        "exporti",
        "exec_doc",
        "hide",
        "default_exp",
        "eval",
        "echo",
        "output",
        "code-fold",
        "filter_stream",
        "hide_line",
        "skip",
        # Quarto and Jupyter Book
        "label",
        "fig-cap",
        "fig-alt",
        "fig-align",
        "fig-width",
        "fig-height",
        "tbl-cap",
        "include",
        "warning",
        "error",
        "message",
        "layout-ncol",
        "code-summary",
        "code-overflow",
        "output-location",
        "tags",
        "classes",
        "column",
    }
)
"""Option keys of other notebook tools; allowed beside srs's own so a cell can serve both."""

MAX_DEPTH = 8
"""How deep options may nest (`dims: {Q: [tokens, d_k]}` is 3 levels)."""
YAML_TAGS = "tag:yaml.org,2002:"
NULL_TAG = YAML_TAGS + "null"


@dataclass(frozen=True)
class OptionBlock:
    """Option lines found in one place, parsed."""

    values: dict[str, Any]
    location: Location
    """Where the first option line is."""
    lines: dict[str, int]
    """Line (1-based, in the cell) of each top-level key, for precise messages."""


def parse_options(lines: list[str], first: Location) -> OptionBlock:
    """Parse option lines (without their `#|`) as one YAML mapping with string-exact text keys."""
    import yaml

    text = "\n".join(lines)
    try:
        # libyaml's parser when PyYAML has it: the same nodes, several times faster
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, UnicodeError):
        # libyaml words some errors less precisely and places some a line late: PyYAML's own
        # parser says what is wrong, and where
        node = _compose_or_explain(text, first)
    except RecursionError:
        raise _too_deep(first) from None
    if node is None:
        return OptionBlock({}, first, {})
    if not isinstance(node, yaml.MappingNode):
        raise OptionError("options must be `key: value` lines", first)
    _check_nodes(node, first)
    return _mapping_from_node(node, first)


def _too_deep(first: Location) -> OptionError:
    return OptionError(
        f"options are nested more than {MAX_DEPTH} levels deep; write flat lists and mappings", first
    )


def _check_nodes(root: Any, first: Location) -> None:
    """Refuse what YAML allows but options never need: deep nesting, repeated keys, language tags,
    and aliases (`*name`, which can make a few lines stand for billions of values)."""
    import yaml

    stack = [(root, 1)]
    seen: set[int] = set()
    while stack:
        node, depth = stack.pop()
        line = first.at_line((first.line or 1) + node.start_mark.line)
        if depth > MAX_DEPTH:
            raise _too_deep(line)
        if id(node) in seen:
            raise OptionError("options cannot use YAML aliases (`*name`); write the values out", line)
        seen.add(id(node))
        if not node.tag.startswith(YAML_TAGS) or "python/" in node.tag:
            raise OptionError(
                f"options cannot use the YAML tag {node.tag.removeprefix(YAML_TAGS)!r}; write plain values",
                line,
            )
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key_node, value_node in node.value:
                key = str(key_node.value)
                if key in keys:
                    where = first.at_line((first.line or 1) + key_node.start_mark.line)
                    raise OptionError(f"option `{key}:` is given twice; keep one", where)
                keys.add(key)
                stack.extend([(key_node, depth + 1), (value_node, depth + 1)])
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)


def _compose_or_explain(text: str, first: Location) -> Any:
    """The YAML node of `text` by PyYAML's pure-Python parser, or an OptionError saying why not."""
    import yaml

    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        raise _too_deep(first) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        position = getattr(error, "position", None)  # a character the reader refused has no mark
        if mark is not None:
            offset = mark.line
        elif isinstance(position, int):
            offset = text.count("\n", 0, position)
        else:
            offset = 0
        line = (first.line or 1) + offset
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise OptionError(
            f"options are not valid YAML ({problem}); write one `#| key: value` per line, "
            "quoting values that contain ': '",
            first.at_line(line),
        ) from None


def _mapping_from_node(node: Any, first: Location) -> OptionBlock:
    import yaml

    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    text_keys = exact_text_keys()
    for key_node, value_node in node.value:
        key = str(key_node.value)
        line = (first.line or 1) + key_node.start_mark.line
        if key in text_keys and isinstance(value_node, yaml.ScalarNode) and value_node.tag != NULL_TAG:
            values[key] = value_node.value
        else:
            try:
                values[key] = yaml.SafeLoader("").construct_document(value_node)
            except yaml.YAMLError as error:
                problem = getattr(error, "problem", None) or "a value YAML cannot read"
                raise OptionError(f"option `{key}:` holds {problem}", first.at_line(line)) from None
        lines[key] = line
    return OptionBlock(values, first, lines)


def own_keys(keys: Iterable[str]) -> list[str]:
    """The keys that only srs reads (`id`, `extra`, ...), leaving out keys other tools share."""
    known = srs_keys()
    return [key for key in keys if key in known and key not in FOREIGN_KEYS]


def is_near_card(key: str) -> bool:
    """Is this key a likely misspelling of `card` (and not a key of another tool)?"""
    if key == "card" or key in FOREIGN_KEYS:
        return False
    return difflib.SequenceMatcher(None, key.lower(), "card").ratio() >= 0.75


def check_near_card(block: OptionBlock) -> None:
    """Reject a misspelt `card:` key in any cell, since it silently hides a card."""
    for key, line in block.lines.items():
        if is_near_card(key):
            raise OptionError(
                f"unknown option '{key}' (did you mean 'card'?)", block.location.at_line(line), code="SRS011"
            )


def resolve_kind(block: OptionBlock) -> str | None | bool:
    """The kind named by `card:`, False for `card: false`, None when there is no `card:` key."""
    if "card" not in block.values:
        return None
    kind = block.values["card"]
    if kind is False:
        return False
    if not isinstance(kind, str) or get_kind(kind) is None:
        line = block.lines.get("card")
        hint = did_you_mean(str(kind), kind_names())
        raise OptionError(
            f"unknown card kind '{kind}'{hint}; kinds are {', '.join(kind_names())}",
            block.location.at_line(line),
            code="SRS012",
        )
    return kind


def validate_options(block: OptionBlock, kind: str) -> dict[str, Any]:
    """Check keys and value types for a kind; return the values srs uses."""
    spec = get_kind(kind)
    assert spec is not None
    allowed = spec.allowed_keys
    for key, line in block.lines.items():
        if key not in allowed and key not in FOREIGN_KEYS:
            hint = did_you_mean(key, sorted(allowed))
            raise OptionError(
                f"unknown option '{key}' for a {kind} card{hint}",
                block.location.at_line(line),
                code="SRS013",
            )
    for key in sorted(spec.required - block.values.keys()):
        raise OptionError(
            f"a {kind} card needs `{key}:`; add a `#| {key}: ...` line", block.location, code="SRS014"
        )
    values = {k: v for k, v in block.values.items() if k in allowed}
    for key, value in values.items():
        _check_value(key, value, spec.option_check(key), block.location.at_line(block.lines[key]))
    if isinstance(values.get("tags"), str):
        values["tags"] = [values["tags"]]
    return values


def _check_value(key: str, value: Any, check: OptionCheck | None, where: Location) -> None:
    complaint = check.complaint(value) if check else None
    if complaint:
        raise OptionError(f"`{key}:` {complaint}", where, code="SRS015")


__all__ = ["FOREIGN_KEYS", "OptionBlock", "parse_options", "validate_options"]
