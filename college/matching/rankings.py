"""Rankings: vacancy shortlists kept between requests.

Scoring a vacancy's whole pool reads every candidate-skill row of its skills (hundreds of
thousands at Brussels scale, some 350,000 for a pool of 100,000), which no index avoids. A
vacancy's ranking keeps instead every pool member scoring `threshold` or more, `threshold` being
one more than the RANKING_SIZE-th score when it was built (0, everyone, for a smaller pool). That
set stays exact as long as

* the vacancy does not change: any change to it or to its requirements drops the ranking
  (the receivers in :mod:`college.matching.signals`, which also drop every ranking when a
  commune or a police zone changes; writes that bypass model signals call its
  ``vacancy_changed``), and the next shortlist builds it again;
* every job-seeker whose matching data changed is scored again: each change appends a
  ProfileChange (the receivers in :mod:`college.matching.signals`, and the services that write
  in bulk through its ``profile_changed``); reading a ranking first re-scores, in one
  statement, the pool members changed since `last_change`, removing those now below the
  threshold or out of the pool and adding those now above it.

A change is read again until it is RANKING_SETTLE_SECONDS old (`last_change` only moves past
older ones), so a change whose transaction commits after a younger one was read is not missed.
The kept set only ever shrinks between builds; when fewer than `limit` remain above the
threshold, or too many job-seekers changed at once, the ranking is built again.

A read that finds nothing to re-score takes neither the lock nor a transaction: two queries, the
ranking with the newest change and how many changes follow its `last_change`, then its rows.
Nothing to re-score means no change after `last_change`, or exactly the changes the last
re-scoring read (the same newest one and as many after `last_change`: ids are unique and only
appended, so the same set), which it notes in the cache once its transaction commits.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection, transaction
from django.dispatch import Signal
from django.utils import timezone

from candidates.models import ProfileChange
from college.matching.pool import default_pool
from college.matching.sql import computed_shortlist
from employers.models import RankedCandidate, Vacancy, VacancyRanking

RANKING_SIZE = 200
RANKING_REFRESH_LIMIT = 5000
RANKING_SETTLE_SECONDS = 120
# How long a re-scoring's note (see the module docstring) is kept: a bound only.
RANKING_NOTE_SECONDS = 600

# Sent with `vacancy_id` when a re-scoring took job-seekers' rows out of the vacancy's kept
# ranking: what was shown from those rows (the features above keep shortlist pages) is stale,
# and the person may no longer be found through the ranking. Deleting a whole ranking sends
# VacancyRanking's own pre_delete.
ranking_rows_dropped = Signal()


def shortlist(*, vacancy, limit=50, pool=None) -> list[tuple[int, int]]:
    """The best `limit` (profile id, score) for the vacancy, best first, ties by profile id.

    For the default pool and a limit up to RANKING_SIZE, the answer comes from the vacancy's
    kept ranking (see the module docstring): a handful of queries and no scoring, once built.
    Otherwise it is computed: four queries whatever the pool's size (the vacancy's skills,
    languages, police-zone communes, then one statement scoring every pool member).
    """
    if pool is None and limit is not None and 0 < int(limit) <= RANKING_SIZE:
        return _kept_shortlist(vacancy, int(limit))
    return computed_shortlist(vacancy=vacancy, limit=limit, pool=pool)


def _settled_change():
    """The newest profile change older than RANKING_SETTLE_SECONDS (0 when none): one query."""
    before = timezone.now() - timezone.timedelta(seconds=RANKING_SETTLE_SECONDS)
    return (
        ProfileChange.objects.filter(created_at__lt=before)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
        or 0
    )


def _note_key(vacancy_id):
    return f"matching:ranking-rescored:{vacancy_id}"


def _quoted(model, field=None):
    name = model._meta.db_table if field is None else model._meta.get_field(field).column
    return connection.ops.quote_name(name)


def _unchanged_rows(vacancy, limit):
    """The kept ranking's best `limit` when nothing is left to re-score, else None."""
    change = _quoted(ProfileChange)
    change_id = _quoted(ProfileChange, "id")
    ranking = _quoted(VacancyRanking)
    last_change = f"{ranking}.{_quoted(VacancyRanking, 'last_change')}"
    # Written out: the ORM's compilation of the two subqueries costs more than running them.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_quoted(VacancyRanking, 'threshold')}, {last_change},"
            f" (SELECT MAX({change_id}) FROM {change}),"
            f" (SELECT COUNT(*) FROM {change} WHERE {change_id} > {last_change})"
            f" FROM {ranking} WHERE {ranking}.{_quoted(VacancyRanking, 'vacancy')} = %s",
            [vacancy.pk],
        )
        found = cursor.fetchone()
    if found is None:
        return None
    threshold, last_change, latest, following = found
    if (latest or 0) > last_change and cache.get(_note_key(vacancy.pk)) != (
        last_change,
        latest,
        following,
    ):
        return None
    profile, score = _quoted(RankedCandidate, "profile"), _quoted(RankedCandidate, "score")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {profile}, {score} FROM {_quoted(RankedCandidate)}"
            f" WHERE {_quoted(RankedCandidate, 'ranking')} = %s"
            f" ORDER BY {score} DESC, {profile} LIMIT %s",
            [vacancy.pk, limit],
        )
        rows = [(int(profile_id), int(score)) for profile_id, score in cursor.fetchall()]
    if len(rows) == limit or threshold == 0:
        return rows
    return None


