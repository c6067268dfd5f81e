"""Background work that follows a vacancy's publication: match alerts and its first ranking.

Started by `employers.shortlists.receivers` when `employers.signals.vacancy_published` is sent.
"""

from django.tasks import task

from college import matching
from employers.models import Vacancy
from employers.shortlists.alerts import match_alerts_send


@task()
def send_match_alerts(vacancy_id):
    """E-mails job-seekers whose alert threshold a newly published vacancy reaches."""
    vacancy = Vacancy.objects.filter(pk=vacancy_id).first()
    if vacancy is None:  # deleted since: nothing to announce
        return 0
    return match_alerts_send(vacancy=vacancy)


@task()
def build_shortlist_ranking(vacancy_id):
    """Ranks a newly published vacancy's pool, so its first shortlist answers at once."""
    vacancy = Vacancy.objects.filter(pk=vacancy_id).first()
    if vacancy is None:
        return 0
    ranked = len(matching.ranking_build(vacancy))
    matching.profile_changes_prune()
    return ranked
