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
import functools
import hashlib
import hmac
import re
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
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
from college.core.compiled import Compiled
from college.models import AuditEvent, Role, User
from employers.access import get_vacancy_for_member, vacancies_managed_by
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


# The vacancy --------------------------------------------------------------------------------


def _member_vacancy_query(user_id, pk):
    """The access helper's own query (employers.access.vacancies_managed_by) for one vacancy of
    a member, with whether the vacancy is published now (invitations may be sent)."""
    member = User(pk=user_id, role=User.Role.EMPLOYER)
    published = Vacancy.objects.published().filter(pk=OuterRef("pk"))
    return (
        vacancies_managed_by(member)
        .filter(pk=pk)
        .annotate(shortlist_is_published=Exists(published))
    )


# Compiled once per process, thread, database and day (`published()` compares to today).
_MEMBER_VACANCY = Compiled(
    "member's vacancy",
    _member_vacancy_query,
    per_day=True,
    user_id=-7_310_023,
    pk=-7_310_029,
)


def shortlist_vacancy_for(user, pk):
    """(vacancy, is_published) for a member of the vacancy's organisation, in one query; a 404
    for anyone else, the access helper's own (employers.access.get_vacancy_for_member).

    Every shortlist read checks its reader's access first. The ORM took longer to compile that
    query than the database to answer it, so the access helper's query is compiled once per
    process, thread, database and day (college.core.compiled), then run with the reader's and
    the vacancy's ids.
    Anyone the query does not find, or who is no employer, goes through the access helper itself.
    """
    if user.is_authenticated and user.role == User.Role.EMPLOYER:
        vacancy = _MEMBER_VACANCY.first(user_id=user.pk, pk=int(pk))
        if vacancy is not None:
            return vacancy, bool(vacancy.shortlist_is_published)
    vacancy = get_vacancy_for_member(user, pk)
    return vacancy, Vacancy.objects.published().filter(pk=vacancy.pk).exists()


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
    the ranking's (profile id, score) and `fingerprint`, which changes whenever anything a row
    shows besides the engine's explanation may have changed (the profiles, their newest matching
    change, the applications and invitations): the key of the rows kept, explained, in the shared
    cache. What the rows show is loaded only when they are explained (:meth:`load`), not for a
    page read from the cache."""

    vacancy: Vacancy
    offset: int
    ranked: list
    fingerprint: str
    profiles: dict | None = None
    applications: dict | None = None
    invitations: dict | None = None

    def load(self):
        """Reads the rows' profiles, applications and invitations: three queries."""
        if self.profiles is not None:
            return
        ids = [profile_id for profile_id, _score in self.ranked]
        self.profiles = CandidateProfile.objects.select_related("user").in_bulk(ids)
        self.applications = {
            application.profile_id: application
            for application in Application.objects.filter(
                vacancy=self.vacancy, profile_id__in=ids
            ).exclude(reason=Application.Reason.WITHDRAWN)
        }
        self.invitations = {
            invitation.profile_id: invitation
            for invitation in ShortlistInvitation.objects.filter(
                vacancy=self.vacancy, profile_id__in=ids
            ).select_related("invited_by")
        }


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _column(model, name):
    return connection.ops.quote_name(model._meta.get_field(name).column)


@functools.cache
def _shown_statement():
    # Written out rather than built by the ORM: every shortlist read runs it, and compiling its
    # joins and subquery cost more than the rest of a kept page's read.
    profile, user, change = CandidateProfile, User, ProfileChange
    return (
        f"SELECT p.{_column(profile, 'id')}, p.{_column(profile, 'updated_at')},"
        f" u.{_column(user, 'full_name')}, u.{_column(user, 'email')},"
        f" u.{_column(user, 'is_active')},"
        f" (SELECT MAX(c.{_column(change, 'id')}) FROM {_table(change)} c"
        f" WHERE c.{_column(change, 'profile')} = p.{_column(profile, 'id')}),"
        f" a.{_column(Application, 'id')}, a.{_column(Application, 'stage')},"
        f" a.{_column(Application, 'reason')},"
        f" i.{_column(ShortlistInvitation, 'id')}, i.{_column(ShortlistInvitation, 'invited_at')},"
        f" b.{_column(user, 'full_name')}"
        f" FROM {_table(profile)} p"
        f" INNER JOIN {_table(user)} u ON u.{_column(user, 'id')} = p.{_column(profile, 'user')}"
        f" LEFT JOIN {_table(Application)} a ON a.{_column(Application, 'profile')}"
        f" = p.{_column(profile, 'id')} AND a.{_column(Application, 'vacancy')} = %s"
        f" AND a.{_column(Application, 'reason')} <> %s"
        f" LEFT JOIN {_table(ShortlistInvitation)} i ON i.{_column(ShortlistInvitation, 'profile')}"
        f" = p.{_column(profile, 'id')} AND i.{_column(ShortlistInvitation, 'vacancy')} = %s"
        f" LEFT JOIN {_table(user)} b"
        f" ON b.{_column(user, 'id')} = i.{_column(ShortlistInvitation, 'invited_by')}"
        f" WHERE p.{_column(profile, 'id')} IN "
    )


