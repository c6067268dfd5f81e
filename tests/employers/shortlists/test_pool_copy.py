"""The pool insight's in-memory copy: the same counts as the SQL statement, and every profile
change seen by the next insight."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given

from candidates.models import CandidateProfile, CandidateSkill, Education
from college import matching
from employers.shortlists import pool, pool_copy
from employers.shortlists.pool import pool_insight
from tests.employers.shortlists.test_pool_insight import (
    EMPTY_VACANCY,
    HYPOTHESIS,
    PERSON,
    build,
    people,
    vacancies,
    world,  # noqa: F401 (a fixture)
)

pytestmark = pytest.mark.django_db

COUNTED = ("met", "more_relaxed", "following_relaxed", "more_training", "following_training")


def both_ways(vacancy, today=None):
    """(SQL counts, in-memory counts), each with every requirement's counts."""
    today = today or timezone.localdate()
    target = matching.load_vacancy_target(vacancy)
    results = []
    for counts in (pool._counts, pool._counts_in_memory):
        requirements = pool._requirements(target)
        totals = counts(vacancy, target, requirements, today)
        results.append(
            (
                totals,
                {r.key: tuple(getattr(r, name) for name in COUNTED) for r in requirements},
            )
        )
    return results


@HYPOTHESIS
@given(vacancy_data=vacancies(), persons=people())
def test_the_in_memory_counts_equal_the_sql_statement(world, vacancy_data, persons):  # noqa: F811
    with transaction.atomic():
        vacancy = build(world, vacancy_data, persons)
        by_sql, in_memory = both_ways(vacancy)
        assert in_memory == by_sql
        transaction.set_rollback(True)


def test_a_profile_change_is_seen_by_the_next_insight(world):  # noqa: F811
    vacancy = build(
        world,
        {**EMPTY_VACANCY, "skills": {0: ("essential", 3, "entry")}, "diploma": "upper_secondary"},
        [dict(PERSON, diploma=None) for _ in range(3)] + [dict(PERSON) for _ in range(12)],
    )
    first = pool_insight(vacancy=vacancy)
    assert (first.considered, first.eligible, first.reached) == (15, 12, 12)
    profiles = list(CandidateProfile.objects.filter(user__email__startswith="pool").order_by("pk"))
    # A diploma recognised, a skill forgotten, an account deactivated: each appends a change.
    Education.objects.create(profile=profiles[0], level="cess", recognition="belgian")
    CandidateSkill.objects.filter(profile=profiles[5]).delete()
    user = profiles[6].user
    user.is_active = False
    user.save()
    later = pool_insight(vacancy=vacancy)
    assert (later.considered, later.eligible, later.reached) == (14, 12, 11)
    by_sql, in_memory = both_ways(vacancy)
    assert in_memory == by_sql


def test_the_copy_is_read_again_only_for_changes_it_has_not_seen(world):  # noqa: F811
    vacancy = build(world, {**EMPTY_VACANCY}, [dict(PERSON) for _ in range(3)])
    copy = pool_copy.pool_copy()
    assert copy.size == 3
    profile = CandidateProfile.objects.filter(user__email__startswith="pool").first()
    profile.shifts = False
    profile.save()
    assert pool_copy.pool_copy() is copy
    assert not copy.dense["shifts"][copy.row_of[profile.pk]]
    cache.clear()  # the pool generation is lost: the copy is built again
    assert pool_copy.pool_copy() is not copy
    assert pool_insight(vacancy=vacancy).considered == 3


def test_the_copy_costs_the_same_queries_built_or_brought_up_to_date(world):  # noqa: F811
    build(world, {**EMPTY_VACANCY}, [dict(PERSON) for _ in range(3)])
    counts = []
    for change in (False, True, False):
        if change:
            profile = CandidateProfile.objects.filter(user__email__startswith="pool").first()
            profile.save()
        with CaptureQueriesContext(connection) as queries:
            pool_copy.pool_copy()
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2]
