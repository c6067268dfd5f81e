"""What a vacancy's publication starts, once the publishing transaction commits: the match
alerts to job-seekers it fits and the first build of its blind shortlist's ranking.

The vacancy workflow (`employers.services.vacancy_set_status`) announces the publication with
the named signal `employers.signals.vacancy_published` rather than importing this feature,
which stands on the matching engine above it.
"""

from django.db import transaction

from employers.shortlists.selectors import forget_kept_shortlists, vacancies_showing
from employers.shortlists.tasks import build_shortlist_ranking, send_match_alerts


def on_vacancy_published(sender, vacancy, **kwargs):
    vacancy_id = vacancy.pk
    transaction.on_commit(lambda: send_match_alerts.enqueue(vacancy_id))
    transaction.on_commit(lambda: build_shortlist_ranking.enqueue(vacancy_id))


def on_profile_deleted(sender, instance, **kwargs):
    """A job-seeker's profile is being deleted (erasure, retention): the kept shortlist pages
    that may hold their row are forgotten, so that no copy outlives the erasure."""
    _forget_now_and_at_commit(vacancies_showing(instance))


def on_ranking_rows_dropped(sender, vacancy_id, **kwargs):
    """A re-scoring took rows out of the vacancy's ranking: the pages kept from them are stale,
    and an erasure would no longer find the vacancy through the ranking (vacancies_showing), so
    they are forgotten now."""
    _forget_now_and_at_commit({vacancy_id})


def on_ranking_deleted(sender, instance, **kwargs):
    """A vacancy's whole ranking is being deleted (the vacancy or the places changed): the same."""
    _forget_now_and_at_commit({instance.vacancy_id})


def _forget_now_and_at_commit(vacancy_ids):
    # Again once the transaction commits: a read in between sees the rows as they were and
    # could keep the page again.
    if vacancy_ids:
        forget_kept_shortlists(vacancy_ids)
        transaction.on_commit(lambda: forget_kept_shortlists(vacancy_ids))
