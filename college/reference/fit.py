"""The engine's fit in words: one scale, read the same way on every page and e-mail.

The number is always the matching engine's score (0–100) for one person and one vacancy or
role (`college.matching`); this module only says what it means. A bare "33 %" reads like a
failing school mark, so every page shows the band's words with the number, and what would
raise it. The thresholds live here and nowhere else.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

READY, CLOSE, GOOD_START, FAR = "ready", "close", "good_start", "far"

# (floor, key, words, what it means): a score of at least `floor` out of 100 is in the band.
FIT_BANDS = (
    (
        80,
        READY,
        pgettext_lazy("fit", "Ready"),
        gettext_lazy("You bring what is asked: apply."),
    ),
    (
        60,
        CLOSE,
        pgettext_lazy("fit", "Close"),
        gettext_lazy("A few steps from what is asked: you can apply now and keep improving."),
    ),
    (
        40,
        GOOD_START,
        pgettext_lazy("fit", "A good start"),
        gettext_lazy("Part of what is asked is there: the next steps below close the gap."),
    ),
    (
        0,
        FAR,
        pgettext_lazy("fit", "Still a way to go"),
        gettext_lazy("Much of what is asked is still missing: start with the first step below."),
    ),
)
# A training path aims at "Ready": its good score is this band's floor.
READY_FLOOR = FIT_BANDS[0][0]
# The same scale as (floor, words), for the pages that only need the words.
FIT_SCALE = tuple((floor, words) for floor, _key, words, _meaning in FIT_BANDS)


@dataclass(frozen=True)
class Fit:
    """A score with its band: what every page shows next to the number."""

    score: int
    key: str
    words: str
    meaning: str
    next_floor: int | None  # the next band's floor, None in the top band
    next_words: str = ""

    @property
    def points_to_next(self):
        return None if self.next_floor is None else self.next_floor - self.score

    @property
    def to_next_text(self):
        """ "12 points to "Close"", or "" in the top band."""
        if self.next_floor is None:
            return ""
        points = self.points_to_next
        return ngettext(
            "%(points)s point to “%(words)s”",
            "%(points)s points to “%(words)s”",
            points,
        ) % {"points": points, "words": self.next_words}


def fit_of(score):
    """The band of an engine score (0–100)."""
    higher = None
    for floor, key, words, meaning in FIT_BANDS:
        if score >= floor:
            return Fit(
                score=score,
                key=key,
                words=str(words),
                meaning=str(meaning),
                next_floor=None if higher is None else higher[0],
                next_words="" if higher is None else str(higher[2]),
            )
        higher = (floor, key, words, meaning)
    floor, key, words, meaning = FIT_BANDS[-1]
    return Fit(score=score, key=key, words=str(words), meaning=str(meaning), next_floor=None)


def fit_words(score):
    """The engine's score (0–100) in words."""
    return fit_of(score).words


def is_good_fit(score):
    """Worth applying now: "Close" or better."""
    return score >= FIT_BANDS[1][0]
