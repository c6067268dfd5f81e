"""Kept vacancy rankings: a shortlist read from them is always what computing it gives."""

import random

import pytest

from candidates.models import CandidateLanguage, CandidateSkill, ProfileChange
from candidates.services import candidate_shortlist_consent_set
from college import matching
from college.matching import rankings
from college.models import Commune, Language, Skill
from employers.models import Application, RankedCandidate, VacancyRanking, VacancySkill
from tests import factories
from tests.college.matching.test_matching import new_profile, random_world

pytestmark = pytest.mark.django_db


def agree(vacancy, limit=50):
    kept = matching.shortlist(vacancy=vacancy, limit=limit)
    assert kept == matching.computed_shortlist(vacancy=vacancy, limit=limit)
    return kept


@pytest.fixture
def world(item_bank, settings):
    settings.LANGUAGE_CODE = "en"
    rng = random.Random(7)
    skills = list(Skill.objects.order_by("pk")[:25])
    profiles, vacancies = random_world(rng, candidates=60, vacancies=4, skills=skills)
    return rng, skills, profiles, vacancies


def test_the_first_shortlist_builds_the_ranking_and_later_ones_read_it(world, monkeypatch):
    _rng, _skills, _profiles, vacancies = world
    vacancy = vacancies[0]
    monkeypatch.setattr(rankings, "RANKING_SIZE", 20)
    monkeypatch.setattr(rankings, "RANKING_SETTLE_SECONDS", 0)  # every change read is settled
    first = agree(vacancy, limit=10)
    ranking = VacancyRanking.objects.get(vacancy=vacancy)
    twentieth = matching.computed_shortlist(vacancy=vacancy, limit=20)[-1][1]
    assert ranking.threshold == twentieth + 1
    kept = list(RankedCandidate.objects.filter(ranking=ranking).values_list("score", flat=True))
    assert kept and min(kept) >= ranking.threshold
    computing = []
    monkeypatch.setattr(
        rankings, "computed_shortlist", lambda **kwargs: computing.append(kwargs) or []
    )
    assert matching.shortlist(vacancy=vacancy, limit=10) == first  # read, not computed
    assert computing == []


def test_every_kind_of_change_is_seen_by_the_next_shortlist(world, monkeypatch):
    """Random changes of every kind, each followed by a shortlist that must equal a fresh one."""
    rng, skills, profiles, vacancies = world
    monkeypatch.setattr(rankings, "RANKING_SIZE", 15)
    languages = list(Language.objects.filter(code__in=["fr", "nl"]))
    communes = list(Commune.objects.all())
    for vacancy in vacancies:
        agree(vacancy, limit=10)

    def change_skill():
        row = CandidateSkill.objects.filter(profile__in=profiles).order_by("?").first()
        row.level = rng.randint(1, 4)
        row.evidence = rng.choice(list(matching.EVIDENCE_TENTHS))
        row.save()

    def add_skill():
        profile = rng.choice(profiles)
        skill = rng.choice(skills)
        CandidateSkill.objects.update_or_create(
            profile=profile, skill=skill, defaults={"level": 4, "evidence": "training_certified"}
        )

    def remove_skill():
        CandidateSkill.objects.filter(profile__in=profiles).order_by("?").first().delete()

    def change_language():
        CandidateLanguage.objects.update_or_create(
            profile=rng.choice(profiles), language=rng.choice(languages), defaults={"cefr": "C2"}
        )

    def move_home():
        profile = rng.choice(profiles)
        profile.commune = rng.choice(communes)
        profile.max_travel_minutes = 90
        profile.save()

    def leave_shortlists():
        profile = rng.choice(profiles)
        candidate_shortlist_consent_set(profile=profile, given=False)

    def deactivate():
        user = rng.choice(profiles).user
        user.is_active = False
        user.save()

    def apply_while_hidden():
        profile = rng.choice(profiles)
        candidate_shortlist_consent_set(profile=profile, given=False)
        factories.ApplicationFactory(vacancy=rng.choice(vacancies), profile=profile)

    def withdraw():
        application = Application.objects.order_by("?").first()
        if application:
            application.stage = Application.Stage.NOT_RETAINED
            application.reason = Application.Reason.WITHDRAWN
            application.save()

    def newcomer():
        star = new_profile(is_visible_in_shortlists=True, commune=rng.choice(communes))
        for skill in skills:
            factories.CandidateSkillFactory(
                profile=star, skill=skill, level=4, evidence="training_certified"
            )
        profiles.append(star)

    def change_requirements():
        requirement = VacancySkill.objects.filter(vacancy__in=vacancies).order_by("?").first()
        requirement.min_level = rng.randint(1, 4)
        requirement.save()

    def change_vacancy():
        vacancy = rng.choice(vacancies)
        vacancy.nights = not vacancy.nights
        vacancy.save()

    changes = [
        change_skill,
        add_skill,
        remove_skill,
        change_language,
        move_home,
        leave_shortlists,
        deactivate,
        apply_while_hidden,
        withdraw,
        newcomer,
        change_requirements,
        change_vacancy,
    ]
    for step in range(40):
        changes[step % len(changes)]()
        for vacancy in vacancies:
            agree(vacancy, limit=10)


