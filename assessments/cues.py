"""Option-form cues: can a candidate find the key without reading the question?

A test-wise candidate who does not know the answer picks by the options' form: the longest
one, the one that repeats the most words of the question or passage, the one that looks
unlike the others, the one without "always" or "never"… Each such heuristic is a *strategy*
here: from an item's options alone it gives the probability of choosing each option (ties
share it). Its success on a set of items is compared with chance, 1 ÷ the number of options.

Item level (`item_cues`), the rules an item must keep to be reviewed or put live:
    length      with options written as sentences (a mean of at least MIN_SENTENCE_LENGTH
                characters), every option within ±LENGTH_TOLERANCE (15 %) of the item's mean
                option length, in every language it is written in;
    absolute    no absolute word ("always", "never", "toujours", "nooit"…) in a wrong option
                when the key has none: such words give distractors away. Not checked when the
                question itself uses such words (a syllogism about "all" and "none").
    An item may still have its key longest or sharing most words with the question: that
    happens by chance for one item in four. Those are warnings; the section checks that it
    does not happen more often than chance.

Mark the suspicious parts (`mark_report`): no option is "the key", but a candidate could mark
the longest part of an e-mail or a log (a long link, a long log line) without reading it. Over a
section's mark items, the longest part must not be a suspicious one more often than chance (the
mean share of suspicious parts) plus SECTION_TOLERANCE.

Section level (`section_report`), over the items a battery's section draws from, in one
language: each strategy's hit rate (the key chosen) and, for situational judgement, its mean
credit, against chance. A section is flagged when a strategy beats chance by more than
SECTION_TOLERANCE (10 percentage points), on hits or on credit. The report also gives the
95 % binomial margin of a candidate's hit rate over the section's draw, so that staff see how
far luck alone moves one attempt.
"""

import functools
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

LENGTH_TOLERANCE = 0.15
MIN_SENTENCE_LENGTH = 20
SECTION_TOLERANCE = 0.10
Z_95 = 1.96

ABSOLUTE_WORDS = {
    "fr": {
        "toujours", "jamais", "aucun", "aucune", "rien", "tous", "toutes", "nul", "nulle",
        "systématiquement", "forcément", "absolument", "uniquement", "obligatoirement",
    },
    "nl": {
        "altijd", "nooit", "alle", "allemaal", "niets", "niemand", "steeds", "uitsluitend",
        "absoluut", "sowieso",
    },
    "en": {
        "always", "never", "all", "none", "nothing", "nobody", "every", "everyone",
        "everything", "absolutely", "entirely", "completely",
    },
}  # fmt: skip
STOPWORDS = {
    "dans", "pour", "avec", "vous", "votre", "vos", "elle", "elles", "nous", "sont", "cette",
    "mais", "plus", "leur", "leurs", "être", "avoir", "fait", "faire", "qu'il", "lui",
    "voor", "naar", "niet", "maar", "heeft", "zijn", "haar", "deze", "wordt", "worden", "jouw",
    "over", "door", "ook", "that", "with", "your", "they", "them", "their", "from", "have",
    "this", "what", "when", "will", "into", "than", "then", "there", "were", "been",
}  # fmt: skip
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


class Strategy:
    LONGEST = "longest"
    SHORTEST = "shortest"
    MOST_OVERLAP = "most_overlap"
    ODD_ONE_OUT = "odd_one_out"
    NO_ABSOLUTE = "no_absolute"
    FIRST = "first"
    LAST = "last"


STRATEGY_LABELS = {
    Strategy.LONGEST: _("Choose the longest option"),
    Strategy.SHORTEST: _("Choose the shortest option"),
    Strategy.MOST_OVERLAP: _("Choose the option sharing most words with the question or text"),
    Strategy.ODD_ONE_OUT: _("Choose the option whose length stands out"),
    Strategy.NO_ABSOLUTE: _("Rule out options with “always”, “never”…"),
    Strategy.FIRST: _("Choose the first option as written"),
    Strategy.LAST: _("Choose the last option as written"),
}

PROBLEM_LABELS = {
    "length": _(
        "Option lengths are out of balance: every option should be within 15 %% of the "
        "item's mean option length (%(language)s)."
    ),
    "absolute": _(
        "A wrong option uses an absolute word (such as “always” or “never”) that the key "
        "does not (%(language)s)."
    ),
}
WARNING_LABELS = {
    "key_longest": _("The key is the longest option (%(language)s)."),
    "key_most_overlap": _("The key shares the most words with the question (%(language)s)."),
}