def _shown(vacancy, ids):
    """For each of the profiles `ids`, in one query: what a row shows besides the engine's
    explanation (the profile and its account, the application unless withdrawn, the
    invitation and who sent it) and the newest change of its matching data. Every change to a
    job-seeker's matching data appends a ProfileChange (candidates.signals); pruning old ones
    only changes the answer, never keeps it on changed data."""
    ids = [int(profile_id) for profile_id in ids]
    statement = _shown_statement() + "(" + ", ".join(["%s"] * len(ids)) + ")"
    with connection.cursor() as cursor:
        cursor.execute(
            statement, [vacancy.pk, Application.Reason.WITHDRAWN.value, vacancy.pk, *ids]
        )
        return sorted(tuple(row) for row in cursor.fetchall())


def shortlist_window(vacancy, *, limit=50, offset=0) -> ShortlistWindow:
    """The ranked rows' ids and the fingerprint of what they show; the ranking's queries and
    one more, whatever the page's length and the pool's size."""
    limit = max(0, min(int(limit), MAX_PAGE))
    offset = max(0, int(offset))
    ranked = matching.shortlist(vacancy=vacancy, limit=offset + limit)[offset:] if limit else []
    if not ranked:
        return ShortlistWindow(vacancy, offset, [], "", {}, {}, {})
    shown = (offset, ranked, _shown(vacancy, [profile_id for profile_id, _score in ranked]))
    fingerprint = hashlib.sha256(repr(shown).encode()).hexdigest()
    return ShortlistWindow(vacancy, offset, ranked, fingerprint)


def shortlist_rows(vacancy, *, limit=50, offset=0, window=None):
    """The ranked rows `offset` to `offset + limit` of the vacancy's blind shortlist.

    The ranking is the engine's; each row's eligibility and explanation are the engine's too.
    Twenty queries or so whatever the page's length and the pool's size: the window's
    (:func:`shortlist_window`, unless given), the rows' profiles, applications and invitations
    (three), the vacancy's labelled requirements (three or four), the page's skills, languages,
    certificates (and diplomas where the law requires one).
    """
    if window is None:
        window = shortlist_window(vacancy, limit=limit, offset=offset)
    if not window.ranked:
        return []
    window.load()
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


# Each kept page lives under its own key, which carries everything the page shows (see
# shortlist_kept): a read fetches that page alone, and a change to anything it shows is a new key.
# So that erasure can find them, every key written is also listed in its vacancy's index: a ring
# of SHORTLIST_INDEX_SLOTS entries, each taken in turn (an atomic counter says which); a page whose
# entry is taken over is dropped then, so no kept page is ever left out of its vacancy's index.
# Erasing a job-seeker forgets the kept pages of every vacancy they were ranked in, applied to or
# were invited to (receivers.py), and no copy of their row outlives the erasure in the cache.
SHORTLIST_WHATS = ("page", "api")
SHORTLIST_INDEX_SLOTS = 64  # 3 languages, the page and the API: some 10 pages each


def shortlist_page_key(vacancy_id, what, language, fingerprint):
    return f"shortlist:{vacancy_id}:{what}:{language}:{fingerprint}"


def _index_counter_key(vacancy_id):
    return f"shortlist-index:{vacancy_id}"


def _index_slot_key(vacancy_id, slot):
    return f"shortlist-index:{vacancy_id}:{slot}"


def _index_keep(vacancy_id, key):
    """Lists `key` in the vacancy's index, dropping the page whose entry it takes over."""
    counter = _index_counter_key(vacancy_id)
    cache.add(counter, 0, timeout=None)
    try:
        turn = cache.incr(counter)
    except ValueError:  # evicted between the two calls
        cache.add(counter, 0, timeout=None)
        turn = cache.incr(counter)
    slot = _index_slot_key(vacancy_id, turn % SHORTLIST_INDEX_SLOTS)
    previous = cache.get(slot)
    if previous is not None and previous != key:
        cache.delete(previous)
    # The entry outlives its page: the page may be written again under the same key.
    cache.set(slot, key, SHORTLIST_CACHE_SECONDS * 2)


def shortlist_kept(window, what, make, *, extra=()):
    """`make(window)`, kept in the shared cache for SHORTLIST_CACHE_SECONDS: the explained rows
    of a page, the same for every member of the vacancy's organisation (what a row shows, a
    revealed name included, is the organisation's; no user is in it).

    Call it only once the reader's access to the vacancy is checked. The page's key carries
    everything it shows: the window's fingerprint (the ranking's rows, the profiles, their newest
    matching change, the applications and invitations), the vacancy's last change, the public
    data's version (the vacancy, its requirements and the skills' names move it on), the day
    (ages, closing dates), the language, and `extra` (what else the caller's rendering depends
    on). Two workers writing the same page at once write the same value."""
    assert what in SHORTLIST_WHATS
    language = translation.get_language()
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
    key = shortlist_page_key(window.vacancy.pk, what, language, fingerprint)
    value = cache.get(key)
    if value is not None:
        return value
    value = make(window)
    _index_keep(window.vacancy.pk, key)
    cache.set(key, value, SHORTLIST_CACHE_SECONDS)
    return value


def kept_shortlist_keys(vacancy_ids):
    """The keys of every page of these vacancies' shortlists that may be kept, in any language
    (from their index: the pages themselves may have expired)."""
    slots = [
        _index_slot_key(vacancy_id, slot)
        for vacancy_id in vacancy_ids
        for slot in range(SHORTLIST_INDEX_SLOTS)
    ]
    return set(cache.get_many(slots).values())


def forget_kept_shortlists(vacancy_ids):
    """Drops every kept page of these vacancies' shortlists, in every language."""
    # The index's entries stay: a page written again meanwhile (by a read started before the
    # erasure) is still listed, and dropped by the next erasure or when its entry is taken over.
    cache.delete_many(list(kept_shortlist_keys(vacancy_ids)))


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
