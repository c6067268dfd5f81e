"""The single most useful next action on the job-seeker's dashboard, never nothing.

The way to a job is a loop: complete the profile → apply where the fit is good → practise the
selection tests → enrol in a training → attend it. The dashboard shows the first of these that
has something to do, in that order; when none has, it points to practising (always possible).
The fit and the plan are the engine's own: the best good fit of the matches page (target roles
first) and the next step of the training path toward the first target role.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from candidates.matches.selectors import ranked_for_person
from college.guidance import paths
from college.models import Enrolment
from college.reference.fit import fit_of, is_good_fit
from employers.models import Application, Vacancy

PROFILE, APPLY, PRACTISE, ENROL, ATTEND = "profile", "apply", "practise", "enrol", "attend"


@dataclass(frozen=True)
class NextAction:
    kind: str  # one of PROFILE, APPLY, PRACTISE, ENROL, ATTEND
    hint: str
    label: str
    url: str
    fit: object = None  # a college.reference.fit.Fit when the action is about a vacancy


def _best_good_fit(profile):
    """(vacancy, score) of the best good fit not applied to yet, target roles first."""
    ranked = [(pk, score) for pk, score, _is_target in ranked_for_person(profile)]
    good = [(pk, score) for pk, score in ranked if is_good_fit(score)]
    if not good:
        return None
    applied = set(
        Application.objects.filter(
            profile=profile, vacancy_id__in=[pk for pk, _score in good]
        ).values_list("vacancy_id", flat=True)
    )
    for pk, score in good:
        if pk not in applied:
            return Vacancy.objects.select_related("employer").get(pk=pk), score
    return None


def _open_enrolment(user):
    """The person's enrolment in a group that has not ended yet, soonest first."""
    return (
        Enrolment.objects.filter(
            candidate=user,
            status=Enrolment.Status.ENROLLED,
            result=Enrolment.Result.PENDING,
            cohort__ends_on__gte=timezone.localdate(),
        )
        .select_related("cohort__module")
        .order_by("cohort__starts_on", "pk")
        .first()
    )


def next_action_for(*, profile, completeness):
    """The one action the dashboard puts first (see the module docstring)."""
    step = completeness["next_step"]
    if step is not None:
        return NextAction(PROFILE, str(step["hint"]), str(step["label"]), step["url"])
    best = _best_good_fit(profile)
    if best is not None:
        vacancy, score = best
        fit = fit_of(score)
        return NextAction(
            APPLY,
            _("“%(title)s” at %(employer)s fits you: %(words)s (%(score)s/100).")
            % {
                "title": vacancy.title,
                "employer": vacancy.employer.name,
                "words": fit.words,
                "score": score,
            },
            _("Apply"),
            reverse("employers:apply", args=[vacancy.pk]),
            fit=fit,
        )
    roles = paths.target_roles_of(profile)
    plan = paths.plan_steps(profile=profile, role=roles[0]) if roles else []
    todo = [item for item in plan if item.status == paths.TODO]
    test = next((item for item in todo if item.kind == "test"), None)
    if test is not None:
        return NextAction(
            PRACTISE,
            _("Practise “%(test)s”: passing it verifies your skills and raises your fit.")
            % {"test": test.title},
            _("Practise"),
            test.url,
        )
    module = next((item for item in todo if item.kind == "module"), None)
    if module is not None:
        return NextAction(
            ENROL,
            _("The next step of your training path: “%(module)s” (%(hours)s h).")
            % {"module": module.title, "hours": module.hours},
            _("Enrol"),
            module.url,
        )
    enrolment = _open_enrolment(profile.user)
    if enrolment is not None:
        cohort = enrolment.cohort
        return NextAction(
            ATTEND,
            _("Your group “%(module)s” starts on %(date)s at %(place)s: be there.")
            % {
                "module": cohort.module.title,
                "date": date_format(cohort.starts_on, "DATE_FORMAT"),
                "place": cohort.place,
            },
            _("My groups and sessions"),
            reverse("my_training"),
        )
    return NextAction(
        PRACTISE,
        _("Keep your skills sharp: a practice test shows where you stand for the selections."),
        _("Practise"),
        reverse("assessments:battery_list"),
    )