def _kept_shortlist(vacancy, limit):
    rows = _unchanged_rows(vacancy, limit)
    if rows is not None:
        return rows
    with transaction.atomic():
        # One reader at a time per vacancy: it may rebuild or re-score the ranking.
        list(Vacancy.objects.select_for_update().filter(pk=vacancy.pk).values_list("pk"))
        latest = ProfileChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
        settled = _settled_change()
        ranking = VacancyRanking.objects.filter(vacancy_id=vacancy.pk).first()
        if ranking is not None and ranking.last_change < latest:
            if not _ranking_refresh(ranking, vacancy, latest=latest, settled=settled):
                ranking.delete()
                ranking = None
        if ranking is not None:
            rows = list(
                RankedCandidate.objects.filter(ranking=ranking)
                .order_by("-score", "profile_id")
                .values_list("profile_id", "score")[:limit]
            )
            if len(rows) == limit or ranking.threshold == 0:
                return rows
            ranking.delete()  # too few left above the threshold: build it again
        return _ranking_build(vacancy, settled=settled)[:limit]


def ranking_build(vacancy):
    """(Re)builds the vacancy's kept ranking now (e.g. when it is published)."""
    with transaction.atomic():
        VacancyRanking.objects.filter(vacancy_id=vacancy.pk).delete()
        return _ranking_build(vacancy, settled=_settled_change())


def _ranking_build(vacancy, *, settled):
    """Scores the pool's best RANKING_SIZE and keeps them; returns them, best first."""
    rows = computed_shortlist(vacancy=vacancy, limit=RANKING_SIZE)
    threshold = 0 if len(rows) < RANKING_SIZE else rows[-1][1] + 1
    kept = [row for row in rows if row[1] >= threshold]
    ranking = VacancyRanking.objects.create(
        vacancy_id=vacancy.pk, threshold=threshold, last_change=settled
    )
    RankedCandidate.objects.bulk_create(
        RankedCandidate(ranking=ranking, profile_id=profile_id, score=score)
        for profile_id, score in kept
    )
    return rows


def _ranking_refresh(ranking, vacancy, *, latest, settled):
    """Re-scores the pool members changed since the ranking's last change; False: too many."""
    changes = list(
        ProfileChange.objects.filter(id__gt=ranking.last_change, id__lte=latest).values_list(
            "id", "profile_id"
        )
    )
    changed = sorted({profile_id for _change_id, profile_id in changes})
    if len(changed) > RANKING_REFRESH_LIMIT:
        return False
    rows = RankedCandidate.objects.filter(ranking=ranking, profile_id__in=changed)
    ranked = set(rows.values_list("profile_id", flat=True)) if changed else set()
    rows.delete()
    pool = default_pool(vacancy).filter(pk__in=changed)
    rescored = (
        computed_shortlist(vacancy=vacancy, limit=None, pool=pool, small_pool=True)
        if changed
        else []
    )
    kept = [(profile_id, score) for profile_id, score in rescored if score >= ranking.threshold]
    RankedCandidate.objects.bulk_create(
        RankedCandidate(ranking=ranking, profile_id=profile_id, score=score)
        for profile_id, score in kept
    )
    if ranked - {profile_id for profile_id, _score in kept}:
        ranking_rows_dropped.send(sender=VacancyRanking, vacancy_id=vacancy.pk)
    ranking.last_change = max(ranking.last_change, settled)
    ranking.save(update_fields=["last_change"])
    # What was re-scored, for the reads that find nothing new after it (_unchanged_rows); noted
    # once committed, a re-scoring rolled back must not be taken for done.
    note = (
        ranking.last_change,
        latest,
        sum(1 for change_id, _profile_id in changes if change_id > ranking.last_change),
    )
    key = _note_key(vacancy.pk)
    transaction.on_commit(lambda: cache.set(key, note, RANKING_NOTE_SECONDS))
    return True


def profile_changes_prune():
    """Deletes the profile changes every ranking has settled past; returns how many."""
    oldest = VacancyRanking.objects.order_by("last_change").values_list("last_change", flat=True)
    floor = oldest.first()
    if floor is None:
        return ProfileChange.objects.all().delete()[0]
    return ProfileChange.objects.filter(id__lte=floor).delete()[0]
