from django.core.cache import cache

from college.core import cache_versions


def test_a_counter_starts_at_the_time_and_moves_on():
    first = cache_versions.current("test:version")
    assert first > 10**18  # nanoseconds since 1970
    cache_versions.move_on("test:version")
    assert cache_versions.current("test:version") == first + 1


def test_a_lost_counter_never_comes_back_to_a_value_used_before():
    used = cache_versions.current("test:version")
    cache_versions.move_on("test:version")
    cache.delete("test:version")
    cache_versions.move_on("test:version")  # missing: starts again, later than any value used
    assert cache_versions.current("test:version") > used + 1
