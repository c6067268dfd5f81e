"""A counsellor's caseload: who they guide, where each person stands, and who needs them now.

Selectors read; the few writes (team notes, the action plan) are services at the end.

Flags, each with a translated detail:

* ``stalled`` — no activity for :data:`STALLED_DAYS` days or more. Activity is the latest of
  the last login, a profile or skill change, an attempt started or finished, an enrolment,
  an application or one of its stage changes. Counted in calendar days up to ``today``.
* ``repeated_failure`` — the same section of the same battery failed in two or more
  finished attempts. A section fails below the battery's pass mark per section, or, for a
  battery without one, below its overall pass mark; a battery without any pass mark has no
  failures (it is practice only).
* ``deadline_near`` — within :data:`DEADLINE_DAYS` days (today included): a cohort the
  person is enrolled in starts; enrolment closes for a cohort of a module of their training
  path they are not enrolled in (nor waiting for); a published vacancy of one of their target
  roles closes and they have not applied.
* ``session_missed`` — marked absent (not excused) at a session of a live enrolment within
  the last :data:`MISSED_DAYS` days.
* ``invitation_open`` — an employer invited the person to apply to a vacancy that is still
  published and open, and they have not applied yet (the employer awaits a reply).
* ``consent_missing`` — no current consent to blind shortlists (the profile is not visible
  in shortlists: the latest consent for that purpose was a withdrawal, or there is none).

Each flag has a severity, so that what needs doing now is not drowned by what is only worth
knowing: ``action`` (something to do now: a deadline, an invitation awaiting a reply, a
repeated failure), ``watch`` (inactivity) or ``info`` (no consent to shortlists). People are
ordered by their most urgent flag, then by name; only ``action`` and ``watch`` flags count as
needing the counsellor's attention, ``info`` flags are shown muted.

Search (``q``) matches a part of the person's name, whatever the case and the accents.

Every selector here runs a constant number of queries however many people it covers: rows
are read in bulk and joined in Python.
"""

import datetime
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, DateTimeField, Exists, F, Max, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from assessments.models import Attempt, Section
from candidates.models import CandidateProfile, CandidateSkill, Consent
from candidates.selectors import candidate_profile_detail
from college import matching
from college.core.pdf import html_to_pdf
from college.core.typography import date_format
from college.guidance.paths import DONE, step_status, steps_with_status
from college.guidance.stages import Stage, annotate_stage
from college.models import (
    ActionItem,
    Attendance,
    Cohort,
    CounsellorNote,
    Enrolment,
    Guidance,
    PathStep,
    User,
)
from employers.models import Application, ApplicationEvent, ShortlistInvitation, Vacancy
from employers.shortlists.selectors import ELIGIBILITY_LABELS

STALLED_DAYS = 30
DEADLINE_DAYS = 7
MISSED_DAYS = 14


class FlagCode:
    STALLED = "stalled"
    REPEATED_FAILURE = "repeated_failure"
    DEADLINE_NEAR = "deadline_near"
    INVITATION_OPEN = "invitation_open"
    SESSION_MISSED = "session_missed"
    CONSENT_MISSING = "consent_missing"


class Severity:
    ACTION = "action"
    WATCH = "watch"
    INFO = "info"


SEVERITY_RANK = {Severity.ACTION: 0, Severity.WATCH: 1, Severity.INFO: 2}
SEVERITY_LABELS = {
    Severity.ACTION: gettext_lazy("Action needed"),
    Severity.WATCH: gettext_lazy("To watch"),
    Severity.INFO: gettext_lazy("For information"),
}

FLAG_LABELS = {
    FlagCode.DEADLINE_NEAR: gettext_lazy("Deadline near"),
    FlagCode.INVITATION_OPEN: gettext_lazy("Invitation awaiting a reply"),
    FlagCode.SESSION_MISSED: gettext_lazy("Session missed"),
    FlagCode.REPEATED_FAILURE: gettext_lazy("Repeated failure"),
    FlagCode.STALLED: gettext_lazy("No recent activity"),
    FlagCode.CONSENT_MISSING: gettext_lazy("No consent to shortlists"),
}
FLAG_SEVERITY = {
    FlagCode.DEADLINE_NEAR: Severity.ACTION,
    FlagCode.INVITATION_OPEN: Severity.ACTION,
    FlagCode.SESSION_MISSED: Severity.ACTION,
    FlagCode.REPEATED_FAILURE: Severity.ACTION,
    FlagCode.STALLED: Severity.WATCH,
    FlagCode.CONSENT_MISSING: Severity.INFO,
}
FLAG_CODES = tuple(FLAG_LABELS)  # most urgent first