def test_a_ranking_left_with_too_few_is_built_again(world, monkeypatch):
    _rng, _skills, profiles, vacancies = world
    vacancy = vacancies[1]
    monkeypatch.setattr(rankings, "RANKING_SIZE", 12)
    best = agree(vacancy, limit=10)
    ranking = VacancyRanking.objects.get(vacancy=vacancy)
    for profile_id, _score in best[:5]:  # the best leave the shortlists
        profile = next(item for item in profiles if item.pk == profile_id)
        candidate_shortlist_consent_set(profile=profile, given=False)
    agree(vacancy, limit=10)
    assert VacancyRanking.objects.get(vacancy=vacancy).threshold <= ranking.threshold


def test_too_many_changes_at_once_build_the_ranking_again(world, monkeypatch):
    _rng, _skills, profiles, vacancies = world
    vacancy = vacancies[2]
    agree(vacancy)
    monkeypatch.setattr(rankings, "RANKING_REFRESH_LIMIT", 3)
    for profile in profiles[:5]:
        profile.max_travel_minutes = 15
        profile.save()
    rebuilt = []
    real = rankings._ranking_build
    monkeypatch.setattr(
        rankings, "_ranking_build", lambda *a, **k: rebuilt.append(1) or real(*a, **k)
    )
    agree(vacancy)
    assert rebuilt == [1]


def test_settled_changes_are_pruned_once_every_ranking_has_read_them(world, monkeypatch):
    _rng, _skills, profiles, vacancies = world
    monkeypatch.setattr(rankings, "RANKING_SETTLE_SECONDS", 0)
    for vacancy in vacancies:
        agree(vacancy)
    profiles[0].shifts = not profiles[0].shifts
    profiles[0].save()
    for vacancy in vacancies[:-1]:
        agree(vacancy)
    # The last ranking has not read the newest change yet: it stays.
    newest = ProfileChange.objects.order_by("-id").first()
    matching.profile_changes_prune()
    assert ProfileChange.objects.filter(pk=newest.pk).exists()
    agree(vacancies[-1])
    matching.profile_changes_prune()
    assert not ProfileChange.objects.filter(pk=newest.pk).exists()


def test_erasing_a_job_seeker_removes_them_from_kept_rankings(world):
    _rng, _skills, _profiles, vacancies = world
    vacancy = vacancies[0]
    best_id = agree(vacancy)[0][0]
    from candidates.models import CandidateProfile
    from candidates.services import candidate_erase

    candidate_erase(user=CandidateProfile.objects.get(pk=best_id).user)
    assert best_id not in {profile_id for profile_id, _ in agree(vacancy)}


def test_a_read_with_nothing_new_since_the_last_rescoring_takes_two_queries_and_no_lock(
    world, django_capture_on_commit_callbacks, django_assert_num_queries
):
    """Reads after a re-scoring skip the lock while no change follows it; a change that commits
    late, with an id below the newest one read, is still re-scored at the next read."""
    _rng, _skills, profiles, vacancies = world
    vacancy = vacancies[0]
    best = agree(vacancy, limit=10)
    first, late = (next(p for p in profiles if p.pk == pk) for pk, _score in best[:2])
    candidate_shortlist_consent_set(profile=late, given=False)
    candidate_shortlist_consent_set(profile=first, given=False)
    # The late job-seeker's change is not committed yet when the next read re-scores.
    late_changes = list(ProfileChange.objects.filter(profile=late))
    assert late_changes and max(change.pk for change in late_changes) < max(
        ProfileChange.objects.values_list("pk", flat=True)
    )
    ProfileChange.objects.filter(profile=late).delete()
    with django_capture_on_commit_callbacks(execute=True):
        rescored = matching.shortlist(vacancy=vacancy, limit=10)
    assert first.pk not in {profile_id for profile_id, _score in rescored}
    with django_assert_num_queries(2):
        assert matching.shortlist(vacancy=vacancy, limit=10) == rescored
    ProfileChange.objects.bulk_create(late_changes)  # ... and commits now
    assert late.pk not in {profile_id for profile_id, _score in agree(vacancy, limit=10)}
