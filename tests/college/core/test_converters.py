"""Every number in a path goes through one converter, `<id:…>`, which names nothing past the
largest database id."""

import pytest
from django.urls import get_resolver
from django.urls.converters import IntConverter
from django.urls.resolvers import URLPattern, URLResolver

from college.core.converters import MAX_ID, IdConverter

pytestmark = pytest.mark.django_db


def _converters(resolver, prefix=""):
    for entry in resolver.url_patterns:
        converters = getattr(entry.pattern, "converters", {})
        for name, converter in converters.items():
            yield f"{prefix}{entry.pattern}", name, converter
        if isinstance(entry, URLResolver):
            yield from _converters(entry, prefix + str(entry.pattern))
        else:
            assert isinstance(entry, URLPattern)


def test_no_path_of_ours_uses_djangos_int_converter():
    ints = [
        (route, name)
        for route, name, converter in _converters(get_resolver())
        if isinstance(converter, IntConverter) and not route.startswith("admin/")
    ]
    assert not ints, f"Use <id:…> (college.core.converters) for: {ints}"


def test_the_id_converter_refuses_a_number_past_the_largest_database_id():
    converter = IdConverter()
    assert converter.to_python(str(MAX_ID)) == MAX_ID
    with pytest.raises(ValueError):
        converter.to_python(str(MAX_ID + 1))
    with pytest.raises(ValueError):
        converter.to_python("9" * 5000)


@pytest.mark.parametrize(
    "url",
    [
        f"/vacancies/{MAX_ID + 1}/",
        f"/api/v1/vacancies/{MAX_ID + 1}/",
        "/vacancies/" + "9" * 5000 + "/",
    ],
)
def test_a_path_with_a_number_too_large_for_the_database_is_a_404(client, url):
    assert client.get(url).status_code == 404