def flag_choices():
    return [(code, FLAG_LABELS[code]) for code in FLAG_CODES]


@dataclass(frozen=True)
class Flag:
    code: str
    detail: str

    @property
    def label(self):
        return FLAG_LABELS[self.code]

    @property
    def severity(self):
        return FLAG_SEVERITY[self.code]

    @property
    def severity_label(self):
        return SEVERITY_LABELS[self.severity]

    @property
    def is_info(self):
        return self.severity == Severity.INFO


@dataclass
class CaseloadRow:
    profile_id: int
    user_id: int
    name: str
    email: str
    stage: str
    target_roles: list
    readiness: int | None
    eligibility: str | None
    last_activity: datetime.datetime | None
    flags: list = field(default_factory=list)
    profile: object = field(default=None, repr=False, compare=False)

    @property
    def target_role(self):
        return self.target_roles[0] if self.target_roles else None

    @property
    def stage_label(self):
        return Stage(self.stage).label

    @property
    def eligibility_label(self):
        return ELIGIBILITY_LABELS.get(self.eligibility, "") if self.eligibility else ""

    @property
    def readiness_bar_id(self):
        return f"readiness-{self.profile_id}"

    @property
    def is_flagged(self):
        return bool(self.flags)

    @property
    def needs_attention(self):
        """A flag that asks for something (action or watch), not only information."""
        return any(not flag.is_info for flag in self.flags)

    @property
    def urgency(self):
        """The rank of the most urgent flag: 0 action, 1 watch, 2 info, 3 none."""
        return min((SEVERITY_RANK[flag.severity] for flag in self.flags), default=3)

    @property
    def flag_codes(self):
        return [flag.code for flag in self.flags]