@dataclass(frozen=True)
class CueOption:
    label: str
    credit: float  # 0–1: 1 for the key; for situational judgement, its partial credit
    is_key: bool


@dataclass(frozen=True)
class CueItem:
    key: str
    language: str
    stem: str
    context: str  # the reading passage, if any
    options: tuple

    @property
    def chance(self):
        return 1 / len(self.options)

    @property
    def chance_credit(self):
        return math.fsum(option.credit for option in self.options) / len(self.options)


# Building CueItems from the bank's JSON entries or from the database ---------------------------


def credit_of(effectiveness=None, is_correct=False):
    if effectiveness is not None:
        return (min(max(effectiveness, 1), 4) - 1) / 3
    return 1.0 if is_correct else 0.0


def cue_item_from_entry(entry, language, passages=None):
    """The CueItem of a bank file's entry in `language`; None when it has no text options there
    (numeric, work style, figures) or is not written in that language."""
    options = entry.get("options") or []
    if entry.get("type") not in ("single_choice", "sjt") or len(options) < 2:
        return None
    if any(option.get("svg") or not option["label"].get(language) for option in options):
        return None
    passage = (passages or {}).get(entry.get("passage"), {})
    return CueItem(
        key=entry["key"],
        language=language,
        stem=entry["stem"].get(language, ""),
        context=passage.get("text", ""),
        options=tuple(
            CueOption(
                label=option["label"][language],
                credit=credit_of(option.get("effectiveness"), option.get("correct", False)),
                is_key=option.get("effectiveness") == 4 or option.get("correct") is True,
            )
            for option in options
        ),
    )


def cue_item_from_model(item, language, options=None):
    """The CueItem of an Item (options prefetched, or given) in `language` (a reading item: in
    its passage's language); None as above."""
    if item.passage_id:
        language = item.passage.language
    # Options given are taken in their order (as shown); else in the bank's order.
    options = list(options) if options is not None else sorted(item.options.all(), key=_position)
    if item.type not in ("single_choice", "sjt") or len(options) < 2:
        return None
    labels = [getattr(option, f"label_{language}", "") for option in options]
    if any(option.svg for option in options) or not all(label.strip() for label in labels):
        return None
    is_sjt = item.type == "sjt"
    return CueItem(
        key=item.key,
        language=language,
        stem=getattr(item, f"stem_{language}", ""),
        context=item.passage.text if item.passage_id else "",
        options=tuple(
            CueOption(
                label=label,
                credit=credit_of(option.effectiveness if is_sjt else None, option.is_correct),
                is_key=option.effectiveness == 4 if is_sjt else option.is_correct,
            )
            for option, label in zip(options, labels, strict=True)
        ),
    )


# Mark the suspicious parts ----------------------------------------------------------------------

MARK_LONGEST = "mark_longest"
MARK_STRATEGY_LABELS = {MARK_LONGEST: _("Mark the longest part")}


@dataclass(frozen=True)
class MarkReport:
    """How often the longest part of a mark item is a suspicious one, against chance."""

    item_count: int
    hit_rate: float
    chance: float
    tolerance: float = SECTION_TOLERANCE

    @property
    def hit_percent(self):
        return round(self.hit_rate * 100)

    @property
    def chance_percent(self):
        return round(self.chance * 100)

    @property
    def is_flagged(self):
        return self.item_count > 0 and self.hit_rate - self.chance > self.tolerance + 1e-9


def mark_parts_from_entry(entry, language):
    """A bank file's mark item as [(label, is_suspicious)] in `language`; None for other items."""
    if entry.get("type") != "mark":
        return None
    parts = [(option["label"].get(language, ""), option["correct"]) for option in entry["options"]]
    return parts if parts and all(label for label, _ in parts) else None


def mark_parts_from_model(item, language, options=None):
    """An Item of type mark as [(label, is_suspicious)] in `language`; None for other items."""
    if item.type != "mark":
        return None
    options = list(options) if options is not None else sorted(item.options.all(), key=_position)
    parts = [(getattr(option, f"label_{language}", ""), option.is_correct) for option in options]
    return parts if parts and all(label.strip() for label, _ in parts) else None


