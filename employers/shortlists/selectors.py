"""Blind shortlists: a vacancy's candidates ranked by the matching engine, without identity.

Who is in a vacancy's shortlist (its *pool*): job-seekers who opted in to blind shortlists,
and those who applied to the vacancy and have not withdrawn. Withdrawing the shortlist
consent takes a job-seeker out of every shortlist at once.

The ranking is :func:`college.matching.shortlist` (the vacancy's kept ranking, see the engine);
each candidate of the page shown is then explained with the engine's own pure functions
(:func:`college.matching.build_match`, the code :func:`college.matching.evaluate` runs), their
matching data loaded for the whole page at once so that a page costs the same number of
queries whatever its length and the pool's size.

Until the employer invites a candidate, the candidate is named only by a pseudonymous
:func:`candidate_ref`: stable for one vacancy, not linkable from one vacancy to another,
and carrying nothing about the person. Inviting (:func:`shortlist_invite`) is the reveal:
it is logged (a ``ShortlistInvitation`` with who and when, and a profile view shown to the
job-seeker), the job-seeker is e-mailed, and the shortlist then shows their name and contact.
The ranking supports the recruiter's decision; it never rejects anyone by itself.

Before the invitation a row reveals nothing that could single a person out, not even by its
absence: the legal conditions of age and nationality (the police's Belgian nationality, a
minimum age) are *not* checked on a blind row (:func:`blind_match`). Were they, every
non-Belgian or undeclared candidate would carry "Belgian nationality is required by law" and
be told apart from a Belgian of equal skills. Every blind row of such a vacancy carries the
same neutral line instead (:func:`conditions_at_invitation`), and the conditions are checked
once the candidate is invited (the invited row shows the full eligibility). They never enter
the score or the pool either (see college/matching/score.py), so two candidates who differ only in
nationality, birth year, gender, name or contact details get identical blind rows apart from
their pseudonym. The privacy notice says so (templates/college/core/privacy_notice.html).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from candidates.models import (
    CandidateProfile,
    ProfileChange,
    ProfileView,
)
from candidates.services import profile_view_log
from college import matching
from college.core import public_cache
from college.core.audit import audit_record
from college.models import AuditEvent, Role
from employers.models import Application, RankedCandidate, ShortlistInvitation, Vacancy
from employers.tasks import send_shortlist_invitation_email

REF_PREFIX = "C-"
REF_LENGTH = 10
REF_PATTERN = re.compile(rf"{REF_PREFIX}[A-Z2-7]{{{REF_LENGTH}}}")
MAX_PAGE = 100  # rows explained at once; the API's page_size is capped at 100 as well
# How long a page's explained rows are kept in the shared cache (shortlist_kept): a bound only,
# the key changes with anything the rows show.
SHORTLIST_CACHE_SECONDS = 600

ELIGIBILITY_LABELS = {
    matching.ELIGIBLE: gettext_lazy("Eligible"),
    matching.ELIGIBLE_VIA_ALTERNATIVE: gettext_lazy("Eligible through the legal alternative route"),
    matching.NOT_YET: gettext_lazy("Not yet eligible"),
}


# The pseudonym ------------------------------------------------------------------------------


def _ref_key():
    return settings.SECRET_KEY.encode()


def candidate_ref(vacancy, profile) -> str:
    """The candidate's pseudonym in this vacancy's shortlist: ``C-`` and 10 base32 letters.

    An HMAC-SHA256 of the vacancy and profile ids under the site's secret key: stable for a
    vacancy, different from one vacancy to another, and not reversible without the key.
    `vacancy` and `profile` are objects or their ids.
    """
    vacancy_id = getattr(vacancy, "pk", vacancy)
    profile_id = getattr(profile, "pk", profile)
    digest = hmac.new(
        _ref_key(), f"{int(vacancy_id)}:{int(profile_id)}".encode(), hashlib.sha256
    ).digest()
    return REF_PREFIX + base64.b32encode(digest).decode("ascii")[:REF_LENGTH]


def is_candidate_ref(value) -> bool:
    return isinstance(value, str) and REF_PATTERN.fullmatch(value) is not None


# The pool -----------------------------------------------------------------------------------


def shortlist_pool(vacancy):
    """Profiles the vacancy's shortlist may show: the engine's default pool (opted in, or
    applied and not withdrawn, with an active account)."""
    return matching.default_pool(vacancy)


def shortlist_profile_for_ref(vacancy, ref):
    """The pool member named `ref` in this vacancy's shortlist, or None.

    The pseudonym cannot be reversed: the pool's ids are read (one query) and hashed until one
    matches. The keyed hash is prepared once and its first 50 bits compared to the decoded
    reference: about half a second for 100,000 job-seekers on the 2-core server.
    """
    if not is_candidate_ref(ref):
        return None
    # 10 base32 letters are 50 bits: the first 6 bytes and the top 2 bits of the 7th.
    wanted = base64.b32decode(ref[len(REF_PREFIX) :] + "A" * 6)
    head, top_bits = wanted[:6], wanted[6] & 0xC0
    keyed = hmac.new(_ref_key(), f"{int(vacancy.pk)}:".encode(), hashlib.sha256)
    ids = shortlist_pool(vacancy).order_by().values_list("pk", flat=True)
    for profile_id in ids.iterator(chunk_size=5000):
        digest = keyed.copy()
        digest.update(str(profile_id).encode())
        digest = digest.digest()
        if digest[:6] == head and digest[6] & 0xC0 == top_bits:
            if hmac.compare_digest(candidate_ref(vacancy, profile_id), ref):
                return CandidateProfile.objects.select_related("user").filter(pk=profile_id).first()
    return None


# The blind view -----------------------------------------------------------------------------


def conditions_at_invitation(target) -> tuple:
    """The one neutral line every blind row of a vacancy with conditions of age or nationality
    carries: the same words for everyone, whoever meets them."""
    if target.min_age or (target.nationality and target.nationality != Role.Nationality.ANY):
        return (
            _(
                "Legal conditions of age and nationality: checked at the invitation, the same "
                "way for every candidate."
            ),
        )
    return ()


def blind_match(candidate, target):
    """The match a blind row shows: the engine's, with age and nationality left out of both
    sides (they never change the score) and the neutral line in their place."""
    match = matching.build_match(
        replace(candidate, birth_year=None, nationality=""),
        replace(target, min_age=None, nationality=Role.Nationality.ANY),
    )
    eligibility = match.eligibility
    return replace(
        match,
        eligibility=replace(
            eligibility,
            to_check_at_selection=conditions_at_invitation(target)
            + tuple(eligibility.to_check_at_selection),
        ),
    )


# The rows -----------------------------------------------------------------------------------


@dataclass
class ShortlistRow:
    """One ranked candidate. `profile` is for the server only: never shown while blind."""

    rank: int
    candidate_ref: str
    score: int
    match: matching.Match
    profile: CandidateProfile
    application: Application | None
    invitation: ShortlistInvitation | None

    @property
    def eligibility(self):
        return self.match.eligibility

    @property
    def eligibility_label(self):
        return ELIGIBILITY_LABELS[self.match.eligibility.status]

    @property
    def matched(self):
        return self.match.matched

    @property
    def partial(self):
        return self.match.partial

    @property
    def missing(self):
        return self.match.missing

    @property
    def languages_met(self):
        return self.match.languages_met

    @property
    def languages_short(self):
        return self.match.languages_short

    @property
    def applied(self):
        return self.application is not None

    @property
    def invited(self):
        return self.invitation is not None

    @property
    def revealed(self):
        """Name and contact, once the employer invited the candidate; None while blind."""
        if self.invitation is None:
            return None
        return {
            "full_name": self.profile.user.full_name,
            "email": self.profile.user.email,
            "phone": self.profile.phone,
        }


def shortlist_count(vacancy):
    """How many job-seekers the vacancy's shortlist ranks (see matching.default_pool_count)."""
    return matching.default_pool_count(vacancy)