def search_key(text):
    """`text` without accents and case, for a search that forgives both ("Élodie" ~ "elodie")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def short_date(value):
    """A day as a person reads it in a sentence ("3 Dec"), in the active language."""
    return date_format(value, "j M")


# Who is in the caseload ---------------------------------------------------------------------


def caseload_profiles(counsellor):
    """The profiles of the people `counsellor` guides now (an active Guidance)."""
    guided = Guidance.objects.guiding(counsellor, OuterRef("user"))
    return CandidateProfile.objects.filter(Exists(guided))


def _activity_annotations():
    def latest(queryset, group, value):
        return Subquery(
            queryset.order_by().values(group).annotate(latest=Max(value)).values("latest")[:1],
            output_field=DateTimeField(),
        )

    attempts = Attempt.objects.filter(user=OuterRef("user_id"))
    enrolments = Enrolment.objects.filter(candidate=OuterRef("user_id"))
    shortlist_consents = Consent.objects.filter(
        profile=OuterRef("pk"), purpose=Consent.Purpose.SHORTLISTS
    ).order_by("-recorded_at", "-pk")
    return {
        "activity_skill": latest(
            CandidateSkill.objects.filter(profile=OuterRef("pk")), "profile", "updated_at"
        ),
        "activity_attempt_started": latest(attempts, "user", "started_at"),
        "activity_attempt_finished": latest(attempts, "user", "finished_at"),
        "activity_enrolment": latest(enrolments, "candidate", "created_at"),
        "activity_application": latest(
            Application.objects.filter(profile=OuterRef("pk")), "profile", "created_at"
        ),
        "activity_application_event": latest(
            ApplicationEvent.objects.filter(application__profile=OuterRef("pk")),
            "application__profile",
            "changed_at",
        ),
        "shortlist_consent_at": Subquery(shortlist_consents.values("recorded_at")[:1]),
    }


ACTIVITY_FIELDS = (
    "activity_skill",
    "activity_attempt_started",
    "activity_attempt_finished",
    "activity_enrolment",
    "activity_application",
    "activity_application_event",
)


def last_activity_of(profile):
    """The latest activity of an annotated profile (see the module docstring)."""
    moments = [profile.user.last_login, profile.updated_at]
    moments += [getattr(profile, name) for name in ACTIVITY_FIELDS]
    moments = [moment for moment in moments if moment is not None]
    return max(moments) if moments else None


# The rows -----------------------------------------------------------------------------------


def caseload_rows(counsellor, *, today=None, stage="", flag="", q="", with_readiness=True):
    """The people `counsellor` guides, each a :class:`CaseloadRow`: the most urgent flag first
    (action, watch, info, none), then by name.

    `stage` (a Stage value) and `flag` (a flag code) filter the rows; unknown values are
    ignored. `q` keeps the people whose name contains it, ignoring case and accents. Without
    `with_readiness`, readiness and eligibility are left for :func:`fill_readiness` (a page
    computes them for the rows it shows only). A
    constant number of queries whatever the caseload's size (plus two per distinct
    first target role, bounded by the number of roles).
    """
    today = today or timezone.localdate()
    profiles = annotate_stage(caseload_profiles(counsellor)).select_related("user")
    profiles = profiles.annotate(**_activity_annotations())
    if stage in Stage.values:
        profiles = profiles.filter(stage=stage)
    profiles = list(profiles)
    needle = search_key(q.strip()) if q else ""
    if needle:
        profiles = [p for p in profiles if needle in search_key(p.user.full_name)]
    if not profiles:
        return []
    roles_by_profile = _target_roles(profiles)
    readiness = _readiness(profiles, roles_by_profile, today) if with_readiness else {}
    flags = _flags(profiles, roles_by_profile, today)
    rows = []
    for profile in profiles:
        score, eligibility = readiness.get(profile.pk, (None, None))
        rows.append(
            CaseloadRow(
                profile_id=profile.pk,
                user_id=profile.user_id,
                name=profile.user.full_name,
                email=profile.user.email,
                stage=profile.stage,
                target_roles=roles_by_profile[profile.pk],
                readiness=score,
                eligibility=eligibility,
                last_activity=last_activity_of(profile),
                flags=flags[profile.pk],
                profile=profile,
            )
        )
    if flag in FLAG_CODES:
        rows = [row for row in rows if flag in row.flag_codes]
    rows.sort(key=lambda row: (row.urgency, search_key(row.name), row.profile_id))
    return rows


def fill_readiness(rows, *, today=None):
    """Sets readiness and eligibility on rows made without them; returns the rows."""
    today = today or timezone.localdate()
    rows = list(rows)
    profiles = [row.profile for row in rows]
    readiness = _readiness(profiles, {row.profile_id: row.target_roles for row in rows}, today)
    for row in rows:
        row.readiness, row.eligibility = readiness.get(row.profile_id, (None, None))
    return rows


def _target_roles(profiles):
    """{profile id: [Role]} in the order the person chose them: one query."""
    through = CandidateProfile.target_roles.through
    roles = {profile.pk: [] for profile in profiles}
    rows = (
        through.objects.filter(candidateprofile_id__in=list(roles))
        .select_related("role")
        .order_by("pk")
    )
    for row in rows:
        roles[row.candidateprofile_id].append(row.role)
    return roles


def _readiness(profiles, roles_by_profile, today):
    """{profile id: (score 0–100, eligibility status)} against each person's first target role."""
    first_roles = {pk: roles[0] for pk, roles in roles_by_profile.items() if roles}
    if not first_roles:
        return {}
    candidates = matching.load_candidates(
        [profile for profile in profiles if profile.pk in first_roles]
    )
    targets = {}
    for role in first_roles.values():
        if role.pk not in targets:
            targets[role.pk] = matching.load_role_target(role)
    result = {}
    for profile_id, role in first_roles.items():
        candidate, target = candidates[profile_id], targets[role.pk]
        result[profile_id] = (
            matching.compute_score(candidate, target),
            matching.compute_eligibility(candidate, target, today=today).status,
        )
    return result


