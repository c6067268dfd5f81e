"""Documents the error answers every API operation shares, in DRF's shapes (see shared/API.md).

Each view documents its own success and the errors particular to it; the answers that come
from the framework itself (a bad or missing token, a role that may not call the operation, an
unknown object or page, a throttled caller, a value the serializers or filters refuse) are the
same everywhere and are added here, so that the schema names every status a client can get.
A second hook lists the values each list filter accepts
(college.core.openapi.document_filter_values).
"""

import django_filters
from django.db import DatabaseError

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
    "400": "Invalid values, or an address that is not clean UTF-8; nothing is saved.",
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
    # A body or a query the serializers refuse; and an address that is not clean UTF-8 (a path
    # parameter is where a client puts text: college.core.request_hygiene answers 400).
    if "requestBody" in operation or any(
        parameter["in"] in ("query", "path") for parameter in parameters
    ):
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


def document_filter_values(result, generator, request, public):
    """drf-spectacular post-processing hook: every list filter that takes an object (a role's
    slug, a language code, a skill's id…) lists the values it accepts, and a filter that needs
    another one (`cefr` needs `language`) says so; a FilterSet names those in `requires`."""
    paths = result.get("paths", {})
    for path, _regex, method, callback in generator.endpoints:
        view = getattr(callback, "cls", None)
        filterset_class = getattr(view, "filterset_class", None)
        operation = paths.get(path, {}).get(method.lower())
        if filterset_class is None or operation is None or method != "GET":
            continue
        filterset = filterset_class(
            data=None, queryset=filterset_class._meta.model._default_manager.none()
        )
        parameters = {
            parameter["name"]: parameter
            for parameter in operation.get("parameters", [])
            if parameter["in"] == "query"
        }
        for name, filter_ in filterset.filters.items():
            parameter = parameters.get(name)
            if parameter is None:
                continue
            if isinstance(filter_, django_filters.ModelChoiceFilter):
                values = _accepted_values(filterset.form.fields[name])
                if values:  # OpenAPI wants at least one value (none: nothing to choose yet)
                    parameter.setdefault("schema", {})["enum"] = values
        for name, needed in getattr(filterset_class, "requires", {}).items():
            parameter = parameters.get(name)
            if parameter is None:
                continue
            names = ", ".join(f"`{other}`" for other in needed)
            parameter["description"] = (
                parameter.get("description", "").rstrip()
                + f" Requires {names}: alone, it is a 400."
            ).strip()
    return result


def _accepted_values(field):
    """The values a model-choice field accepts, read from the database; none where the schema
    is built without one (the fuzz tests build it when their module is imported)."""
    try:
        return [field.prepare_value(item) for item in field.queryset]
    except (DatabaseError, RuntimeError):  # RuntimeError: pytest-django's blocked database
        return []
