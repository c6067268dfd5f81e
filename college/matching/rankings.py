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
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from candidates.models import ProfileChange
from college.matching.pool import default_pool
from college.matching.sql import computed_shortlist
from employers.models import RankedCandidate, Vacancy, VacancyRanking

RANKING_SIZE = 200
RANKING_REFRESH_LIMIT = 5000
RANKING_SETTLE_SECONDS = 120


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


def _kept_shortlist(vacancy, limit):
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
    changed = sorted(
        set(
            ProfileChange.objects.filter(id__gt=ranking.last_change, id__lte=latest).values_list(
                "profile_id", flat=True
            )
        )
    )
    if len(changed) > RANKING_REFRESH_LIMIT:
        return False
    RankedCandidate.objects.filter(ranking=ranking, profile_id__in=changed).delete()
    pool = default_pool(vacancy).filter(pk__in=changed)
    rescored = (
        computed_shortlist(vacancy=vacancy, limit=None, pool=pool, small_pool=True)
        if changed
        else []
    )
    RankedCandidate.objects.bulk_create(
        RankedCandidate(ranking=ranking, profile_id=profile_id, score=score)
        for profile_id, score in rescored
        if score >= ranking.threshold
    )
    ranking.last_change = max(ranking.last_change, settled)
    ranking.save(update_fields=["last_change"])
    return True


def profile_changes_prune():
    """Deletes the profile changes every ranking has settled past; returns how many."""
    oldest = VacancyRanking.objects.order_by("last_change").values_list("last_change", flat=True)
    floor = oldest.first()
    if floor is None:
        return ProfileChange.objects.all().delete()[0]
    return ProfileChange.objects.filter(id__lte=floor).delete()[0]