def _flags(profiles, roles_by_profile, today):
    """{profile id: [Flag]} in the order of FLAG_CODES."""
    flags = {profile.pk: [] for profile in profiles}
    users = {profile.user_id: profile.pk for profile in profiles}
    failures = _repeated_failures(users)
    deadlines = _deadlines(profiles, roles_by_profile, today)
    invitations = _open_invitations(profiles, today)
    missed = _missed_sessions(users, today)
    for profile in profiles:
        found = flags[profile.pk]
        last = last_activity_of(profile)
        idle_days = (today - timezone.localdate(last)).days if last else None
        if idle_days is None or idle_days >= STALLED_DAYS:
            if last is None:
                detail = _("No activity recorded yet.")
            else:
                detail = ngettext(
                    "No activity for %(days)s day (last on %(date)s).",
                    "No activity for %(days)s days (last on %(date)s).",
                    idle_days,
                ) % {"days": idle_days, "date": short_date(timezone.localdate(last))}
            found.append(Flag(FlagCode.STALLED, detail))
        if failures.get(profile.pk):
            found.append(Flag(FlagCode.REPEATED_FAILURE, "; ".join(failures[profile.pk])))
        if deadlines.get(profile.pk):
            found.append(Flag(FlagCode.DEADLINE_NEAR, "; ".join(deadlines[profile.pk])))
        if invitations.get(profile.pk):
            found.append(Flag(FlagCode.INVITATION_OPEN, "; ".join(invitations[profile.pk])))
        if missed.get(profile.pk):
            found.append(Flag(FlagCode.SESSION_MISSED, "; ".join(missed[profile.pk])))
        if not profile.is_visible_in_shortlists:
            if profile.shortlist_consent_at is None:
                detail = _("Has not chosen whether employers may see their blind profile.")
            else:
                detail = _("Withdrew consent to blind shortlists on %(date)s.") % {
                    "date": short_date(timezone.localdate(profile.shortlist_consent_at))
                }
            found.append(Flag(FlagCode.CONSENT_MISSING, detail))
        found.sort(key=lambda flag: FLAG_CODES.index(flag.code))
    return flags


def _missed_sessions(users, today):
    """{profile id: [detail]} of unexcused absences within MISSED_DAYS days, in enrolments
    not cancelled: 1 query."""
    since = today - datetime.timedelta(days=MISSED_DAYS)
    absences = (
        Attendance.objects.filter(
            enrolment__candidate_id__in=list(users),
            status=Attendance.Status.ABSENT,
            session__starts_at__date__gte=since,
            session__starts_at__date__lte=today,
        )
        .exclude(enrolment__status=Enrolment.Status.CANCELLED)
        .select_related("session__cohort__module", "enrolment")
        .order_by("session__starts_at", "pk")
    )
    details = defaultdict(list)
    for absence in absences:
        details[users[absence.enrolment.candidate_id]].append(
            _("Absent from the session of “%(module)s” on %(date)s")
            % {
                "module": absence.session.cohort.module.title,
                "date": short_date(timezone.localdate(absence.session.starts_at)),
            }
        )
    return details


def _open_invitations(profiles, today):
    """{profile id: [detail]} of employers' invitations to apply still awaiting a reply: the
    vacancy is published and open, and the person has not applied to it. 1 query."""
    applied = Application.objects.filter(vacancy=OuterRef("vacancy"), profile=OuterRef("profile"))
    invitations = (
        ShortlistInvitation.objects.filter(
            profile_id__in=[profile.pk for profile in profiles],
            vacancy__status=Vacancy.Status.PUBLISHED,
            vacancy__closes_on__gte=today,
        )
        .exclude(Exists(applied))
        .select_related("vacancy__employer")
        .order_by("invited_at", "pk")
    )
    details = defaultdict(list)
    for invitation in invitations:
        details[invitation.profile_id].append(
            _("%(employer)s invited them to apply to “%(vacancy)s” on %(date)s")
            % {
                "employer": invitation.vacancy.employer.name,
                "vacancy": invitation.vacancy.title,
                "date": short_date(timezone.localdate(invitation.invited_at)),
            }
        )
    return details


def _section_failed(score, battery):
    mark = battery.section_pass_percent
    if mark is None:
        mark = battery.pass_percent
    return mark is not None and score is not None and score < mark


