"""The pool's matching data held in memory, per process, for the pool insight.

Counting a vacancy's pool in SQL reads every profile and every skill row of its skills (over a
second at 100,000 job-seekers). The insight reads instead a copy of what the counts depend on,
held as numpy arrays and kept up to date from the ProfileChange log, as the kept rankings are
(:mod:`college.matching.rankings`):

* one row per job-seeker (every profile, in the pool or not: a vacancy's applicants join its
  pool whatever their sharing): whether the account is active and the profile shared with
  blind shortlists, commune, outside Brussels, travel time, the three availabilities, birth
  year, nationality, driving licences (a bit each), the best recognised diploma's rank;
* per language the CEFR rank of each row (0: not held), per (language, certificate) whether
  each row holds it;
* per skill a sparse column: the rows holding it, with level and evidence.

Every read first asks for the changes after `mark` (one query): the profiles of changes not
seen yet are read again (five queries, also made, over no profile, when nothing changed, so that
an insight always costs the same queries). A change is read again until it is SETTLE_SECONDS
old (`mark` only moves past older ones), so a change whose transaction commits after a
younger one was read is not missed. The copy is built again when the pool generation moves on
(a profile or an account deleted, the cache lost: :mod:`college.matching.pool`), when changes
were pruned past `mark`, or when more than REFRESH_LIMIT profiles changed since the last read.

Size, measured at 100,000 job-seekers with 20 skill rows each (bench_matching's data set):
about 37 MB kept, 374 bytes a job-seeker (58 in the dense arrays, 120 in the skill columns at
6 bytes a skill row, the rest in the two id maps); building it takes some 4 s and peaks at
about 84 MB (the skill rows are read in batches), once per worker and again only in the cases
above.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
from django.db import connection
from django.db.models import Case, Max, Min, Q, Value, When
from django.utils import timezone

from candidates.models import (
    CandidateLanguage,
    CandidateProfile,
    CandidateSkill,
    Education,
    LanguageCertificate,
    ProfileChange,
)
from college.core import cache_versions
from college.matching.pool import POOL_GENERATION_KEY
from college.matching.score import EDUCATION_RANK, RECOGNISED
from college.models import CEFR, Evidence

SETTLE_SECONDS = 120
REFRESH_LIMIT = 5000
SKILL_BATCH = 50_000
EVIDENCES = list(Evidence.values)  # a skill row's evidence as its index here
UNKNOWN_EVIDENCE = len(EVIDENCES)
NONE_ID = -1  # a missing commune, travel time or birth year


@dataclass
class SkillColumn:
    rows: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    level: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    evidence: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))


DENSE = {
    "profile_id": np.int64,
    "user_id": np.int64,
    "alive": np.bool_,  # the profile exists and its account is active
    "visible": np.bool_,
    "commune": np.int64,
    "outside": np.bool_,
    "travel": np.int32,
    "shifts": np.bool_,
    "nights": np.bool_,
    "weekends": np.bool_,
    "birth_year": np.int32,
    "nationality": np.int16,
    "licences": np.int64,
    "diploma": np.int8,
}


class PoolCopy:
    def __init__(self, generation):
        self.generation = generation
        self.size = 0
        self.dense = {name: np.zeros(0, dtype) for name, dtype in DENSE.items()}
        self.languages = {}  # language id -> int8 CEFR rank per row
        self.certificates = {}  # (language id, level) -> bool per row
        self.skills = {}  # skill id -> SkillColumn
        self.row_of = {}  # profile id -> row
        self.row_of_user = {}  # user id -> row
        self.nationalities = {}  # nationality -> code (0: blank)
        self.licence_bits = {}  # licence category -> bit
        self.mark = 0
        self.seen = set()  # ids of changes after `mark` already read

    # Codes ------------------------------------------------------------------------------------

    def nationality_code(self, value):
        if not value:
            return 0
        return self.nationalities.setdefault(value, len(self.nationalities) + 1)

    def licence_mask(self, categories):
        mask = 0
        for category in categories or ():
            bit = self.licence_bits.get(category)
            if bit is None:
                if len(self.licence_bits) >= 62:
                    continue  # never met by a condition the copy can express: see licence_met
                bit = self.licence_bits[category] = 1 << len(self.licence_bits)
            mask |= bit
        return mask

    # Loading ----------------------------------------------------------------------------------

    def _grow(self, count):
        if not count:
            return
        for name, array in self.dense.items():
            extra = np.zeros(count, array.dtype)
            self.dense[name] = np.concatenate([array, extra])
        for key, array in self.languages.items():
            self.languages[key] = np.concatenate([array, np.zeros(count, array.dtype)])
        for key, array in self.certificates.items():
            self.certificates[key] = np.concatenate([array, np.zeros(count, array.dtype)])
        self.size += count

    def load(self, profile_ids=None):
        """Reads again the given profiles (every profile when None): five queries."""

        def only(queryset, name="profile_id"):
            if profile_ids is None:
                return queryset
            return queryset.filter(**{f"{name}__in": profile_ids or [0]})

        profiles = list(
            only(CandidateProfile.objects.all(), "pk").values_list(
                "pk",
                "user_id",
                "user__is_active",
                "is_visible_in_shortlists",
                "commune_id",
                "lives_outside_brussels",
                "max_travel_minutes",
                "shifts",
                "nights",
                "weekends",
                "birth_year",
                "nationality",
                "driving_licences",
            )
        )
        wanted = sorted(set(profile_ids or ()) | {row[0] for row in profiles})
        new = [pk for pk in wanted if pk not in self.row_of]
        first = self.size
        self._grow(len(new))
        for offset, pk in enumerate(new):
            self.row_of[pk] = first + offset
        rows = np.array([self.row_of[pk] for pk in wanted], np.int64)
        dense = self.dense
        # Everything of the rows read again starts from nothing (a profile gone stays so).
        for array in dense.values():
            array[rows] = 0
        for array in self.languages.values():
            array[rows] = 0
        for array in self.certificates.values():
            array[rows] = False
        if profile_ids is not None and len(rows):
            for column in self.skills.values():
                keep = ~np.isin(column.rows, rows)
                if not keep.all():
                    column.rows, column.level = column.rows[keep], column.level[keep]
                    column.evidence = column.evidence[keep]
        dense["profile_id"][rows] = np.array(wanted, np.int64)
        if profiles:
            at = np.array([self.row_of[row[0]] for row in profiles], np.int64)
            for pk, user_id, *_rest in profiles:
                self.row_of_user[user_id] = self.row_of[pk]
            columns = list(zip(*profiles, strict=True))
            dense["user_id"][at] = columns[1]
            dense["alive"][at] = [bool(value) for value in columns[2]]
            dense["visible"][at] = [bool(value) for value in columns[3]]
            dense["commune"][at] = [NONE_ID if value is None else value for value in columns[4]]
            dense["outside"][at] = [bool(value) for value in columns[5]]
            dense["travel"][at] = [NONE_ID if value is None else value for value in columns[6]]
            dense["shifts"][at] = [bool(value) for value in columns[7]]
            dense["nights"][at] = [bool(value) for value in columns[8]]
            dense["weekends"][at] = [bool(value) for value in columns[9]]
            dense["birth_year"][at] = [NONE_ID if value is None else value for value in columns[10]]
            dense["nationality"][at] = [self.nationality_code(value) for value in columns[11]]
            dense["licences"][at] = [self.licence_mask(value) for value in columns[12]]
        del profiles
        # The skill rows, the most numerous (some 20 a job-seeker), as integers straight into
        # numpy: the evidence as its index in EVIDENCES.
        evidence = Case(
            *(When(evidence=value, then=Value(index)) for index, value in enumerate(EVIDENCES)),
            default=Value(UNKNOWN_EVIDENCE),
        )
        sql, params = (
            only(CandidateSkill.objects.all())
            .annotate(evidence_index=evidence)
            .order_by()
            .values_list("profile_id", "skill_id", "level", "evidence_index")
            .query.sql_with_params()
        )
        # In batches through a server-side cursor where there is one: a worker's memory
        # holds one batch of Python rows at a time, not millions.
        keys = np.fromiter(self.row_of.keys(), np.int64, len(self.row_of))
        values = np.fromiter(self.row_of.values(), np.int64, len(self.row_of))
        order = np.argsort(keys)
        keys, values = keys[order], values[order]
        pieces = {}
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while batch := cursor.fetchmany(SKILL_BATCH):
                self._skill_pieces(np.array(batch, np.int64).reshape(-1, 4), keys, values, pieces)
        for skill_id, parts in pieces.items():
            column = self.skills.setdefault(skill_id, SkillColumn())
            column.rows = np.concatenate([column.rows] + [part[0] for part in parts])
            column.level = np.concatenate([column.level] + [part[1] for part in parts])
            column.evidence = np.concatenate([column.evidence] + [part[2] for part in parts])
        del pieces, keys, values
        # Rows of a profile created after the profiles were read are left for its change.
        for pk, language_id, cefr in (
            only(CandidateLanguage.objects.all())
            .values_list("profile_id", "language_id", "cefr")
            .iterator(chunk_size=SKILL_BATCH)
        ):
            row = self.row_of.get(pk)
            if row is None:
                continue
            array = self.languages.get(language_id)
            if array is None:
                array = self.languages[language_id] = np.zeros(self.size, np.int8)
            array[row] = CEFR.rank(cefr)
        for pk, language_id, level in only(LanguageCertificate.objects.all()).values_list(
            "profile_id", "language_id", "level"
        ):
            row = self.row_of.get(pk)
            if row is None:
                continue
            key = (language_id, level)
            array = self.certificates.get(key)
            if array is None:
                array = self.certificates[key] = np.zeros(self.size, np.bool_)
            array[row] = True
        diploma = dense["diploma"]
        educations = only(Education.objects.filter(recognition__in=sorted(RECOGNISED)))
        for pk, level in educations.values_list("profile_id", "level"):
            row = self.row_of.get(pk)
            if row is not None:
                diploma[row] = max(diploma[row], EDUCATION_RANK.get(level, 0))

    @staticmethod
    def _skill_pieces(skills, keys, values, pieces):
        """One batch of skill rows (profile, skill, level, evidence) into per-skill pieces."""
        if not len(skills) or not len(keys):
            return
        at = np.minimum(np.searchsorted(keys, skills[:, 0]), len(keys) - 1)
        known = keys[at] == skills[:, 0]  # a profile created since its row was read: later
        skills, rows = skills[known], values[at[known]]
        order = np.argsort(skills[:, 1], kind="stable")
        skills, rows = skills[order], rows[order]
        skill_ids, starts = np.unique(skills[:, 1], return_index=True)
        ends = list(starts[1:]) + [len(skills)]
        for skill_id, start, end in zip(skill_ids.tolist(), starts, ends, strict=True):
            pieces.setdefault(skill_id, []).append(
                (
                    rows[start:end].astype(np.int32),
                    skills[start:end, 2].astype(np.int8),
                    skills[start:end, 3].astype(np.int8),
                )
            )


_lock = threading.RLock()
_copy: PoolCopy | None = None


@contextmanager
def current():
    """The process's copy brought up to date, held while the caller reads it (a thread that
    brings it up to date waits): two queries for the changes and five to read again the
    profiles changed (over none when none did), whether it is built or brought up to date."""
    with _lock:
        yield _up_to_date()


def pool_copy() -> PoolCopy:
    """The process's copy brought up to date (for a caller that does not read it concurrently
    with another thread: tests, the benchmark)."""
    with current() as copy:
        return copy


def _up_to_date():
    global _copy
    generation = cache_versions.current(POOL_GENERATION_KEY)
    settled_before = timezone.now() - timezone.timedelta(seconds=SETTLE_SECONDS)
    bounds = ProfileChange.objects.aggregate(
        first=Min("id"), settled=Max("id", filter=Q(created_at__lt=settled_before))
    )
    copy = _copy
    # Changes pruned past `mark` (a real change id, or 0) may be lost: built again.
    pruned = copy is not None and copy.mark and (bounds["first"] or copy.mark + 1) > copy.mark
    if copy is None or copy.generation != generation or pruned:
        copy = _built(generation, bounds["settled"] or 0)
    else:
        changes = _changes_after(copy.mark)
        unseen = [(i, p) for i, p, _c in changes if i not in copy.seen]
        profiles = sorted({p for _i, p in unseen})
        if len(profiles) > REFRESH_LIMIT:
            copy = _built(generation, bounds["settled"] or 0)
        else:
            copy.load(profiles)
            copy.seen.update(i for i, _p in unseen)
            # `mark` moves past the settled changes up to the first one not settled.
            for change_id, _p, created in changes:
                if created >= settled_before:
                    break
                copy.mark = change_id
            copy.seen = {i for i in copy.seen if i > copy.mark}
    _copy = copy
    return copy


def _changes_after(mark):
    return list(
        ProfileChange.objects.filter(id__gt=mark)
        .order_by("id")
        .values_list("id", "profile_id", "created_at")
    )


def _built(generation, settled):
    """A copy read afresh; the changes after the newest settled one count as seen (their data
    is read), and are read again only if one appears that was not there."""
    copy = PoolCopy(generation)
    copy.seen = {change_id for change_id, _p, _c in _changes_after(settled)}
    copy.load(None)
    copy.mark = settled
    return copy


def forget():
    """Drops the process's copy (the next read builds it again)."""
    global _copy
    with _lock:
        _copy = None
