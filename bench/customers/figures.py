"""The population's figures, computed from plain per-customer results (pure functions, so a
hand-made example checks them).

- turns to purchase: the customer's messages and taps until the order is placed, over the
  buyers who bought (min / median / p90, nearest rank);
- bought: buyers (customers who came to buy) who placed an order;
- containment: customers who reached their goal without a person, over non-complainers;
- complaints to a person in the same turn: complainers whose complaint itself got them a
  person;
- repeated questions: times the bot asked again what the customer had just answered (a
  typed answer refused, a question taken for an answer);
- stuck: customers who reached no goal (turn limit, or nothing left to say), with the bot's
  last text; errors: journeys the product ended with an exception.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from bench.customers.journey import Journey


@dataclass(frozen=True)
class Result:
    name: str
    lang: str
    kind: str
    buyer: bool
    complainer: bool
    turns: int
    purchased_at: int | None
    handed_off: bool
    #: True/False for a complainer: did the complaint's own turn hand the conversation over?
    complaint_to_person_same_turn: bool | None
    stuck: bool
    error: bool
    last_step: str | None
    last_bot_text: str
    repeated_questions: int = 0
    #: The complaint and the bot's answer to it, for a complainer.
    complaint: str = ""
    complaint_reply: str = ""

    @property
    def reached_goal(self) -> bool:
        return self.handed_off if self.complainer else self.purchased_at is not None


@dataclass(frozen=True)
class Figures:
    customers: int
    buyers: int
    bought: int
    turns_min: int | None
    turns_median: float | None
    turns_p90: int | None
    non_complainers: int
    contained: int
    complainers: int
    complaints_to_person_same_turn: int
    stuck: int
    errors: int
    repeated_questions: int = 0

    @property
    def bought_share(self) -> float | None:
        return self.bought / self.buyers if self.buyers else None

    @property
    def containment(self) -> float | None:
        return self.contained / self.non_complainers if self.non_complainers else None


def result_of(journey: Journey) -> Result:
    persona = journey.persona
    complainer = persona.complainer
    same_turn = None
    complaint, reply = "", ""
    if complainer and journey.complaint_turns:
        same_turn = journey.handed_off_at == journey.complaint_turns[0]
        exchange = journey.transcript[journey.complaint_turns[0] - 1]
        complaint, reply = exchange.customer, "\n".join(exchange.bot)
    elif complainer:
        same_turn = False
    purchased = journey.purchased_at
    handed_off = journey.handed_off_at is not None
    return Result(
        name=persona.name,
        lang=persona.lang,
        kind=persona.kind.value,
        buyer=persona.buyer,
        complainer=complainer,
        turns=journey.turns,
        purchased_at=purchased,
        handed_off=handed_off,
        complaint_to_person_same_turn=same_turn,
        stuck=not journey.error and purchased is None and not handed_off,
        error=bool(journey.error),
        last_step=journey.last_step,
        last_bot_text=journey.last_bot_text,
        repeated_questions=journey.repeats,
        complaint=complaint,
        complaint_reply=reply,
    )


def nearest_rank(values: Sequence[int], share: float) -> int | None:
    """The smallest value with at least `share` of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(share * len(ordered))) - 1]


def figures(results: Sequence[Result]) -> Figures:
    buyers = [r for r in results if r.buyer]
    turns = [r.purchased_at for r in buyers if r.purchased_at is not None]
    non_complainers = [r for r in results if not r.complainer]
    complainers = [r for r in results if r.complainer]
    return Figures(
        customers=len(results),
        buyers=len(buyers),
        bought=len(turns),
        turns_min=min(turns) if turns else None,
        turns_median=statistics.median(turns) if turns else None,
        turns_p90=nearest_rank(turns, 0.9),
        non_complainers=len(non_complainers),
        contained=sum(1 for r in non_complainers if r.reached_goal and not r.handed_off),
        complainers=len(complainers),
        complaints_to_person_same_turn=sum(1 for r in complainers if r.complaint_to_person_same_turn),
        stuck=sum(1 for r in results if r.stuck),
        errors=sum(1 for r in results if r.error),
        repeated_questions=sum(r.repeated_questions for r in results),
    )


def figures_by_language(results: Sequence[Result]) -> dict[str, Figures]:
    """Figures per language present, then "all"."""
    langs = sorted({r.lang for r in results})
    by_lang = {lang: figures([r for r in results if r.lang == lang]) for lang in langs}
    return {**by_lang, "all": figures(results)}


def figures_by_kind(results: Sequence[Result]) -> dict[str, Figures]:
    """Figures per kind of customer, in the order the kinds first appear."""
    kinds = list(dict.fromkeys(r.kind for r in results))
    return {kind: figures([r for r in results if r.kind == kind]) for kind in kinds}