@dataclass
class ShortlistWindow:
    """Rows `offset` to `offset + len(ranked)` of a vacancy's shortlist, before they are explained:
    the ranking's (profile id, score) and what the rows show besides the engine's explanation
    (the profiles, applications and invitations). `fingerprint` changes whenever anything a
    row shows may have changed: the key of the rows kept, explained, in the shared cache."""

    vacancy: Vacancy
    offset: int
    ranked: list
    profiles: dict
    applications: dict
    invitations: dict
    fingerprint: str


def shortlist_window(vacancy, *, limit=50, offset=0) -> ShortlistWindow:
    """The ranked rows' ids and what they show apart from the explanation; eight queries
    whatever the page's length and the pool's size: the ranking (four), the page's profiles,
    their newest matching change, their applications and invitations."""
    limit = max(0, min(int(limit), MAX_PAGE))
    offset = max(0, int(offset))
    ranked = matching.shortlist(vacancy=vacancy, limit=offset + limit)[offset:] if limit else []
    ids = [profile_id for profile_id, _score in ranked]
    if not ids:
        return ShortlistWindow(vacancy, offset, [], {}, {}, {}, "")
    profiles = CandidateProfile.objects.select_related("user").in_bulk(ids)
    # Every change to a job-seeker's matching data appends a ProfileChange (candidates.signals);
    # pruning old ones only changes the fingerprint, never keeps it on changed data.
    newest_change = ProfileChange.objects.filter(profile_id__in=ids).aggregate(newest=Max("id"))
    applications = {
        application.profile_id: application
        for application in Application.objects.filter(vacancy=vacancy, profile_id__in=ids).exclude(
            reason=Application.Reason.WITHDRAWN
        )
    }
    invitations = {
        invitation.profile_id: invitation
        for invitation in ShortlistInvitation.objects.filter(
            vacancy=vacancy, profile_id__in=ids
        ).select_related("invited_by")
    }
    shown = (
        offset,
        ranked,
        [
            (
                profile.pk,
                profile.updated_at.isoformat(),
                profile.user.full_name,
                profile.user.email,
                profile.user.is_active,
            )
            for _pk, profile in sorted(profiles.items())
        ],
        newest_change["newest"],
        sorted((key, value.pk, value.stage, value.reason) for key, value in applications.items()),
        sorted(
            (
                key,
                value.pk,
                value.invited_at.isoformat(),
                value.invited_by.full_name if value.invited_by else "",
            )
            for key, value in invitations.items()
        ),
    )
    fingerprint = hashlib.sha256(repr(shown).encode()).hexdigest()
    return ShortlistWindow(
        vacancy, offset, ranked, profiles, applications, invitations, fingerprint
    )


