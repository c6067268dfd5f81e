"""The path planner: which modules and practice tests, in which order, lead one job-seeker to
the score read as "Ready" for a role. Pure: it reads only what it is given, never the database
(`college.guidance.paths` loads its input and keeps the plan as a path).

The steps of the planner are described in `college.guidance.paths`'s docstring: goals, a
greedy choice of the module that gains most, pruning of what the end state does not need, an
order that keeps prerequisites first, and the practice tests placed after what they verify.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from college import matching
from college.reference.fit import READY_FLOOR

GOOD_SCORE = READY_FLOOR  # a path aims at the fit read as "Ready"


def exact_score(candidate, target):
    """The engine's score before rounding, as a fraction (``matching.combine`` unrounded)."""
    parts = matching.compute_parts(candidate, target)
    return Fraction(
        *matching.score_fraction(
            parts.a, parts.weight_total, parts.b, parts.n, parts.k, parts.d, parts.c
        )
    )


def apply_steps(candidate, steps):
    for step in steps:
        candidate = matching.apply_step(candidate, step)
    return candidate


@dataclass(frozen=True)
class Plan:
    modules: tuple  # of matching.Step, in path order
    tests: tuple  # of (index after which it goes: -1 before all modules, matching.Step)
    target_score: int
    best_score: int


def prerequisite_closure(module_ids, prerequisites, passed):
    """The modules with every prerequisite not passed, transitively."""
    result = set()
    stack = list(module_ids)
    while stack:
        module_id = stack.pop()
        if module_id in result or module_id in passed:
            continue
        result.add(module_id)
        stack.extend(prerequisites.get(module_id, ()))
    return result


def _sort_key(step, ranks):
    return ranks.get(step.object_id, (10_000, step.slug))


def plan_path(
    candidate,
    target,
    *,
    modules,
    prerequisites,
    passed_modules=frozenset(),
    batteries=(),
    passed_batteries=frozenset(),
    ranks=None,
    own_module_ids=None,
):
    """The path for `candidate` toward `target` (see the module docstring).

    `modules`: {module id: Step} — the offers and every prerequisite they may need;
    `prerequisites`: {module id: ids of its direct prerequisites}; `batteries`: the test Steps
    offered; `ranks`: {module id: (position, slug)} for ties; `own_module_ids`: the modules of
    the programmes that prepare for the target role (None: every module counts as its own).
    A module of another role's programme is only chosen for what the role's own programmes
    cannot bring, is dropped first and comes after them in the order.
    """
    planner = _Planner(
        candidate,
        target,
        modules=modules,
        prerequisites=prerequisites,
        passed_modules=passed_modules,
        ranks=ranks or {},
        own_module_ids=own_module_ids,
    )
    goals = planner.goals()
    chosen = planner.prune(planner.choose(goals), goals)
    ordered, state = planner.order(planner.closure(chosen))
    return Plan(
        modules=tuple(ordered),
        tests=tuple(_place_tests(ordered, state, target, batteries, passed_batteries)),
        target_score=goals.target_score,
        best_score=goals.best_score,
    )


@dataclass(frozen=True)
class _Goals:
    """What a path must reach (step 3): the target score and the closable essential gaps."""

    target: object
    target_score: int
    best_score: int
    cap: Fraction  # rounded half up, this is target_score: points beyond it buy nothing
    closable: frozenset
    requirements: dict  # {skill id: the target's essential requirement}

    def open_essentials(self, state):
        return {
            pk
            for pk in self.closable
            if matching.skill_state(state.skills.get(pk), self.requirements[pk]) != matching.MATCHED
        }

    def are_met(self, state):
        score = matching.compute_score(state, self.target)
        return score >= self.target_score and not self.open_essentials(state)