def _repeated_failures(users):
    """{profile id: [detail]} for sections failed in two or more finished attempts: 2 queries."""
    attempts = (
        Attempt.objects.filter(user_id__in=list(users), finished_at__isnull=False)
        .filter(
            Q(battery__section_pass_percent__isnull=False) | Q(battery__pass_percent__isnull=False)
        )
        .select_related("battery")
        .only(
            "user_id",
            "section_scores",
            "battery__id",
            "battery__title_fr",
            "battery__title_nl",
            "battery__title_en",
            "battery__pass_percent",
            "battery__section_pass_percent",
        )
    )
    counts = defaultdict(int)
    batteries = {}
    for attempt in attempts:
        batteries[attempt.battery_id] = attempt.battery
        for position, score in (attempt.section_scores or {}).items():
            if _section_failed(score, attempt.battery):
                counts[(attempt.user_id, attempt.battery_id, str(position))] += 1
    repeated = {key: count for key, count in counts.items() if count >= 2}
    if not repeated:
        return {}
    titles = {
        (section.battery_id, str(section.position)): section.title
        for section in Section.objects.filter(battery_id__in={key[1] for key in repeated})
    }
    details = defaultdict(list)
    for (user_id, battery_id, position), count in sorted(repeated.items()):
        details[users[user_id]].append(
            ngettext(
                "Failed section “%(section)s” of “%(battery)s” %(count)s time",
                "Failed section “%(section)s” of “%(battery)s” %(count)s times",
                count,
            )
            % {
                "section": titles.get((battery_id, position), position),
                "battery": batteries[battery_id].title,
                "count": count,
            }
        )
    return details


def _deadlines(profiles, roles_by_profile, today):
    """{profile id: [detail]} of the deadlines within DEADLINE_DAYS days: up to 5 queries."""
    horizon = today + datetime.timedelta(days=DEADLINE_DAYS)
    by_user = {profile.user_id: profile.pk for profile in profiles}
    details = defaultdict(list)
    # Live enrolments in cohorts not yet started: starts soon (enrolled), or already in.
    live = list(
        Enrolment.objects.filter(candidate_id__in=list(by_user), cohort__starts_on__gte=today)
        .exclude(status=Enrolment.Status.CANCELLED)
        .select_related("cohort__module")
    )
    in_cohort = {(enrolment.candidate_id, enrolment.cohort_id) for enrolment in live}
    for user_id, detail in _sessions_starting(live, horizon):
        details[by_user[user_id]].append(detail)
    for user_id, detail in _enrolments_closing(list(by_user), in_cohort, today, horizon):
        details[by_user[user_id]].append(detail)
    for profile_id, detail in _vacancies_closing(roles_by_profile, today, horizon):
        details[profile_id].append(detail)
    return details


def _sessions_starting(enrolments, horizon):
    """(user id, detail) for each of these enrolments whose session starts by `horizon`."""
    for enrolment in enrolments:
        cohort = enrolment.cohort
        if (
            enrolment.status == Enrolment.Status.ENROLLED
            and not cohort.is_cancelled
            and cohort.starts_on <= horizon
        ):
            yield (
                enrolment.candidate_id,
                _("The session of “%(module)s” starts on %(date)s")
                % {"module": cohort.module.title, "date": short_date(cohort.starts_on)},
            )


def _enrolments_closing(user_ids, in_cohort, today, horizon):
    """(user id, detail) for the modules of their training paths whose enrolment closes by
    `horizon`, in the sessions they are not in yet."""
    path_modules = defaultdict(set)
    steps = PathStep.objects.filter(
        path__candidate_id__in=user_ids, kind=PathStep.Kind.MODULE
    ).values_list("path__candidate_id", "module_id")
    for user_id, module_id in steps:
        path_modules[module_id].add(user_id)
    if not path_modules:
        return
    closing = Cohort.objects.filter(
        module_id__in=list(path_modules),
        is_cancelled=False,
        enrolment_closes_on__gte=today,
        enrolment_closes_on__lte=horizon,
    ).select_related("module")
    for cohort in closing:
        for user_id in sorted(path_modules[cohort.module_id]):
            if (user_id, cohort.pk) in in_cohort:
                continue
            yield (
                user_id,
                _(
                    "Enrolment for the session of “%(module)s” starting on %(start)s "
                    "closes on %(date)s"
                )
                % {
                    "module": cohort.module.title,
                    "start": short_date(cohort.starts_on),
                    "date": short_date(cohort.enrolment_closes_on),
                },
            )