def mark_report(items, tolerance=SECTION_TOLERANCE):
    """`items`: lists of (label, is_suspicious). Marking the longest part (ties share) against
    the mean share of suspicious parts."""
    items = [parts for parts in items if parts]
    if not items:
        return MarkReport(item_count=0, hit_rate=0.0, chance=0.0, tolerance=tolerance)
    hits, chances = [], []
    for parts in items:
        lengths = [len(label) for label, _ in parts]
        longest = [index for index, length in enumerate(lengths) if length == max(lengths)]
        hits.append(sum(parts[index][1] for index in longest) / len(longest))
        chances.append(sum(suspicious for _, suspicious in parts) / len(parts))
    count = len(items)
    return MarkReport(
        item_count=count,
        hit_rate=math.fsum(hits) / count,
        chance=math.fsum(chances) / count,
        tolerance=tolerance,
    )


def _position(option):
    return (option.position, option.pk or 0)


# Form features ----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=65536)
def _plain(text):
    return unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode()


def words(text):
    return WORD.findall(text.casefold())


def content_stems(text):
    """The option's distinct content words, cut to five letters so that inflections match."""
    return {
        _plain(word)[:5]
        for word in words(text)
        if len(word) >= 4 and word not in STOPWORDS and _plain(word)
    }


def overlap(option, item):
    return len(content_stems(option.label) & content_stems(f"{item.stem} {item.context}"))


def absolute_words(text, language):
    return sorted(set(words(text)) & ABSOLUTE_WORDS.get(language, set()))


def length_spread(item):
    """The largest relative distance of an option's length from the item's mean length."""
    lengths = [len(option.label.strip()) for option in item.options]
    average = sum(lengths) / len(lengths)
    return max(abs(length - average) / average for length in lengths) if average else 0.0


def _uniform_over(indexes, count):
    indexes = list(indexes) or list(range(count))
    return [1 / len(indexes) if index in indexes else 0.0 for index in range(count)]


def _extreme(values, pick):
    best = pick(values)
    return [index for index, value in enumerate(values) if value == best]


def choice_probabilities(item, strategy):
    """What a candidate following `strategy` chooses: a probability per option (ties share)."""
    count = len(item.options)
    lengths = [len(option.label.strip()) for option in item.options]
    if strategy == Strategy.LONGEST:
        return _uniform_over(_extreme(lengths, max), count)
    if strategy == Strategy.SHORTEST:
        return _uniform_over(_extreme(lengths, min), count)
    if strategy == Strategy.MOST_OVERLAP:
        return _uniform_over(_extreme([overlap(o, item) for o in item.options], max), count)
    if strategy == Strategy.ODD_ONE_OUT:
        distances = []
        for index, length in enumerate(lengths):
            others = lengths[:index] + lengths[index + 1 :]
            distances.append(round(abs(length - sum(others) / len(others)), 6))
        return _uniform_over(_extreme(distances, max), count)
    if strategy == Strategy.NO_ABSOLUTE:
        plain = [
            index
            for index, option in enumerate(item.options)
            if not absolute_words(option.label, item.language)
        ]
        return _uniform_over(plain, count)
    if strategy == Strategy.FIRST:
        return _uniform_over([0], count)
    if strategy == Strategy.LAST:
        return _uniform_over([count - 1], count)
    raise ValueError(f"unknown strategy {strategy}")


def strategy_choice(item, strategy, rng):
    """The index of the option a candidate following `strategy` picks, ties broken by `rng`."""
    probabilities = choice_probabilities(item, strategy)
    return rng.choices(range(len(probabilities)), weights=probabilities)[0]


# Item level -------------------------------------------------------------------------------------


def key_rank(values, key_index):
    """The key's rank by `values`, 1 being the highest; ties share the mean of their ranks."""
    above = sum(1 for value in values if value > values[key_index])
    equal = sum(1 for value in values if value == values[key_index])
    return above + (equal + 1) / 2


@dataclass
class ItemCues:
    key: str
    language: str
    key_length_rank: float
    key_overlap_rank: float
    length_spread: float
    problems: list = field(default_factory=list)  # codes that keep an item from going live
    warnings: list = field(default_factory=list)

    def messages(self):
        values = {"language": self.language}
        return [PROBLEM_LABELS[code] % values for code in self.problems]

    def warning_messages(self):
        values = {"language": self.language}
        return [WARNING_LABELS[code] % values for code in self.warnings]


