"""Properties of the scoring model, checked with hypothesis on in-memory data (no database)."""

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from college import matching
from college.matching import (
    Candidate,
    HeldDiploma,
    HeldSkill,
    LanguageRequirement,
    SkillRequirement,
    Target,
    compute_eligibility,
    compute_score,
)
from college.matching.score import EDUCATION_RANK, EVIDENCE_STRENGTH

SKILL_IDS = st.integers(min_value=1, max_value=12)
LANGUAGE_IDS = st.integers(min_value=1, max_value=4)
EVIDENCES = st.sampled_from(list(matching.EVIDENCE_TENTHS))
IMPORTANCES = st.sampled_from(list(matching.IMPORTANCE_WEIGHTS))
LEVELS = st.integers(min_value=1, max_value=4)
CEFRS = st.sampled_from(["A1", "A2", "B1", "B2", "C1", "C2"])
CERTIFICATES = st.sampled_from(["", "art8", "art9_1"])
COMMUNES = st.one_of(st.none(), st.integers(min_value=1, max_value=6))
TRAVEL = st.one_of(st.none(), st.sampled_from([15, 30, 45, 60, 90]))


@st.composite
def targets(draw):
    skill_ids = draw(st.lists(SKILL_IDS, unique=True, max_size=8))
    taught = set(draw(st.sets(st.sampled_from(skill_ids)))) if skill_ids else set()
    language_ids = draw(st.lists(LANGUAGE_IDS, unique=True, max_size=3))
    commune = draw(COMMUNES)
    return Target(
        skills=tuple(
            SkillRequirement(skill_id, draw(IMPORTANCES), draw(LEVELS))
            for skill_id in skill_ids
            if skill_id not in taught
        ),
        taught=tuple(
            SkillRequirement(skill_id, draw(IMPORTANCES), draw(LEVELS))
            for skill_id in skill_ids
            if skill_id in taught
        ),
        languages=tuple(
            LanguageRequirement(
                language_id,
                draw(CEFRS),
                certificate=draw(CERTIFICATES),
                is_alternative=draw(st.booleans()),
            )
            for language_id in language_ids
        ),
        shifts=draw(st.booleans()),
        nights=draw(st.booleans()),
        weekends=draw(st.booleans()),
        commune_id=commune,
        zone_commune_ids=frozenset({commune, (commune or 0) + 1}) if commune else frozenset(),
        min_age=draw(st.one_of(st.none(), st.sampled_from([17, 18, 21]))),
        nationality=draw(st.sampled_from(["any", "eea", "belgian"])),
        driving_licence=draw(st.sampled_from(["", "B"])),
    )


@st.composite
def candidates(draw):
    skills = draw(st.dictionaries(SKILL_IDS, st.builds(HeldSkill, LEVELS, EVIDENCES), max_size=10))
    languages = draw(st.dictionaries(LANGUAGE_IDS, CEFRS, max_size=3))
    certificates = draw(
        st.frozensets(st.tuples(LANGUAGE_IDS, st.sampled_from(["art8", "art9_1"])), max_size=2)
    )
    outside = draw(st.booleans())
    return Candidate(
        skills=skills,
        languages=languages,
        certificates=certificates,
        commune_id=None if outside else draw(COMMUNES),
        lives_outside_brussels=outside,
        max_travel_minutes=draw(TRAVEL),
        shifts=draw(st.booleans()),
        nights=draw(st.booleans()),
        weekends=draw(st.booleans()),
        birth_year=draw(st.one_of(st.none(), st.integers(min_value=1950, max_value=2015))),
        nationality=draw(st.sampled_from(["", "belgian", "eea", "other"])),
        driving_licences=tuple(draw(st.lists(st.sampled_from(["B", "BE", "C"]), max_size=2))),
    )


DIPLOMAS = st.lists(
    st.builds(
        HeldDiploma,
        st.sampled_from(list(EDUCATION_RANK)),
        st.sampled_from(["belgian", "recognised", "pending", "not_recognised"]),
    ),
    max_size=3,
)


@settings(max_examples=150, deadline=None, database=None)
@given(candidate=candidates(), target=targets(), data=st.data())
def test_score_is_between_0_and_100(candidate, target, data):
    assert 0 <= compute_score(candidate, target) <= 100


@settings(max_examples=150, deadline=None, database=None)
@given(candidate=candidates(), target=targets())
def test_skills_taught_after_hiring_never_change_the_score_nor_the_gaps(candidate, target):
    entry_only = replace(target, taught=())
    assert compute_score(candidate, target) == compute_score(candidate, entry_only)
    match = matching.build_match(candidate, target)
    taught = {item.skill_id for item in target.taught}
    assert not taught & {line.skill_id for line in match.skills}
    assert {line.skill_id for line in match.taught} == taught