def _vacancies_closing(roles_by_profile, today, horizon):
    """(profile id, detail) for the vacancies of their target roles closing by `horizon` that
    they have not applied to."""
    role_people = defaultdict(set)
    for profile_id, roles in roles_by_profile.items():
        for role in roles:
            role_people[role.pk].add(profile_id)
    if not role_people:
        return
    vacancies = list(
        Vacancy.objects.filter(
            role_id__in=list(role_people),
            status=Vacancy.Status.PUBLISHED,
            employer__is_verified=True,
            closes_on__gte=today,
            closes_on__lte=horizon,
        ).order_by("closes_on", "pk")
    )
    if not vacancies:
        return
    applied = set(
        Application.objects.filter(
            vacancy__in=vacancies, profile_id__in=list(roles_by_profile)
        ).values_list("profile_id", "vacancy_id")
    )
    for vacancy in vacancies:
        for profile_id in sorted(role_people[vacancy.role_id]):
            if (profile_id, vacancy.pk) in applied:
                continue
            yield (
                profile_id,
                _("Vacancy “%(vacancy)s” closes on %(date)s")
                % {"vacancy": vacancy.title, "date": short_date(vacancy.closes_on)},
            )


# One person: timeline, notes, action plan -----------------------------------------------------


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime.datetime
    kind: str  # profile, skill, attempt, enrolment, application, action
    title: str
    detail: str = ""


def timeline(profile, limit=50):
    """What happened to this person, newest first: at most `limit` events, 7 queries."""
    events = [
        *_profile_events(profile),
        *_skill_events(profile, limit),
        *_attempt_events(profile, limit),
        *_enrolment_events(profile, limit),
        *_application_events(profile, limit),
        *_action_events(profile, limit),
    ]
    events.sort(key=lambda event: event.at, reverse=True)
    return events[:limit]


def _profile_events(profile):
    yield TimelineEvent(profile.created_at, "profile", _("Profile created"))
    if profile.updated_at and profile.updated_at != profile.created_at:
        yield TimelineEvent(profile.updated_at, "profile", _("Profile updated"))


def _skill_events(profile, limit):
    skills = profile.skills.select_related("skill", "validated_by").order_by("-updated_at")[:limit]
    for item in skills:
        detail = _("Level %(level)s, %(evidence)s") % {
            "level": item.level,
            "evidence": item.get_evidence_display().lower(),
        }
        if item.evidence_note:
            who = item.validated_by.full_name if item.validated_by else ""
            detail += f" – {who}: {item.evidence_note}" if who else f" – {item.evidence_note}"
        yield TimelineEvent(
            item.updated_at,
            "skill",
            _("Skill “%(skill)s”") % {"skill": capfirst(item.skill.label)},
            detail,
        )


def _attempt_events(profile, limit):
    attempts = (
        Attempt.objects.filter(user_id=profile.user_id)
        .select_related("battery")
        .order_by("-started_at")[:limit]
    )
    for attempt in attempts:
        title = attempt.battery.title
        yield TimelineEvent(
            attempt.started_at, "attempt", _("Started the test “%(test)s”") % {"test": title}
        )
        if attempt.finished_at:
            yield TimelineEvent(
                attempt.finished_at,
                "attempt",
                _("Finished the test “%(test)s”") % {"test": title},
                attempt_result_text(attempt),
            )


def _enrolment_events(profile, limit):
    enrolments = (
        Enrolment.objects.filter(candidate_id=profile.user_id)
        .select_related("cohort__module")
        .order_by("-created_at")[:limit]
    )
    for enrolment in enrolments:
        names = {
            "module": enrolment.cohort.module.title,
            "date": short_date(enrolment.cohort.starts_on),
        }
        yield TimelineEvent(
            enrolment.created_at,
            "enrolment",
            _("Enrolment in “%(module)s” (session starting on %(date)s)") % names,
            enrolment.get_status_display(),
        )
        if enrolment.result and enrolment.result_recorded_at:
            yield TimelineEvent(
                enrolment.result_recorded_at,
                "enrolment",
                _("Result of “%(module)s” (session starting on %(date)s)") % names,
                enrolment_result_text(enrolment),
            )


