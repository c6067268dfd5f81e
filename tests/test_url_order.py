"""The order of the root URL map changes no route.

college/urls.py puts the API and the employers' routes (the public board: most of the traffic)
before the other apps' includes with an empty prefix, because Django tries the entries in order
and each include that fails costs the time of listing its patterns. That is safe only while no
path can be matched by two entries of the root map: then any order gives every path the same
view. This test walks the whole URL map, so that a route added later is checked too: it makes a
sample path for every pattern and asks each root entry alone whether it matches it.
"""

import re

from django.urls import Resolver404, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

SAMPLES = {
    "int": "7",
    "slug": "a-b",
    "str": "x",
    "path": "x/y",
    "uuid": "12345678-1234-5678-1234-567812345678",
}


def sample(pattern):
    """A path the pattern matches, or None for a regular expression too free to fill in."""
    if isinstance(pattern, RoutePattern):
        return re.sub(
            r"<(?:(\w+):)?\w+>", lambda m: SAMPLES.get(m.group(1) or "str", "x"), str(pattern)
        )
    text = str(pattern).lstrip("^").rstrip("$").replace("\\Z", "")
    text = re.sub(r"\(\?P<\w+>[^)]*\)", "7", text).replace("\\", "")
    return None if any(character in text for character in "()[]*+?|") else text


def sample_paths(patterns, prefix="/"):
    for entry in patterns:
        part = sample(entry.pattern)
        if part is None:
            continue
        if isinstance(entry, URLResolver):
            yield from sample_paths(entry.url_patterns, prefix + part)
        else:
            yield prefix + part


def matching_entries(root, path):
    found = []
    for index, entry in enumerate(root.url_patterns):
        try:
            match = entry.resolve(path.lstrip("/"))
        except Resolver404:
            continue
        if match:
            found.append((index, str(entry.pattern), match.view_name))
    return found


def test_no_path_is_matched_by_two_entries_of_the_root_url_map():
    root = get_resolver()
    paths = sorted(set(sample_paths(root.url_patterns)))
    assert len(paths) > 300  # the walk reached every app's routes
    ambiguous = {path: found for path in paths if len(found := matching_entries(root, path)) > 1}
    assert ambiguous == {}


def test_the_board_and_the_api_come_before_the_includes_with_an_empty_prefix():
    root = get_resolver()
    includes = [
        index
        for index, entry in enumerate(root.url_patterns)
        if isinstance(entry, URLResolver) and str(entry.pattern) == ""
    ]
    first_empty = includes[0]
    api = [str(entry.pattern) for entry in root.url_patterns].index("api/v1/")
    assert api < first_empty
    board = matching_entries(root, "/vacancies/")
    assert board and board[0][0] == first_empty  # employers' routes: the first empty prefix
