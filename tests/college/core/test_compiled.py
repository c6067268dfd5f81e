"""Queries compiled once (college/core/compiled.py) answer as the ORM's own queryset does."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection
from django.db.models import Count
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import Attempt, AttemptItem, Battery, Item
from college.core.compiled import Compiled, insert, sentinel_uuid, update
from college.models import User

pytestmark = pytest.mark.django_db

ATTEMPTS = Compiled(
    "test: a person's attempts",
    lambda user_id, status: Attempt.objects.filter(user_id=user_id, status=status).order_by("pk"),
    user_id=-7_399_001,
    status="\x00sentinel",
)
ROWS = Compiled(
    "test: a person's attempts as rows",
    lambda user_id, pk: (
        Attempt.objects.filter(user_id=user_id, pk=pk)
        .order_by()
        .values_list("pk", "status", "deadline", "time_multiplier", "competency_scores")
    ),
    user_id=-7_399_003,
    pk=sentinel_uuid(7_399_005),
)


def _attempt(user, battery, status, **fields):
    now = timezone.now()
    return Attempt.objects.create(
        battery=battery,
        user=user,
        mode=Attempt.Mode.PRACTICE,
        language="fr",
        seed=1,
        status=status,
        started_at=now,
        deadline=now + datetime.timedelta(minutes=20),
        **fields,
    )


@pytest.fixture
def battery(item_bank):
    return Battery.objects.get(slug="police-cognitive")


def test_model_rows_are_the_querysets_own_instances_in_one_query(cast, battery):
    mine = [_attempt(cast.candidate, battery, Attempt.Status.FINISHED) for _ in range(3)]
    _attempt(cast.candidate, battery, Attempt.Status.IN_PROGRESS)
    _attempt(cast.other_candidate, battery, Attempt.Status.FINISHED)

    with CaptureQueriesContext(connection) as queries:
        found = ATTEMPTS.rows(user_id=cast.candidate.pk, status=Attempt.Status.FINISHED)

    assert len(queries) == 1
    expected = list(
        Attempt.objects.filter(user=cast.candidate, status=Attempt.Status.FINISHED).order_by("pk")
    )
    assert found == expected == sorted(mine, key=lambda attempt: attempt.pk)
    for got, want in zip(found, expected, strict=True):
        assert got.deadline == want.deadline and got.deadline.tzinfo is not None
        assert got.time_multiplier == want.time_multiplier
        assert not got._state.adding and got._state.db == want._state.db


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    multiplier=st.sampled_from(["1", "1.25", "1.33", "1.5", "2"]),
    scores=st.dictionaries(
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12),
        st.floats(0, 100, allow_nan=False),
        max_size=4,
    ),
    minutes=st.integers(-10_000, 10_000),
)
def test_value_rows_convert_as_values_list_does(cast, battery, multiplier, scores, minutes):
    attempt = _attempt(
        cast.candidate,
        battery,
        Attempt.Status.FINISHED,
        time_multiplier=multiplier,
        competency_scores=scores,
    )
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() + datetime.timedelta(minutes=minutes)
    )
    expected = list(
        Attempt.objects.filter(user=cast.candidate, pk=attempt.pk).values_list(
            "pk", "status", "deadline", "time_multiplier", "competency_scores"
        )
    )
    assert ROWS.rows(user_id=cast.candidate.pk, pk=attempt.pk) == expected
    # Another person's id, or an id nobody has: nothing.
    assert ROWS.rows(user_id=cast.other_candidate.pk, pk=attempt.pk) == []
    assert ROWS.rows(user_id=cast.candidate.pk, pk=uuid.uuid4()) == []


def test_a_query_that_does_not_take_its_value_as_a_parameter_is_refused_at_once():
    folded = Compiled(
        "test: a value the query does not use",
        lambda user_id: User.objects.filter(pk__gt=0),
        user_id=-7_399_007,
    )
    with pytest.raises(RuntimeError, match="must take each of"):
        folded.rows(user_id=1)


JOINED = Compiled(
    "test: attempts with their battery and person",
    lambda user_id: (
        Attempt.objects.filter(user_id=user_id).select_related("battery", "user").order_by("pk")
    ),
    user_id=-7_399_009,
)


def test_select_related_instances_come_filled_in_as_the_querysets_own(
    cast, battery, django_assert_num_queries
):
    made = [_attempt(cast.candidate, battery, Attempt.Status.FINISHED) for _ in range(2)]
    with django_assert_num_queries(1):
        found = JOINED.rows(user_id=cast.candidate.pk)
        assert [attempt.battery.slug for attempt in found] == [battery.slug] * 2
        assert {attempt.user.email for attempt in found} == {cast.candidate.email}
    assert found == sorted(made, key=lambda attempt: attempt.pk)
    assert found[0].battery == battery and found[0].user == cast.candidate


ANNOTATED = Compiled(
    "test: attempts with their item count",
    lambda user_id: (
        Attempt.objects.filter(user_id=user_id)
        .annotate(drawn=Count("attempt_items"))
        .order_by("pk")
    ),
    user_id=-7_399_011,
)


def test_annotations_come_on_the_instances_as_the_querysets_own(cast, battery):
    made = [_attempt(cast.candidate, battery, Attempt.Status.FINISHED) for _ in range(2)]
    AttemptItem.objects.bulk_create(_drawn_items(made[0], battery, 3))
    expected = list(
        Attempt.objects.filter(user=cast.candidate).annotate(drawn=Count("attempt_items"))
    )
    found = ANNOTATED.rows(user_id=cast.candidate.pk)
    assert [(a.pk, a.drawn) for a in found] == sorted((a.pk, a.drawn) for a in expected)
    assert sorted(a.drawn for a in found) == [0, 3]


def test_a_query_of_constants_runs_as_the_queryset_does(cast):
    candidates = Compiled(
        "test: every job-seeker",
        lambda: User.objects.filter(role=User.Role.CANDIDATE).order_by("pk").values_list("email"),
    )
    expected = list(
        User.objects.filter(role=User.Role.CANDIDATE).order_by("pk").values_list("email")
    )
    assert candidates.rows() == expected and expected


def _drawn_items(attempt, battery, count):
    section = battery.sections.order_by("position").first()
    items = list(Item.objects.filter(competency=section.competency).order_by("key")[:count])
    return [
        AttemptItem(
            attempt_id=attempt.pk,
            item_id=item.pk,
            section_id=section.pk,
            position=position,
            option_order=[position, 7, 3],
        )
        for position, item in enumerate(items, start=1)
    ]


COLUMNS = ("attempt_id", "item_id", "section_id", "position", "option_order", "served_at")


@pytest.mark.parametrize("count", [1, 5])
def test_an_insert_writes_the_rows_bulk_create_writes(cast, battery, count):
    ours = _attempt(cast.candidate, battery, Attempt.Status.IN_PROGRESS)
    theirs = _attempt(cast.other_candidate, battery, Attempt.Status.IN_PROGRESS)
    drawn = _drawn_items(ours, battery, count)
    with CaptureQueriesContext(connection) as queries:
        written = insert(drawn)
    assert len(queries) == 1
    assert all(not item._state.adding and item._state.db == "default" for item in written)
    AttemptItem.objects.bulk_create(_drawn_items(theirs, battery, count))

    def rows(attempt):
        return [
            row[1:]
            for row in AttemptItem.objects.filter(attempt=attempt)
            .order_by("position")
            .values_list(*COLUMNS)
        ]

    assert rows(ours) == rows(theirs) and len(rows(ours)) == count


def test_an_insert_of_a_model_with_a_uuid_and_defaults_is_the_saved_row(cast, battery):
    now = timezone.now()
    attempt = Attempt(
        battery=battery,
        user=cast.candidate,
        mode=Attempt.Mode.PRACTICE,
        language="nl",
        seed=7,
        time_multiplier="1.25",
        started_at=now,
        deadline=now + datetime.timedelta(minutes=5),
    )
    insert([attempt])
    stored = Attempt.objects.get(pk=attempt.pk)
    for field in Attempt._meta.concrete_fields:
        assert getattr(stored, field.attname) == getattr(attempt, field.attname) or (
            field.attname == "time_multiplier"
        ), field.attname
    assert stored.time_multiplier == Decimal("1.25") and stored.competency_scores == {}


def test_an_insert_goes_through_the_orm_when_anything_listens(cast, battery):
    heard = []

    def receiver(sender, instance, created, **kwargs):
        heard.append((instance.position, created))

    attempt = _attempt(cast.candidate, battery, Attempt.Status.IN_PROGRESS)
    post_save.connect(receiver, sender=AttemptItem, dispatch_uid="test-insert")
    try:
        insert(_drawn_items(attempt, battery, 1))
    finally:
        post_save.disconnect(dispatch_uid="test-insert", sender=AttemptItem)
    assert heard == [(1, True)]
    assert AttemptItem.objects.filter(attempt=attempt).count() == 1


def test_an_insert_of_one_row_reads_back_the_id_the_database_gave(cast, battery):
    attempt = _attempt(cast.candidate, battery, Attempt.Status.IN_PROGRESS)
    (item,) = insert(_drawn_items(attempt, battery, 1))
    assert item.pk is not None
    assert AttemptItem.objects.get(pk=item.pk).attempt_id == attempt.pk


def test_an_update_writes_the_fields_named_and_nothing_else(cast, battery):
    attempt = _attempt(cast.candidate, battery, Attempt.Status.IN_PROGRESS)
    attempt.status = Attempt.Status.FINISHED
    attempt.score_percent = 61.5
    attempt.competency_scores = {"verbal": 61.5}
    attempt.language = "en"  # changed in memory, not named: stays as stored
    with CaptureQueriesContext(connection) as queries:
        update(attempt, ["status", "score_percent", "competency_scores"])
    assert len(queries) == 1
    stored = Attempt.objects.get(pk=attempt.pk)
    assert (stored.status, stored.score_percent, stored.competency_scores) == (
        Attempt.Status.FINISHED,
        61.5,
        {"verbal": 61.5},
    )
    assert stored.language == "fr"


def test_an_update_of_a_row_that_is_gone_is_refused_as_save_refuses(cast, battery):
    attempt = _attempt(cast.candidate, battery, Attempt.Status.IN_PROGRESS)
    Attempt.objects.filter(pk=attempt.pk).delete()
    with pytest.raises(DatabaseError):
        update(attempt, ["status"])