@settings(max_examples=150, deadline=None, database=None)
@given(candidate=candidates(), target=targets(), data=st.data())
def test_adding_a_required_skill_at_the_required_level_never_lowers_the_score(
    candidate, target, data
):
    missing = [item for item in target.skills if item.skill_id not in candidate.skills]
    if not missing:
        return
    requirement = data.draw(st.sampled_from(missing))
    evidence = data.draw(EVIDENCES)
    skills = dict(candidate.skills)
    skills[requirement.skill_id] = HeldSkill(requirement.level, evidence)
    after = replace(candidate, skills=skills)
    assert compute_score(after, target) >= compute_score(candidate, target)


@settings(max_examples=150, deadline=None, database=None)
@given(candidate=candidates(), target=targets(), data=st.data())
def test_stronger_evidence_or_level_never_lowers_the_score(candidate, target, data):
    if not candidate.skills:
        return
    skill_id = data.draw(st.sampled_from(sorted(candidate.skills)))
    held = candidate.skills[skill_id]
    stronger = data.draw(
        st.sampled_from(
            [
                name
                for name, strength in EVIDENCE_STRENGTH.items()
                if strength >= EVIDENCE_STRENGTH[held.evidence]
            ]
        )
    )
    level = data.draw(st.integers(min_value=held.level, max_value=4))
    skills = dict(candidate.skills)
    skills[skill_id] = HeldSkill(level, stronger)
    assert compute_score(replace(candidate, skills=skills), target) >= compute_score(
        candidate, target
    )


@settings(max_examples=150, deadline=None, database=None)
@given(candidate=candidates(), target=targets(), diplomas=DIPLOMAS, data=st.data())
def test_a_diploma_changes_nothing_where_the_law_does_not_require_one(
    candidate, target, diplomas, data
):
    target = replace(
        target,
        diploma_required=False,
        required_diploma=data.draw(st.sampled_from(["none", "upper_secondary", "bachelor"])),
        alternative_route=data.draw(st.sampled_from(["", "Admission test"])),
    )
    with_diplomas = replace(candidate, diplomas=tuple(diplomas), has_no_diploma=not diplomas)
    assert compute_score(with_diplomas, target) == compute_score(candidate, target)
    assert compute_eligibility(with_diplomas, target) == compute_eligibility(candidate, target)


@settings(max_examples=150, deadline=None, database=None)
@given(candidate=candidates(), target=targets(), diplomas=DIPLOMAS)
def test_a_diploma_never_changes_the_score_even_where_required(candidate, target, diplomas):
    target = replace(
        target,
        diploma_required=True,
        required_diploma="upper_secondary",
        alternative_route="Admission test",
    )
    with_diplomas = replace(candidate, diplomas=tuple(diplomas))
    assert compute_score(with_diplomas, target) == compute_score(candidate, target)
    # With the alternative route, a missing diploma never makes anyone `not_yet`.
    assert (
        compute_eligibility(with_diplomas, target).missing
        == compute_eligibility(candidate, target).missing
    )


@settings(max_examples=150, deadline=None, database=None)
@given(candidate=candidates(), target=targets(), data=st.data())
def test_adding_a_requirement_fully_met_never_lowers_the_score(candidate, target, data):
    new_id = 99
    requirement = SkillRequirement(new_id, data.draw(IMPORTANCES), data.draw(LEVELS))
    skills = dict(candidate.skills)
    skills[new_id] = HeldSkill(data.draw(st.integers(requirement.level, 4)), "training_certified")
    candidate = replace(candidate, skills=skills)
    wider = replace(target, skills=(*target.skills, requirement))
    assert compute_score(candidate, wider) >= compute_score(candidate, target)


@given(candidates(), targets())
@settings(max_examples=300, deadline=None)
def test_shortlist_pruning_bound_is_exact(candidate, target):
    """Score s is reachable with skill credit a iff 14 a ≥ 12 W (2 s − 61) (other parts best)."""
    parts = matching.compute_parts(candidate, target)
    weight_total = parts.weight_total
    if not weight_total:
        return
    bound = lambda s: 14 * parts.a >= 12 * weight_total * (2 * s - 61)  # noqa: E731
    assert bound(parts.score)
    best = matching.combine(parts.a, weight_total, 60 * parts.n, parts.n, parts.d, parts.d, 10)
    assert bound(best) and not bound(best + 1)
