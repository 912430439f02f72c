"""The OpenAPI document as a contract a client generator can use: refusals declared in the error shape,
required fields, typed nested objects, ECMA-262 patterns, and one type for ids."""

import re

import pytest

from service.app import create_app
from service.config import Settings

API = "/api/v1/"
WRITES = {"post", "put", "patch", "delete"}
ERROR = "#/components/schemas/Error"
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
MONTHS = {"month", "effective_from", "from_month", "joined_from", "retired_from"}


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    folder = tmp_path_factory.mktemp("contract")
    app = create_app(Settings(data_dir=folder / "var", database_url=None,
                              bootstrap_token="contract-bootstrap-token-long-enough"))
    yield app.test_client().get("/openapi.json").get_json()
    app.extensions["leitai"].projector.store.close()
    app.extensions["leitai"].close()


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if path.startswith(API) and method in WRITES | {"get"}:
                yield f"{method.upper()} {path}", method, item.get("parameters", []) + operation.get("parameters", []), operation


def resolve(document, ref: str) -> dict:
    found = document
    for part in ref.removeprefix("#/").split("/"):
        found = found[part]
    return found


def refusal_schema(document, operation, code: str) -> str | None:
    response = operation["responses"].get(code)
    if response is None:
        return None
    response = resolve(document, response["$ref"]) if "$ref" in response else response
    return response["content"]["application/json"]["schema"].get("$ref")


def expected_refusals(method, parameters, operation) -> set[str]:
    names = {p["name"] for p in parameters}
    body = "requestBody" in operation
    return {"401", "403"} | ({"404"} if any(n == "id" or n.endswith("_id") for n in names) else set()) \
        | ({"409"} if method in WRITES else set()) \
        | ({"422"} if body or any(p["in"] == "query" for p in parameters) else set())


def schemas_under(document, schema: dict, seen: set) -> list[dict]:
    """Every schema a response can carry, through refs, items, maps, properties and alternatives."""
    if "$ref" in schema:
        if schema["$ref"] in seen:
            return []
        seen.add(schema["$ref"])
        return schemas_under(document, resolve(document, schema["$ref"]), seen)
    found = [schema]
    inner = list(schema.get("properties", {}).values()) + schema.get("allOf", []) + schema.get("oneOf", []) \
        + schema.get("anyOf", []) + [schema[k] for k in ("items", "additionalProperties") if isinstance(schema.get(k), dict)]
    for each in inner:
        found += schemas_under(document, each, seen)
    return found


def response_schemas(document) -> list[tuple[str, dict]]:
    """(operation, schema) for every schema each operation's responses can carry."""
    found = []
    for name, _, _, operation in operations(document):
        seen: set = set()
        for response in operation["responses"].values():
            for content in response.get("content", {}).values():
                found += [(name, s) for s in schemas_under(document, content["schema"], seen)]
    return found


def properties(document):
    for name, schema in document["components"]["schemas"].items():
        for field, spec in schema.get("properties", {}).items():
            yield f"{name}.{field}", field, spec


def test_every_operation_declares_the_refusals_it_can_answer_with_the_error_schema(document):
    missing = {}
    for name, method, parameters, operation in operations(document):
        wrong = {code for code in expected_refusals(method, parameters, operation)
                 if refusal_schema(document, operation, code) != ERROR}
        if wrong:
            missing[name] = sorted(wrong)
    assert missing == {}
    assert len(list(operations(document))) >= 54


def test_the_error_body_is_code_status_message_and_errors_as_lists_of_strings(document):
    error = resolve(document, ERROR)
    assert sorted(error["required"]) == ["code", "message", "status"]
    assert error["properties"]["errors"]["additionalProperties"] == {"type": "array", "items": {"type": "string"}}


def test_every_response_object_declares_its_required_fields(document):
    without = {name for name, schema in response_schemas(document) if "properties" in schema and not schema.get("required")}
    assert without == set()


def test_no_response_carries_a_free_form_object_but_an_events_data(document):
    free = [(name, schema.get("description", "")) for name, schema in response_schemas(document)
            if schema.get("type") == "object" and "properties" not in schema
            and not schema.get("additionalProperties")]
    assert {description for _, description in free} == {"the event's own fields, which differ by `type`"}
    assert {name.split()[1] for name, _ in free} == {"/api/v1/events", "/api/v1/history/{entity_id}",
                                                     "/api/v1/contests/{contest_id}/history"}


def test_patterns_are_anchored_ecma_262_without_pythons_end_of_text(document):
    patterns = [spec["pattern"] for _, _, spec in properties(document) if "pattern" in spec]
    patterns += [p["schema"]["pattern"] for _, _, parameters, _ in operations(document) for p in parameters
                 if "pattern" in p["schema"]]
    assert patterns
    for pattern in patterns:
        assert "\\Z" not in pattern and "\\A" not in pattern and "(?" not in pattern, pattern
        assert pattern.startswith("^") and pattern.endswith("$"), pattern
        re.compile(pattern)


def test_every_id_is_a_uuid(document):
    ids = [(where, spec) for where, field, spec in properties(document) if field == "id" or field.endswith("_id")]
    ids += [(f"{name} {p['name']}", p["schema"]) for name, _, parameters, _ in operations(document) for p in parameters
            if p["name"].endswith("_id")]
    assert len(ids) > 50
    assert [where for where, spec in ids if spec.get("format") != "uuid"] == []


def test_months_carry_their_pattern_and_dates_their_format(document):
    months = [(where, spec) for where, field, spec in properties(document) if field in MONTHS]
    assert months and [where for where, spec in months if spec.get("pattern") != MONTH] == []
    assert resolve(document, "#/components/schemas/SecretaryChangeIn")["properties"]["since"]["format"] == "date"
    assert resolve(document, "#/components/schemas/ExchangeOut")["properties"]["date"]["format"] == "date"


def test_a_nullable_nested_object_is_typed_not_a_bare_object(document):
    before = resolve(document, "#/components/schemas/SheetVersionOut")["properties"]["before"]
    assert before == {"nullable": True, "allOf": [{"$ref": "#/components/schemas/MarkedOut"}]}


def test_trim_is_one_tier_or_a_list_of_tiers(document):
    trim = resolve(document, "#/components/schemas/RulebookOut")["properties"]["trim"]
    assert [alternative.get("type", "object") for alternative in trim["oneOf"]] == ["object", "array"]
    tier = resolve(document, "#/components/schemas/Trim")
    assert sorted(tier["required"]) == ["drop", "min_judges"]