def shortlist_rows(vacancy, *, limit=50, offset=0, window=None):
    """The ranked rows `offset` to `offset + limit` of the vacancy's blind shortlist.

    The ranking is the engine's; each row's eligibility and explanation are the engine's too.
    Fifteen queries or so whatever the page's length and the pool's size: the window's eight
    (:func:`shortlist_window`, unless given), the vacancy's labelled requirements (three or
    four), the page's skills, languages, certificates (and diplomas where the law requires one).
    """
    if window is None:
        window = shortlist_window(vacancy, limit=limit, offset=offset)
    if not window.ranked:
        return []
    target = matching.load_vacancy_target(vacancy)
    profiles = window.profiles
    candidates = matching.load_candidates(profiles.values(), with_diplomas=target.diploma_required)
    rows = []
    for index, (profile_id, score) in enumerate(window.ranked):
        profile = profiles.get(profile_id)
        if profile is None:  # erased between the ranking and now
            continue
        invitation = window.invitations.get(profile_id)
        if invitation is None:
            match = blind_match(candidates[profile_id], target)
        else:
            match = matching.build_match(candidates[profile_id], target)
        rows.append(
            ShortlistRow(
                rank=window.offset + index + 1,
                candidate_ref=candidate_ref(vacancy, profile_id),
                score=score,
                match=match,
                profile=profile,
                application=window.applications.get(profile_id),
                invitation=invitation,
            )
        )
    return rows


# The kept pages of one vacancy in one language live under one key (shortlist_pages_key), a
# few pages each, so that they can be found and forgotten: erasing a job-seeker forgets the kept
# pages of every vacancy they were ranked in, applied to or were invited to (receivers.py), and
# no copy of their row outlives the erasure in the cache.
SHORTLIST_PAGES_KEPT = 6
SHORTLIST_WHATS = ("page", "api")


def shortlist_pages_key(vacancy_id, what, language):
    return f"shortlist:{vacancy_id}:{what}:{language}"


