"""Guard: every form, filter, admin form and serializer of the project cleans its free text.

The classes are found by walking the apps' modules, so a form or serializer added later is
checked without being listed here. A writable field must refuse a non-character whatever
its type; a text field must also turn a pasted line break into a newline (or a space on a
single line) and refuse direction overrides on a single line. Every string a request body
takes must state its maximum length in the OpenAPI schema.
"""

import functools
import importlib
import pkgutil

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth.forms import UsernameField
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django_filters import FilterSet
from drf_spectacular.generators import SchemaGenerator
from rest_framework import fields, serializers
from rest_framework.exceptions import ValidationError as ApiValidationError

from college.core.text import is_single_line
from college.models import User

pytestmark = pytest.mark.django_db

APPS = ("college", "candidates", "employers", "assessments")


def _project_modules():
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if any(part in module.name for part in (".migrations", "settings", "sgi")):
                continue
            importlib.import_module(module.name)


def _subclasses(base):
    found = set()
    for subclass in base.__subclasses__():
        found |= {subclass, *_subclasses(subclass)}
    return found


def _ours(cls):
    return cls.__module__.split(".")[0] in APPS


def _is_password(field):
    return isinstance(getattr(field, "widget", None), forms.PasswordInput) or (
        getattr(field, "style", {}).get("input_type") == "password"
    )


@functools.cache
def form_fields():
    """(label, field) for every field of every form, filter form and admin form."""
    _project_modules()
    found = []
    for form in _subclasses(forms.BaseForm):
        if _ours(form):
            found += [(f"{form.__qualname__}.{name}", f) for name, f in form.base_fields.items()]
    for filterset in _subclasses(FilterSet):
        if _ours(filterset) and filterset._meta.model is not None:
            form = filterset(queryset=filterset._meta.model.objects.none()).form
            found += [(f"{filterset.__qualname__}.{name}", f) for name, f in form.fields.items()]
    request = RequestFactory().get("/admin/")
    request.user = User(is_superuser=True, is_active=True)
    for model, model_admin in admin.site._registry.items():
        form = model_admin.get_form(request)
        found += [(f"{model.__name__}Admin.{name}", f) for name, f in form.base_fields.items()]
    return found


def _serializer_fields(serializer, prefix):
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        label = f"{prefix}.{name}"
        if isinstance(field, serializers.ListSerializer):
            field = field.child
        if isinstance(field, serializers.BaseSerializer):
            yield from _serializer_fields(field, label)
        elif isinstance(field, fields.ListField):
            yield label, field.child
        else:
            yield label, field


@functools.cache
def serializer_fields():
    _project_modules()
    found = []
    for serializer in _subclasses(serializers.BaseSerializer):
        if _ours(serializer) and not issubclass(serializer, serializers.ListSerializer):
            found += list(_serializer_fields(serializer(), serializer.__qualname__))
    return found


def _form_codes(call, value):
    try:
        call(value)
    except ValidationError as error:
        return {item.code for item in error.error_list}
    return None


def _api_codes(call, value):
    try:
        call(value)
    except (ApiValidationError, ValidationError) as error:
        codes = error.get_codes() if isinstance(error, ApiValidationError) else [error.code]
        return set(codes if isinstance(codes, list) else [codes])
    return None


def test_the_walk_finds_the_forms_and_serializers_that_take_text():
    forms_found = {label for label, _ in form_fields()}
    serializers_found = {label for label, _ in serializer_fields()}
    assert {"VacancyForm.title_fr", "VacancyForm.description_fr", "ApplyForm.motivation"} <= (
        forms_found
    )
    assert "VacancyAdmin.title_fr" in forms_found
    assert {"VacancyInputSerializer.title_fr", "VacancyInputSerializer.description_fr"} <= (
        serializers_found
    )


def test_every_writable_form_field_refuses_a_non_character():
    accepted = [
        label
        for label, field in form_fields()
        # A checkbox keeps no text: any value sent means "checked".
        if not isinstance(field, forms.BooleanField | forms.NullBooleanField)
        and not field.disabled
        and not _is_password(field)
        and _form_codes(field.clean, "x\uffff") is None
    ]
    assert accepted == []


def test_every_writable_serializer_field_refuses_a_non_character():
    accepted = [
        label
        for label, field in serializer_fields()
        if not _is_password(field) and _api_codes(field.run_validation, "x\uffff") is None
    ]
    assert accepted == []


def test_every_form_text_field_cleans_pasted_text():
    wrong = []
    for label, field in form_fields():
        if not isinstance(field, forms.CharField) or _is_password(field):
            continue
        if isinstance(field, forms.JSONField):  # parsed as JSON, whose strings it keeps
            continue
        single_line = is_single_line(field)
        if _form_codes(field.to_python, "x\uffff") != {"noncharacter"}:
            wrong.append(f"{label}: non-character")
        # A URL field adds a scheme to what it cleans.
        expected = "a b" if single_line else "a\nb"
        if not isinstance(field, forms.URLField) and field.to_python("a\x0bb") != expected:
            wrong.append(f"{label}: vertical tab")
        bidi = _form_codes(field.to_python, "a\u202eb")
        if bidi != ({"bidi_control"} if single_line else None):
            wrong.append(f"{label}: direction override")
    assert wrong == []


def test_every_serializer_text_field_cleans_pasted_text():
    wrong = []
    for label, field in serializer_fields():
        if not isinstance(field, fields.CharField) or _is_password(field):
            continue
        single_line = is_single_line(field)
        if _api_codes(field.to_internal_value, "x\uffff") != {"noncharacter"}:
            wrong.append(f"{label}: non-character")
        if field.to_internal_value("a\x0bb") != ("a b" if single_line else "a\nb"):
            wrong.append(f"{label}: vertical tab")
        bidi = _api_codes(field.to_internal_value, "a\u202eb")
        if bidi != ({"bidi_control"} if single_line else None):
            wrong.append(f"{label}: direction override")
    assert wrong == []


def test_every_form_text_field_has_a_length_limit():
    unlimited = [
        label
        for label, field in form_fields()
        if isinstance(field, forms.CharField)
        and not isinstance(field, forms.JSONField)
        # Django's login form takes the limit from the user model when it is created.
        and not isinstance(field, UsernameField)
        and not _is_password(field)
        and field.max_length is None
        and "Admin." not in label
    ]
    assert unlimited == []


def _strings_without_limit(schema, components, path, seen):
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return
        yield from _strings_without_limit(components[name], components, path, seen | {name})
        return
    for key in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(key, []):
            yield from _strings_without_limit(part, components, path, seen)
    if schema.get("readOnly"):
        return
    kind = schema.get("type")
    if kind == "object":
        for name, property_schema in schema.get("properties", {}).items():
            yield from _strings_without_limit(property_schema, components, f"{path}.{name}", seen)
    elif kind == "array" and "items" in schema:
        yield from _strings_without_limit(schema["items"], components, f"{path}[]", seen)
    elif kind == "string" and not ({"enum", "format", "maxLength", "pattern"} & schema.keys()):
        yield path


def test_every_string_of_a_request_body_states_its_maximum_length_in_the_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    unlimited = []
    for url, operations in schema["paths"].items():
        for method, operation in operations.items():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                unlimited += _strings_without_limit(
                    content["schema"], components, f"{method.upper()} {url}", frozenset()
                )
    assert unlimited == []
