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
    that may hold their row are forgotten now and again once the deletion commits (a read in
    between could have kept the page again), so that no copy outlives the erasure."""
    vacancy_ids = vacancies_showing(instance)
    if vacancy_ids:
        forget_kept_shortlists(vacancy_ids)
        transaction.on_commit(lambda: forget_kept_shortlists(vacancy_ids))