class _Planner:
    """One planning: the candidate, the target and the modules on offer, with the steps of the
    module docstring (goals, greedy choice, pruning, order) as methods."""

    def __init__(
        self, candidate, target, *, modules, prerequisites, passed_modules, ranks, own_module_ids
    ):
        self.candidate = candidate
        self.target = target
        self.modules = modules
        self.prerequisites = prerequisites
        self.passed_modules = set(passed_modules)
        self.ranks = ranks
        self.own_module_ids = own_module_ids
        offers = sorted(
            (step for module_id, step in modules.items() if module_id not in self.passed_modules),
            key=lambda step: _sort_key(step, ranks),
        )
        self.offer_ids = [step.object_id for step in offers]

    def is_own(self, module_id):
        return self.own_module_ids is None or module_id in self.own_module_ids

    def rank(self, module_id):
        return _sort_key(self.modules[module_id], self.ranks)

    def closure(self, module_ids):
        return prerequisite_closure(module_ids, self.prerequisites, self.passed_modules)

    def state_of(self, module_ids):
        chosen = [self.modules[pk] for pk in module_ids if pk in self.modules]
        return apply_steps(
            self.candidate, sorted(chosen, key=lambda step: _sort_key(step, self.ranks))
        )

    def hours_of(self, module_ids):
        return sum(self.modules[pk].hours for pk in module_ids if pk in self.modules)

    def goals(self):
        best_state = self.state_of(self.closure(self.offer_ids))
        best_score = matching.compute_score(best_state, self.target)
        target_score = min(GOOD_SCORE, best_score)
        essential = [item for item in self.target.skills if item.importance == "essential"]
        closable = frozenset(
            item.skill_id
            for item in essential
            if matching.skill_state(best_state.skills.get(item.skill_id), item) == matching.MATCHED
            and matching.skill_state(self.candidate.skills.get(item.skill_id), item)
            != matching.MATCHED
        )
        return _Goals(
            target=self.target,
            target_score=target_score,
            best_score=best_score,
            cap=Fraction(target_score) - Fraction(1, 2),
            closable=closable,
            requirements={item.skill_id: item for item in essential},
        )

    def choose(self, goals):
        """Step 4: the greedy choice, bundle by bundle, until the goals are met or nothing helps."""
        chosen = []
        current = self.closure(chosen)
        state = self.state_of(current)
        while not goals.are_met(state):
            module_id = self._best_bundle(goals, chosen, current, state)
            if module_id is None:
                break
            chosen.append(module_id)
            current = self.closure(chosen)
            state = self.state_of(current)
        return chosen

    def _best_bundle(self, goals, chosen, current, state):
        """The module whose bundle closes the most gaps, then gains the most, per hour."""
        best = None
        now_open = goals.open_essentials(state)
        now_score = min(exact_score(state, self.target), goals.cap)
        for module_id in self.offer_ids:
            if module_id in chosen:
                continue
            bundle = self.closure([module_id]) - current
            if not bundle:
                continue
            after = self.state_of(current | bundle)
            closed = len(now_open - goals.open_essentials(after))
            gain = min(exact_score(after, self.target), goals.cap) - now_score
            if closed == 0 and gain <= 0:
                continue
            cost = max(self.hours_of(bundle), 1)
            key = (self.is_own(module_id), Fraction(closed, cost), gain / cost, -cost)
            rank = self.rank(module_id)
            if best is None or key > best[0] or (key == best[0] and rank < best[1]):
                best = (key, rank, module_id)
        return None if best is None else best[2]

    def prune(self, chosen, goals):
        """Step 5: drop each module the goals hold without: another role's programme first,
        then the longest, then the last in the catalogue."""
        pruning_order = sorted(
            chosen,
            key=lambda pk: (not self.is_own(pk), self.modules[pk].hours, self.rank(pk)),
            reverse=True,
        )
        for module_id in pruning_order:
            without = [pk for pk in chosen if pk != module_id]
            if goals.are_met(self.state_of(self.closure(without))):
                chosen = without
        return chosen

    def order(self, module_ids):
        """Step 6: the modules in path order, with the state reached after the last.

        Prerequisites first; among the ready ones, the biggest gain from here."""
        ordered = []
        remaining = set(module_ids)
        state = self.candidate
        while remaining:
            ready = [
                pk
                for pk in remaining
                if not (set(self.prerequisites.get(pk, ())) & remaining - {pk})
            ]
            if not ready:  # a cycle in the catalogue: break it by position
                ready = [min(remaining, key=self.rank)]
            base = exact_score(state, self.target)
            next_id = min(
                ready, key=lambda pk, base=base, state=state: self._order_key(pk, state, base)
            )
            ordered.append(self.modules[next_id])
            state = matching.apply_step(state, self.modules[next_id])
            remaining.discard(next_id)
        return ordered, state

    def _order_key(self, module_id, state, base):
        step = self.modules[module_id]
        gain = exact_score(matching.apply_step(state, step), self.target) - base
        return (not self.is_own(module_id), -gain, step.hours, _sort_key(step, self.ranks))


def _place_tests(ordered, state, target, batteries, passed_batteries):
    """Step 7: the practice tests for what `state` still only holds declared or validated, as
    (index of the module after which each goes, Step)."""
    to_verify = set()
    for requirement in target.skills:
        held = state.skills.get(requirement.skill_id)
        if held is None or held.evidence in ("self_declared", "counsellor_validated"):
            to_verify.add(requirement.skill_id)
    offered_tests = [step for step in batteries if step.object_id not in passed_batteries]
    # Stable: batteries come in catalogue order, the most useful first.
    offered_tests.sort(key=lambda step: -len(step.skill_ids & to_verify))
    covered = set()
    tests = []
    for step in offered_tests:
        new = (step.skill_ids & to_verify) - covered
        if not new:
            continue
        covered |= new
        after = -1
        for index, module in enumerate(ordered):
            if module.skill_ids & step.skill_ids:
                after = index
        tests.append((after if after >= 0 else len(ordered) - 1, step))
    tests.sort(key=lambda item: item[0])
    return tests


def plan_sequence(plan):
    """The plan's steps in path order: each test right after its module (or at the end)."""
    sequence = []
    by_index = {}
    for index, step in plan.tests:
        by_index.setdefault(index, []).append(step)
    sequence.extend(by_index.get(-1, []))
    for index, step in enumerate(plan.modules):
        sequence.append(step)
        sequence.extend(by_index.get(index, []))
    return sequence