def shortlist_kept(window, what, make, *, extra=()):
    """`make(window)`, kept in the shared cache for SHORTLIST_CACHE_SECONDS: the explained rows
    of a page, the same for every member of the vacancy's organisation (what a row shows, a
    revealed name included, is the organisation's; no user is in it).

    Call it only once the reader's access to the vacancy is checked. A kept page is used only
    while its fingerprint holds: the window's (the ranking's rows, the profiles, their newest
    matching change, the applications and invitations), the vacancy's last change, the public
    data's version (the vacancy, its requirements and the skills' names move it on), the day
    (ages, closing dates), and `extra` (what else the caller's rendering depends on). Two
    workers writing the same vacancy's pages at once can only lose a kept page, never show a
    wrong one."""
    assert what in SHORTLIST_WHATS
    fingerprint = hashlib.sha256(
        repr(
            (
                window.offset,
                window.vacancy.updated_at.isoformat() if window.vacancy.updated_at else "",
                window.fingerprint,
                public_cache.version(),
                timezone.localdate().isoformat(),
                tuple(extra),
            )
        ).encode()
    ).hexdigest()
    key = shortlist_pages_key(window.vacancy.pk, what, translation.get_language())
    pages = cache.get(key) or {}
    if fingerprint in pages:
        return pages[fingerprint]
    value = make(window)
    pages[fingerprint] = value
    while len(pages) > SHORTLIST_PAGES_KEPT:
        pages.pop(next(iter(pages)))
    cache.set(key, pages, SHORTLIST_CACHE_SECONDS)
    return value


def forget_kept_shortlists(vacancy_ids):
    """Drops every kept page of these vacancies' shortlists, in every language."""
    cache.delete_many(
        [
            shortlist_pages_key(vacancy_id, what, language)
            for vacancy_id in vacancy_ids
            for what in SHORTLIST_WHATS
            for language, _name in settings.LANGUAGES
        ]
    )


def vacancies_showing(profile):
    """The vacancies whose shortlist may show `profile`'s row: ranked, applied or invited."""
    return (
        set(RankedCandidate.objects.filter(profile=profile).values_list("ranking_id", flat=True))
        | set(Application.objects.filter(profile=profile).values_list("vacancy_id", flat=True))
        | set(
            ShortlistInvitation.objects.filter(profile=profile).values_list("vacancy_id", flat=True)
        )
    )


class ShortlistRanks:
    """The shortlist's ranks (0, 1, …) as a sequence for Django's and DRF's paginators: a page
    of it says which rows to show (see :func:`shortlist_window`) without explaining them."""

    ordered = True

    def __init__(self, vacancy):
        self.vacancy = vacancy
        self._count = None

    def count(self):
        if self._count is None:
            self._count = shortlist_count(self.vacancy)
        return self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice) or item.step not in (None, 1):
            raise TypeError("the ranks are read a page at a time")
        start = item.start or 0
        stop = self.count() if item.stop is None else min(item.stop, self.count())
        return list(range(start, max(start, stop)))


class AlreadyInvited(Exception):
    """The candidate was already invited for this vacancy (maybe by a colleague)."""


def shortlist_invite(*, vacancy, profile, invited_by, message=""):
    """Invites a shortlisted job-seeker to apply: the reveal of their name and contact.

    Logs who invited and when (the invitation, and a profile view the job-seeker sees) and
    e-mails the job-seeker once the transaction commits. Only for a published, open vacancy:
    the e-mail asks them to apply. Raises `AlreadyInvited` the second time, ValidationError
    when the vacancy is not open.
    """
    if not Vacancy.objects.published().filter(pk=vacancy.pk).exists():
        raise ValidationError(
            _("Publish the vacancy before inviting candidates: the invitation asks them to apply.")
        )
    with transaction.atomic():
        if ShortlistInvitation.objects.filter(vacancy=vacancy, profile=profile).exists():
            raise AlreadyInvited
        try:
            with transaction.atomic():
                invitation = ShortlistInvitation.objects.create(
                    vacancy=vacancy,
                    profile=profile,
                    invited_by=invited_by,
                    message=message.strip(),
                )
        except IntegrityError:  # a colleague invited them at the same moment
            raise AlreadyInvited from None
        profile_view_log(profile=profile, viewer=invited_by, channel=ProfileView.Channel.PAGE)
        audit_record(
            actor=invited_by,
            action=AuditEvent.Action.CANDIDATE_REVEALED,
            object_type="candidate_profile",
            object_id=profile.pk,
            detail=f"vacancy {vacancy.pk}",
        )
        transaction.on_commit(lambda: send_shortlist_invitation_email.enqueue(invitation.pk))
    return invitation
