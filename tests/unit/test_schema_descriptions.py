"""The docs pane explains the whole API: every type, field, argument, input field and enum value
the schema introspects has a description."""

from __future__ import annotations

from typing import Any

from graphql import get_introspection_query, graphql_sync

from schema import build_schema

BUILT_IN = {"String", "Int", "Float", "Boolean", "ID"}


def _introspected() -> list[dict[str, Any]]:
    result = graphql_sync(
        build_schema()._schema, get_introspection_query(input_value_deprecation=True)
    )
    assert result.errors is None, result.errors
    assert result.data is not None
    return [t for t in result.data["__schema"]["types"] if not t["name"].startswith("__")]


def _undescribed(kind: dict[str, Any]) -> list[str]:
    name = kind["name"]
    missing = [] if kind["description"] or name in BUILT_IN else [f"type {name}"]
    for field in kind.get("fields") or []:
        if not field["description"]:
            missing.append(f"field {name}.{field['name']}")
        missing += [
            f"argument {name}.{field['name']}({arg['name']})"
            for arg in field["args"]
            if not arg["description"]
        ]
    missing += [
        f"input field {name}.{field['name']}"
        for field in kind.get("inputFields") or []
        if not field["description"]
    ]
    missing += [
        f"enum value {name}.{value['name']}"
        for value in kind.get("enumValues") or []
        if not value["description"]
    ]
    return missing


def test_every_type_field_argument_and_enum_value_has_a_description() -> None:
    types = _introspected()
    assert len(types) > 50
    missing = [entry for kind in types for entry in _undescribed(kind)]
    assert missing == [], "add description= to:\n" + "\n".join(missing)


def test_an_undescribed_field_would_be_reported() -> None:
    kind = {
        "name": "Job",
        "description": "A job posting.",
        "fields": [{"name": "title", "description": None, "args": []}],
        "inputFields": None,
        "enumValues": None,
    }
    assert _undescribed(kind) == ["field Job.title"]
