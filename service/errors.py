"""One error shape for every refusal: {code, status, message, errors?}, answered and documented."""

from http import HTTPStatus

from flask import jsonify
from werkzeug.exceptions import HTTPException

from domain.errors import DomainError, ForbiddenError, InvalidError, NotFoundError, RuleError

from .api import openapi

STATUS_OF = {NotFoundError: 404, RuleError: 409, InvalidError: 422, ForbiddenError: 403}


def error_response(code: int, message: str, errors: dict | None = None):
    body = {"code": code, "status": HTTPStatus(code).phrase, "message": message}
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = code
    return response


def flatten(messages, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested messages as {"field.sub": [..]}."""
    if isinstance(messages, list):
        return {prefix or "_": [str(m) for m in messages]}
    flat: dict[str, list[str]] = {}
    for key, value in messages.items():
        flat.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    return flat


def http_error(error: HTTPException):
    messages = (getattr(error, "data", None) or {}).get("messages")
    if messages:
        located = messages.get("json") or messages.get("query") or messages.get("headers") or messages
        return error_response(error.code, "The request's fields are invalid.", flatten(located))
    message = (getattr(error, "data", None) or {}).get("message") or error.description
    return error_response(error.code, message)


def domain_error(error: DomainError):
    status = next(code for cls, code in STATUS_OF.items() if isinstance(error, cls))
    return error_response(status, error.message, error.errors)


def register(app) -> None:
    """The handlers; and, the blueprints being registered by now, the refusals declared on every operation."""
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(DomainError, domain_error)
    for found in app.extensions.get("flask-smorest", {}).get("apis", {}).values():
        openapi.complete(found["ext_obj"])