def item_cues(item):
    """The form cues of one CueItem: see the module's docstring."""
    key_index = next(index for index, option in enumerate(item.options) if option.is_key)
    lengths = [len(option.label.strip()) for option in item.options]
    overlaps = [overlap(option, item) for option in item.options]
    cues = ItemCues(
        key=item.key,
        language=item.language,
        key_length_rank=key_rank(lengths, key_index),
        key_overlap_rank=key_rank(overlaps, key_index),
        length_spread=length_spread(item),
    )
    if sum(lengths) / len(lengths) >= MIN_SENTENCE_LENGTH and cues.length_spread > (
        LENGTH_TOLERANCE + 1e-9
    ):
        cues.problems.append("length")
    key_has_absolute = bool(absolute_words(item.options[key_index].label, item.language))
    distractor_has_absolute = any(
        absolute_words(option.label, item.language) for option in item.options if not option.is_key
    )
    stem_has_absolute = bool(absolute_words(item.stem, item.language))
    if distractor_has_absolute and not key_has_absolute and not stem_has_absolute:
        cues.problems.append("absolute")
    if cues.key_length_rank == 1 and lengths.count(max(lengths)) == 1:
        cues.warnings.append("key_longest")
    if cues.key_overlap_rank == 1 and overlaps.count(max(overlaps)) == 1 and max(overlaps) > 0:
        cues.warnings.append("key_most_overlap")
    return cues


# Section level ----------------------------------------------------------------------------------


@dataclass
class StrategyResult:
    strategy: str
    hit_rate: float  # share of items where the strategy finds the key
    credit: float  # mean credit the strategy earns (= hit rate outside situational judgement)
    excess: float  # the larger of hit rate − chance and credit − chance credit
    is_flagged: bool

    @property
    def label(self):
        return STRATEGY_LABELS[self.strategy]

    @property
    def hit_percent(self):
        return round(self.hit_rate * 100)

    @property
    def excess_points(self):
        return round(self.excess * 100)


@dataclass
class SectionReport:
    language: str
    item_count: int = 0
    chance: float | None = None
    chance_credit: float | None = None
    margin: float | None = None  # 95 % binomial margin of one attempt's hit rate
    strategies: list = field(default_factory=list)
    key_length_ranks: dict = field(default_factory=dict)  # rank → items (ties rounded down)
    items: list = field(default_factory=list)  # ItemCues
    tolerance: float = SECTION_TOLERANCE

    @property
    def flagged_strategies(self):
        return [result for result in self.strategies if result.is_flagged]

    @property
    def problem_items(self):
        return [cues for cues in self.items if cues.problems]

    @property
    def is_flagged(self):
        return bool(self.flagged_strategies or self.problem_items)

    @property
    def chance_percent(self):
        return None if self.chance is None else round(self.chance * 100)

    @property
    def chance_credit_percent(self):
        return None if self.chance_credit is None else round(self.chance_credit * 100)

    @property
    def has_partial_credit(self):
        return self.chance_credit is not None and abs(self.chance_credit - self.chance) > 1e-9

    @property
    def margin_points(self):
        return None if self.margin is None else round(self.margin * 100)


def section_report(items, *, language, drawn=None, tolerance=SECTION_TOLERANCE):
    """How each strategy fares over `items` (CueItems), against chance.

    `drawn`: how many items one attempt draws from them, for the binomial margin (all of
    them when not given).
    """
    items = [item for item in items if item is not None]
    report = SectionReport(language=language, tolerance=tolerance)
    if not items:
        return report
    count = len(items)
    report.item_count = count
    report.chance = math.fsum(item.chance for item in items) / count
    report.chance_credit = math.fsum(item.chance_credit for item in items) / count
    draw = min(drawn or count, count)
    report.margin = Z_95 * math.sqrt(report.chance * (1 - report.chance) / draw)
    for strategy in STRATEGY_LABELS:
        hits, credits = [], []
        for item in items:
            probabilities = choice_probabilities(item, strategy)
            hits.append(
                math.fsum(
                    p
                    for p, option in zip(probabilities, item.options, strict=True)
                    if option.is_key
                )
            )
            credits.append(
                math.fsum(
                    p * option.credit for p, option in zip(probabilities, item.options, strict=True)
                )
            )
        hit_rate, credit = math.fsum(hits) / count, math.fsum(credits) / count
        excess = max(hit_rate - report.chance, credit - report.chance_credit)
        report.strategies.append(
            StrategyResult(
                strategy=strategy,
                hit_rate=hit_rate,
                credit=credit,
                excess=excess,
                is_flagged=excess > tolerance + 1e-9,
            )
        )
    report.items = [item_cues(item) for item in items]
    report.key_length_ranks = dict(
        sorted(Counter(int(cues.key_length_rank) for cues in report.items).items())
    )
    return report
