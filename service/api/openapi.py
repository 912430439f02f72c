"""The OpenAPI document's last touches, once every blueprint is registered: on each operation the refusals
it can answer, all in the one error shape, and the schemas that fields name in their own documentation."""

from http import HTTPStatus

from ..schemas import ErrorOut, Trim

API = "/api/v1/"
WRITES = {"post", "put", "patch", "delete"}
METHODS = WRITES | {"get"}
WHY = {
    401: "No valid bearer token.",
    403: "The token's role may not do this.",
    404: "An id in the path, query or body names nothing.",
    409: "A rule refuses it (wrong stage, duplicate, closed month…), or its Idempotency-Key came with another body; "
         "`message` names the rule and `errors` what is in the way.",
    422: "The body, query or path is invalid; `errors` names each field at fault.",
    429: "Too many failed authentications from this address in a minute; `Retry-After` says when to try again.",
}


def complete(api) -> None:
    spec = api.spec
    if "Trim" not in spec.components.schemas:
        spec.components.schema("Trim", schema=Trim)
    for path, item in spec._paths.items():  # apispec has no public view of the paths it holds
        if path.startswith(API):
            for method in item.keys() & METHODS:
                declare(spec, item[method], refusals(spec, method, item, item[method]))
    for code, why in WHY.items():
        if HTTPStatus(code).name in spec.components.responses:
            spec.components.responses[HTTPStatus(code).name]["description"] = why
    spec.components.responses["TOO_MANY_REQUESTS"]["headers"] = {"Retry-After": {
        "description": "Seconds to wait before authenticating again", "schema": {"type": "integer", "minimum": 1}}}
    spec.components.schemas["Error"] = api.ma_plugin.converter.schema2jsonschema(ErrorOut())


def refusals(spec, method: str, item: dict, operation: dict) -> list[int]:
    """401, 403 and 429 (a wrong token beyond the limit) everywhere; 404 with an id to look up; 409 on a write;
    422 with anything else to check."""
    parameters = item.get("parameters", []) + operation.get("parameters", [])
    names = [p["name"] for p in parameters] + body_fields(spec, operation)
    checked = [p for p in parameters if p["in"] != "path" or p["schema"].get("format") != "uuid"]
    return [401, 403, 429] + [code for code, applies in (
        (404, any(name == "id" or name.endswith("_id") for name in names)),
        (409, method in WRITES),
        (422, "requestBody" in operation or bool(checked)),
    ) if applies]


def body_fields(spec, operation: dict) -> list[str]:
    schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    name = schema.get("$ref", "").rpartition("/")[2]
    return list(spec.components.schemas.get(name, {}).get("properties", {}))


def declare(spec, operation: dict, codes: list[int]) -> None:
    for code in codes:
        operation["responses"][str(code)] = spec.components.get_ref("response", HTTPStatus(code).name)