def _application_events(profile, limit):
    """Each application sent, then each change of its stage."""
    applications = profile.applications.select_related("vacancy__employer").order_by("-created_at")[
        :limit
    ]
    for application in applications:
        yield TimelineEvent(
            application.created_at,
            "application",
            _("Applied to “%(vacancy)s”") % {"vacancy": application.vacancy.title},
            application.vacancy.employer.name,
        )
    stage_events = (
        ApplicationEvent.objects.filter(application__profile=profile)
        .select_related("application__vacancy__employer")
        .order_by("-changed_at", "-pk")[:limit]
    )
    for event in stage_events:
        yield TimelineEvent(
            event.changed_at,
            "application",
            _("Application to “%(vacancy)s”: %(stage)s")
            % {"vacancy": event.application.vacancy.title, "stage": event.get_stage_display()},
            event.get_reason_display() if event.reason else "",
        )


def _action_events(profile, limit):
    done = ActionItem.objects.filter(candidate_id=profile.user_id, done_at__isnull=False).order_by(
        "-done_at"
    )[:limit]
    for item in done:
        yield TimelineEvent(item.done_at, "action", _("Action done"), item.text)


@dataclass(frozen=True)
class PathGlance:
    path_id: int
    role_title: str
    steps_done: int
    steps_total: int
    next_step: str


def person_summary(profile):
    """The person's page at a glance, so a counsellor need not read the timeline: the latest
    result per test, applications with their stage, enrolments with the session's dates and
    attendance, and each training path's progress. 4 queries whatever the number of rows."""
    latest_tests = {}
    attempts = (
        Attempt.objects.filter(user_id=profile.user_id, finished_at__isnull=False)
        .select_related("battery")
        .order_by("-finished_at")
    )
    for attempt in attempts:
        latest_tests.setdefault(attempt.battery_id, attempt)
    tests = [
        {"attempt": attempt, "result": attempt_result_text(attempt)}
        for attempt in latest_tests.values()
    ]
    applications = list(
        profile.applications.select_related("vacancy__employer").order_by("-created_at", "-pk")
    )
    now = timezone.now()
    enrolments = list(
        Enrolment.objects.filter(candidate_id=profile.user_id)
        .select_related("cohort__module")
        .annotate(
            sessions_held=Count(
                "cohort__sessions", filter=Q(cohort__sessions__starts_at__lte=now), distinct=True
            ),
            sessions_present=Count(
                "attendances",
                filter=Q(attendances__status=Attendance.Status.PRESENT),
                distinct=True,
            ),
            sessions_absent=Count(
                "attendances",
                filter=Q(attendances__status=Attendance.Status.ABSENT),
                distinct=True,
            ),
        )
        .order_by("-cohort__starts_on", "-pk")
    )
    steps = steps_with_status(
        PathStep.objects.filter(path__candidate_id=profile.user_id)
        .select_related("path__role", "module", "battery")
        .order_by("path_id", "position")
    )
    paths = {}
    for step in steps:
        path = paths.setdefault(
            step.path_id, {"role": step.path.role.title, "done": 0, "total": 0, "next": ""}
        )
        path["total"] += 1
        if step_status(step) == DONE:
            path["done"] += 1
        elif not path["next"]:
            path["next"] = step.module.title if step.module_id else step.battery.title
    return {
        "tests": tests,
        "applications": applications,
        "enrolments": enrolments,
        "paths": [
            PathGlance(pk, item["role"], item["done"], item["total"], item["next"])
            for pk, item in paths.items()
        ],
    }


def attempt_result_text(attempt):
    if attempt.score_percent is None:
        return attempt.get_status_display()
    text = _("Score %(score)s %%") % {"score": round(attempt.score_percent)}
    if attempt.passed is True:
        text += " – " + _("passed")
    elif attempt.passed is False:
        text += " – " + _("not passed")
    return text


def enrolment_result_text(enrolment):
    text = enrolment.get_result_display()
    if enrolment.score is not None:
        text += " – " + _("%(score)s %%") % {"score": enrolment.score}
    return text


def notes_for(profile):
    """The counselling team's notes on this person, newest first (never shown to them)."""
    return CounsellorNote.objects.filter(candidate_id=profile.user_id).select_related("author")


