"""Seed lexicons (CSV under ``seeds/lexicons/``) for the accusation and denial extractor.

* ``accusation_cues.csv`` — one row per cue: lemma (multi-word cues are "head lemma + child lemmas",
  e.g. ``hit back``, ``sound alarm``), part of speech, frame (how the arguments are found), where the
  target and the charge sit in the parse, CAMEO code, base confidence, and whether a row needs a charge.
* ``charge_terms.csv`` — charge terms as lemma sequences → CAMEO refinement (1121..1125), whether the
  term alone makes an implicit charge inside reported speech, and a kind (crime, insult, pejorative ...).
* ``denial_cues.csv`` — denial verbs, the claim nouns they reject, self-negation adverbs and the acts a
  self-negation must be about to count as a denial.
* ``gender_cues.csv`` (shared with the speaker resolver) — its first names tell a person NER labelled
  as an organization ("Lester Holt" ORG) from a real organization, and with honorifics the gender
  "Mr. Clinton" / "him" needs.
* ``seeds/countries.csv``, ``entity_aliases.csv``, ``institutions.csv`` (:func:`load_actor_names`) —
  which NORP mentions name a nation or party, and which nouns make "the Saudi government" an actor.

Every lexicon word is also kept as a spaCy string hash (:meth:`Lexicons.hashes`) so the extractor can
find its candidate tokens from ``Doc.to_array`` without touching every token.

Loaded once per process (``lru_cache``); a directory can be passed for tests.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.strings import get_string_id

from whosaid.settings import SEEDS_DIR

LEXICON_DIR = SEEDS_DIR / "lexicons"

#: Verbs that introduce reported speech (used to find the speaker of a clause when no Quote covers it).
SPEECH_VERBS = frozenset(
    """say tell add continue state argue insist warn write tweet declare note explain contend assert
    maintain stress emphasize emphasise suggest announce reply respond remark comment observe
    acknowledge admit claim charge allege complain told""".split()
)


#: Verbs by which a speaker turns to someone, who is then the "you" of the speaker's quotes
#: ("Warren told Stumpf: 'You should resign'", "McCaskill scolded him: '... against you'").
ADDRESS_VERBS = frozenset(
    """tell ask scold grill press question berate confront chide challenge admonish lecture rebuke
    reprimand upbraid interrogate quiz hammer lambaste lambast tweet""".split()
)


#: Nouns that name a person's role, so "the senator" / "the Wells Fargo CEO" can be resolved to the
#: person the article introduced with it ("Sen. Ted Cruz", "Wells Fargo CEO John Stumpf"). Only these:
#: "social media, Twitter" must not make "the media" a person.
PERSON_ROLE_NOUNS = frozenset(
    """senator representative congressman congresswoman lawmaker legislator governor mayor president
    secretary minister chancellor premier ambassador envoy diplomat spokesman spokeswoman spokesperson
    chairman chairwoman chair director chief ceo executive founder judge justice attorney lawyer
    prosecutor sheriff commissioner candidate nominee challenger incumbent leader host anchor moderator
    commentator columnist editor reporter correspondent adviser advisor aide strategist manager
    pollster economist professor scholar general admiral commander king queen prince pope bishop
    billionaire businessman businesswoman mogul tycoon activist speaker whip treasurer inspector
    detective officer physician doctor surgeon coach owner""".split()
)

#: punishments a speaker can demand for someone: "Y should be prosecuted" accuses Y
PUNITIVE_VERBS = frozenset("investigate prosecute indict jail imprison arrest impeach punish fire sanction charge".split())

#: news agencies credited after a dateline ("LONDON (Reuters) -"), as they are written
WIRE_AGENCIES: tuple[str, ...] = ("AP", "Reuters", "AFP", "UPI", "CNN", "Bloomberg")


@dataclass(frozen=True, slots=True)
class LexiconHashes:
    """Lexicon words as sorted uint64 spaCy string hashes (compared with ``Doc.to_array``)."""

    cue_heads: np.ndarray
    charge_words: np.ndarray
    punitive: np.ndarray
    denials: np.ndarray


def _hash_array(words) -> np.ndarray:
    return np.array(sorted({get_string_id(w) for w in words}), dtype=np.uint64)


@dataclass(frozen=True, slots=True)
class Cue:
    cue: str  # as written in the CSV, e.g. "hit back"
    head: str  # head lemma ("hit")
    parts: tuple[str, ...]  # further lemmas that must hang off the head ("back",)
    pos: str  # VERB | NOUN | ADJ
    frame: str
    targets: tuple[str, ...]  # e.g. ("dobj", "prep:on")
    charges: tuple[str, ...]  # e.g. ("prep:for", "dobj")
    cameo: str
    confidence: float
    requires_charge: bool


@dataclass(frozen=True, slots=True)
class ChargeTerm:
    term: tuple[str, ...]
    cameo: str  # "" when the term does not refine the code
    implicit: bool
    kind: str


@dataclass(slots=True)
class Lexicons:
    cues: dict[tuple[str, str], list[Cue]] = field(default_factory=dict)  # (head lemma, pos) -> cues
    special: dict[str, Cue] = field(default_factory=dict)  # "@possessed_charge" -> cue
    charge_terms: list[ChargeTerm] = field(default_factory=list)
    charge_index: dict[str, list[ChargeTerm]] = field(default_factory=dict)  # first word -> terms
    charge_order: dict[int, int] = field(default_factory=dict)  # id(term) -> CSV row (stable output order)
    denial_verbs: dict[str, str] = field(default_factory=dict)  # lemma (or "brush off") -> frame
    claim_nouns: frozenset[str] = frozenset()
    negators: frozenset[str] = frozenset()
    denial_acts: frozenset[str] = frozenset()
    first_names: frozenset[str] = frozenset()  # lower case, gender_cues.csv + given_names.txt (NER label repair)
    first_name_gender: dict[str, str] = field(default_factory=dict)  # "hillary" -> "f"
    honorific_gender: dict[str, str] = field(default_factory=dict)  # "mr." -> "m"
    _cue_heads: frozenset[str] | None = None
    _hashes: "LexiconHashes | None" = None

    @property
    def cue_heads(self) -> frozenset[str]:
        """Every cue head lemma: a token whose lemma is not here starts no explicit cue."""
        heads = self._cue_heads
        if heads is None:
            heads = self._cue_heads = frozenset(h for h, _ in self.cues)
        return heads

    def hashes(self) -> "LexiconHashes":
        """The lexicon words as spaCy string hashes, to find candidate tokens in a Doc's arrays."""
        if self._hashes is None:
            denial_words = {k.split()[0] for k in self.denial_verbs} | set(self.negators)
            self._hashes = LexiconHashes(
                cue_heads=_hash_array(self.cue_heads),
                charge_words=_hash_array(self.charge_index),
                punitive=_hash_array(PUNITIVE_VERBS),
                denials=_hash_array(denial_words),
            )
        return self._hashes

    def cues_for(self, lemma: str, pos: str) -> list[Cue]:
        return self.cues.get((lemma, pos), [])

    def frame_lemmas(self, frame: str) -> frozenset[str]:
        return frozenset(c.head for cs in self.cues.values() for c in cs if c.frame == frame)


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


