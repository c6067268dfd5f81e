"""Documents the error answers every API operation shares, in DRF's shapes (see shared/API.md).

Each view documents its own success and the errors particular to it; the answers that come
from the framework itself (a bad or missing token, a role that may not call the operation, an
unknown object or page, a throttled caller, a value the serializers or filters refuse) are the
same everywhere and are added here, so that the schema names every status a client can get.
"""

DETAIL_COMPONENT = "ErrorDetail"
VALIDATION_COMPONENT = "ValidationErrors"

COMPONENTS = {
    DETAIL_COMPONENT: {
        "type": "object",
        "description": "An error that concerns the whole request.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    VALIDATION_COMPONENT: {
        "type": "object",
        "description": (
            'Invalid input: `{"field": ["message"]}` per refused field (nested the same way '
            'for nested fields), or `{"detail": "message"}` when the body cannot be read.'
        ),
        "additionalProperties": {},
    },
}

DESCRIPTIONS = {
    "400": "Invalid values; nothing is saved.",
    "401": "Missing, wrong or expired credentials.",
    "403": "The caller's role may not use this operation.",
    "404": "No such object for this caller (objects they may not see included), or no such page.",
    "429": "Too many requests; try again later.",
}

HTTP_METHODS = ("get", "put", "patch", "post", "delete")


def _error_response(status):
    component = VALIDATION_COMPONENT if status == "400" else DETAIL_COMPONENT
    return {
        "description": DESCRIPTIONS[status],
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
    }


def _shared_error_statuses(operation, default_security):
    parameters = operation.get("parameters", [])
    security = operation.get("security", default_security)
    statuses = ["429"]
    if security:
        # A wrong token is refused even where anonymous callers are welcome.
        statuses.append("401")
        if {} not in security:
            statuses.append("403")
    if any(parameter["in"] == "path" for parameter in parameters) or any(
        parameter["in"] == "query" and parameter["name"] == "page" for parameter in parameters
    ):
        statuses.append("404")
    if "requestBody" in operation or any(parameter["in"] == "query" for parameter in parameters):
        statuses.append("400")
    return statuses


def document_shared_errors(result, generator, request, public):
    """drf-spectacular post-processing hook: adds the shared error answers to every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, component in COMPONENTS.items():
        schemas.setdefault(name, component)
    default_security = result.get("security", [])
    for path_item in result.get("paths", {}).values():
        for method in HTTP_METHODS:
            operation = path_item.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for status in _shared_error_statuses(operation, default_security):
                responses.setdefault(status, _error_response(status))
    return result
