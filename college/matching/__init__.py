"""The matching engine: one scoring model for a job-seeker against a vacancy or a role.

The package, lowest first (each module imports only the ones listed before it, and the apps'
models; tests/college/matching/test_matching_layers.py holds it to that):

* :mod:`~college.matching.score`: the model, its formula and its eligibility, on in-memory
  data (:class:`Candidate`, :class:`Target`);
* :mod:`~college.matching.explain`: the explanation, one line per requirement;
* :mod:`~college.matching.steps`: next steps (tests, modules) and what each one gains;
* :mod:`~college.matching.load`: the candidates and targets read from the database;
* :mod:`~college.matching.match`: the match put together (:func:`evaluate`, :func:`what_if`…);
* :mod:`~college.matching.pool`: who a vacancy's blind shortlist ranks;
* :mod:`~college.matching.sql`: the same score in SQL (:func:`matches_for`,
  :func:`computed_shortlist`);
* :mod:`~college.matching.rankings`: the shortlists kept between requests (:func:`shortlist`).

:mod:`~college.matching.signals` keeps the rankings exact; :mod:`~college.matching.serializers`
is the one JSON shape of a match for every API.

Speed
-----

:func:`evaluate` runs a fixed handful of queries whatever the profile's size.
:func:`matches_for` computes the score in one SQL statement (plus a few queries that read the
fixed side), with the same constants, so ranking 2,000 vacancies never loads them into Python.
:func:`shortlist` reads the vacancy's kept ranking (see :mod:`college.matching.rankings`):
scoring a whole pool of 100,000 reads some 350,000 candidate-skill rows, so that is done once
per vacancy version (:func:`computed_shortlist`, one statement) and only the job-seekers who
changed are re-scored.
"""

from college.matching.explain import (
    MATCHED,
    MISSING,
    PARTIAL,
    TAUGHT,
    LanguageLine,
    SkillLine,
    explain_languages,
    explain_skills,
    explain_taught,
    skill_state,
)
from college.matching.load import (
    load_candidate,
    load_candidates,
    load_role_target,
    load_vacancy_target,
    load_vacancy_targets,
)
from college.matching.match import Match, build_match, evaluate, evaluate_role, what_if
from college.matching.pool import default_pool, default_pool_count, pool_members_left
from college.matching.rankings import profile_changes_prune, ranking_build, shortlist
from college.matching.score import (
    ELIGIBLE,
    ELIGIBLE_VIA_ALTERNATIVE,
    EVIDENCE_TENTHS,
    IMPORTANCE_WEIGHTS,
    NOT_YET,
    Candidate,
    Eligibility,
    HeldDiploma,
    HeldSkill,
    LanguageRequirement,
    Parts,
    SkillRequirement,
    Target,
    combine,
    compute_eligibility,
    compute_parts,
    compute_score,
    score_fraction,
)
from college.matching.sql import computed_shortlist, matches_for
from college.matching.steps import (
    NEXT_STEP_PROVIDERS,
    NextStep,
    Step,
    apply_step,
    battery_steps,
    collect_steps,
    collect_steps_for,
    module_steps,
    rank_next_steps,
    register_next_step_provider,
)

__all__ = [
    "ELIGIBLE",
    "ELIGIBLE_VIA_ALTERNATIVE",
    "EVIDENCE_TENTHS",
    "IMPORTANCE_WEIGHTS",
    "MATCHED",
    "MISSING",
    "NEXT_STEP_PROVIDERS",
    "NOT_YET",
    "PARTIAL",
    "TAUGHT",
    "Candidate",
    "Eligibility",
    "HeldDiploma",
    "HeldSkill",
    "LanguageLine",
    "LanguageRequirement",
    "Match",
    "NextStep",
    "Parts",
    "SkillLine",
    "SkillRequirement",
    "Step",
    "Target",
    "apply_step",
    "battery_steps",
    "build_match",
    "collect_steps",
    "collect_steps_for",
    "combine",
    "compute_eligibility",
    "compute_parts",
    "compute_score",
    "computed_shortlist",
    "default_pool",
    "default_pool_count",
    "evaluate",
    "evaluate_role",
    "explain_languages",
    "explain_skills",
    "explain_taught",
    "load_candidate",
    "load_candidates",
    "load_role_target",
    "load_vacancy_target",
    "load_vacancy_targets",
    "matches_for",
    "module_steps",
    "pool_members_left",
    "profile_changes_prune",
    "rank_next_steps",
    "ranking_build",
    "register_next_step_provider",
    "score_fraction",
    "shortlist",
    "skill_state",
    "what_if",
]