def term_key(text: str) -> tuple[str, ...]:
    """Normalize a CSV term the way charge phrases are normalized: lower case, split on space/hyphen."""
    return tuple(w for w in text.lower().replace("-", " ").split() if w not in {"the", "a", "an"})


@lru_cache(maxsize=4)
def load_lexicons(directory: Path | str = LEXICON_DIR) -> Lexicons:
    d = Path(directory)
    lex = Lexicons()
    with open(d / "accusation_cues.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            words = row["cue"].strip().lower().split()
            cue = Cue(
                cue=row["cue"].strip(),
                head=words[0],
                parts=tuple(words[1:]),
                pos=row["pos"].strip().upper(),
                frame=row["frame"].strip(),
                targets=_split(row["target"]),
                charges=_split(row["charge"]),
                cameo=(row["cameo"] or "").strip(),
                confidence=float(row["confidence"] or 0.0),
                requires_charge=(row.get("requires_charge") or "0").strip() == "1",
            )
            if cue.head.startswith("@"):
                lex.special[cue.head] = cue
            else:
                lex.cues.setdefault((cue.head, cue.pos), []).append(cue)
    # Longer multi-word cues first, so "hit back" wins over a bare "hit" (none today, but cheap).
    for key in lex.cues:
        lex.cues[key].sort(key=lambda c: -len(c.parts))

    with open(d / "charge_terms.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            lex.charge_terms.append(
                ChargeTerm(
                    term=term_key(row["term"]),
                    cameo=(row["cameo"] or "").strip(),
                    implicit=(row["implicit"] or "0").strip() == "1",
                    kind=(row["kind"] or "").strip(),
                )
            )

    for j, ct in enumerate(lex.charge_terms):
        lex.charge_order[id(ct)] = j
        if ct.term:
            lex.charge_index.setdefault(ct.term[0], []).append(ct)

    claim_nouns, negators, acts = set(), set(), set()
    with open(d / "denial_cues.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            cue, frame = row["cue"].strip().lower(), row["frame"].strip()
            if frame in ("deny", "reject_claim"):
                lex.denial_verbs[cue] = frame
            elif frame == "claim_noun":
                claim_nouns.add(cue)
            elif frame == "self_negation":
                negators.add(cue)
            elif frame == "act":
                acts.add(cue)
    lex.claim_nouns, lex.negators, lex.denial_acts = frozenset(claim_nouns), frozenset(negators), frozenset(acts)
    gender_cues = d / "gender_cues.csv"
    if gender_cues.is_file():  # shared with the speaker resolver
        with open(gender_cues, newline="", encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                token, gender = r["token"].strip().lower(), (r.get("gender") or "").strip()
                if r.get("kind") == "first_name":
                    lex.first_name_gender.setdefault(token, gender)
                elif r.get("kind") == "honorific":
                    lex.honorific_gender.setdefault(token, gender)
            lex.first_names = frozenset(lex.first_name_gender)
    given = d / "given_names.txt"
    if given.is_file():  # ungendered given names: only for repairing a person the NER labelled ORG/GPE
        words = (ln.strip().lower() for ln in given.read_text(encoding="utf-8").splitlines())
        lex.first_names = lex.first_names | frozenset(w for w in words if w and not w.startswith("#"))
    return lex


@dataclass(frozen=True, slots=True)
class ActorNames:
    """Reference names the extractor checks actors against (read from ``seeds/*.csv``, the files
    ``whosaid.normalize`` canonicalizes with, without importing it: that pulls in Polars)."""

    groups: frozenset[str]  # casefolded names of nations, parties and organisations with an alias
    institution_keywords: frozenset[str]  # "government", "foreign ministry" ...
    parties: dict[str, str] = field(default_factory=dict)  # casefolded alias -> its party ("gop" -> "republican party")


@lru_cache(maxsize=4)
def load_actor_names(seeds_dir: Path | str = SEEDS_DIR) -> ActorNames:
    d = Path(seeds_dir)
    groups: set[str] = set()
    with open(d / "countries.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for cell in (row["country"], row["capital"], row["demonym"], row["aliases"]):
                groups |= {part.strip().casefold() for part in (cell or "").split("|") if part.strip()}
    parties: dict[str, str] = {}
    with open(d / "entity_aliases.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            alias = row["alias"].strip().casefold()
            if not alias:
                continue
            groups.add(alias)
            canonical = (row.get("canonical_name") or "").strip().casefold()
            if canonical.endswith(" party"):
                parties[alias] = canonical
    with open(d / "institutions.csv", newline="", encoding="utf-8") as fh:
        keywords = frozenset(row["keyword"].strip().casefold() for row in csv.DictReader(fh) if row["keyword"].strip())
    return ActorNames(frozenset(groups), keywords, parties)


def match_charge_terms(
    words: list[str], lex: Lexicons, kinds: set[str] | None = None, implicit_only: bool = False
) -> list[ChargeTerm]:
    """Charge terms occurring as contiguous subsequences of ``words`` (normalized lemmas or forms)."""
    out: list[ChargeTerm] = []
    n = len(words)
    seen: set[int] = set()
    # only terms whose first word occurs in the phrase (indexed: this runs for every candidate verb)
    for i, w in enumerate(words):
        for ct in lex.charge_index.get(w, ()):
            if id(ct) in seen or (kinds is not None and ct.kind not in kinds) or (implicit_only and not ct.implicit):
                continue
            k = len(ct.term)
            if tuple(words[i : i + k]) == ct.term:
                seen.add(id(ct))
                out.append(ct)
    out.sort(key=lambda ct: lex.charge_order[id(ct)])
    return out