def action_plan_for(user):
    """A job-seeker's action plan: open items first (by due date), then those done."""
    return list(
        ActionItem.objects.filter(candidate=user)
        .select_related("author")
        .order_by(
            F("done_at").asc(nulls_first=True), F("due_on").asc(nulls_last=True), "created_at", "pk"
        )
    )


def action_plan_context(user):
    """What templates/college/guidance/includes/action_plan.html needs, for the job-seeker."""
    items = action_plan_for(user)
    return {
        "action_items": items,
        "action_items_open": sum(1 for item in items if item.done_at is None),
        "today": timezone.localdate(),
    }


# Access -------------------------------------------------------------------------------------


def get_action_item_for(user, pk):
    """An action item the user may mark done: their own, or one of a person they guide."""
    items = ActionItem.objects.none()
    if user.is_authenticated and user.role == User.Role.CANDIDATE:
        items = ActionItem.objects.filter(candidate=user)
    elif user.is_authenticated and user.role == User.Role.COUNSELLOR:
        guided = Guidance.objects.guiding(user, OuterRef("candidate"))
        items = ActionItem.objects.filter(Exists(guided))
    return get_object_or_404(items, pk=pk)


# Writes ----------------------------------------------------------------------------------------


def counsellor_note_add(*, profile, author, body):
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write the note.")}, code="required")
    return CounsellorNote.objects.create(candidate_id=profile.user_id, author=author, body=body)


def action_item_add(*, profile, author, text, due_on=None):
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Say what is to be done.")}, code="required")
    return ActionItem.objects.create(
        candidate_id=profile.user_id, author=author, text=text, due_on=due_on
    )


@transaction.atomic
def action_item_mark_done(*, item, done=True):
    """Marks an item done (or open again); idempotent, keeps the first moment it was done."""
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if done and item.done_at is None:
        item.done_at = timezone.now()
        item.save(update_fields=["done_at"])
    elif not done and item.done_at is not None:
        item.done_at = None
        item.save(update_fields=["done_at"])
    return item


# The progress report (PDF) ------------------------------------------------------------------------


def progress_report_context(profile, *, counsellor, today=None):
    """What the progress report shows, in the active language. Never the team's notes."""
    today = today or timezone.localdate()
    profile = candidate_profile_detail(profile=profile)
    stage = annotate_stage(type(profile).objects.filter(pk=profile.pk)).values_list(
        "stage", flat=True
    )[0]
    roles = list(profile.target_roles.all())
    readiness = []
    if roles:
        candidate = matching.load_candidate(profile)
        for role in roles:
            target = matching.load_role_target(role)
            eligibility = matching.compute_eligibility(candidate, target, today=today)
            readiness.append(
                {
                    "role": role,
                    "score": matching.compute_score(candidate, target),
                    "eligibility": eligibility,
                }
            )
    attempts = list(
        Attempt.objects.filter(user_id=profile.user_id, finished_at__isnull=False)
        .select_related("battery")
        .order_by("-finished_at")
    )
    enrolments = list(
        Enrolment.objects.filter(candidate_id=profile.user_id)
        .select_related("cohort__module")
        .order_by("-created_at")
    )
    for row in readiness:
        row["eligibility_label"] = ELIGIBILITY_LABELS[row["eligibility"].status]
    return {
        "profile": profile,
        "full_name": profile.user.full_name,
        "counsellor": counsellor,
        "generated_on": today,
        "stage_label": Stage(stage).label,
        "readiness": readiness,
        "skills": sorted(
            profile.skills.all(), key=lambda item: (-item.level, item.skill.label.casefold())
        ),
        "attempts": [{"attempt": item, "result": attempt_result_text(item)} for item in attempts],
        "enrolments": [
            {"enrolment": item, "result": enrolment_result_text(item) if item.result else ""}
            for item in enrolments
        ],
        "action_items": action_plan_for(profile.user),
    }


def progress_report_pdf(profile, *, counsellor):
    """The progress report as PDF bytes (tagged, for screen readers), in the active language."""

    html = render_to_string(
        "college/guidance/pdf/progress_report.html",
        progress_report_context(profile, counsellor=counsellor),
    )
    return html_to_pdf(html)
