"""Typed records the extractors yield.

Every span is a pair of 0-based Python string offsets into the article body (``body[start:end]``),
because the warehouse promises analysts that evidence can be cut out of ``dim_article.body`` verbatim.
Records are plain dataclasses so they travel through Prefect/Dask (pickle) and become Polars rows
with ``dataclasses.asdict``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: spaCy entity labels that can be actors (speakers, accusers, accused).
ACTOR_LABELS = ("PERSON", "ORG", "GPE", "NORP")

#: quote_kind values (the warehouse contract's accepted_values).
QUOTE_KINDS = ("direct", "indirect", "mixed")

#: accusation stance values.
STANCES = ("asserted", "negated", "hypothetical", "denied")


@dataclass(slots=True)
class Sentence:
    sent_index: int
    start: int
    end: int


@dataclass(slots=True)
class Mention:
    """A named-entity mention (spaCy NER, labels in ACTOR_LABELS)."""

    mention_index: int
    start: int
    end: int
    text: str
    label: str
    sent_index: int


@dataclass(slots=True)
class Actor:
    """Who a speaker/accuser/accused span refers to.

    ``start/end/text`` is the mention the attribution actually uses in the text (may be a pronoun,
    a surname, or a role such as "the spokesman"). ``ref_*`` is the named mention it resolves to
    (the antecedent), equal to the mention itself when it is already a name; ``None`` when it
    cannot be resolved. ``label`` is PERSON/ORG/GPE/NORP, or OTHER for unnamed actors.
    """

    start: int
    end: int
    text: str
    label: str = "OTHER"
    ref_start: int | None = None
    ref_end: int | None = None
    ref_text: str | None = None


@dataclass(slots=True)
class Quote:
    quote_index: int
    speaker: Actor | None
    cue_start: int | None
    cue_end: int | None
    cue_text: str | None
    cue_lemma: str | None
    content_start: int
    content_end: int
    content_text: str
    kind: str  # one of QUOTE_KINDS
    confidence: float
    sent_index: int


@dataclass(slots=True)
class Accusation:
    accuser: Actor
    accused: Actor
    charge_start: int
    charge_end: int
    charge_text: str
    cue_start: int
    cue_end: int
    cue_text: str
    cue_lemma: str
    cameo_code: str
    stance: str  # one of STANCES
    confidence: float
    evidence_start: int  # the sentence holding the accusation
    evidence_end: int
    quote_index: int | None = None  # the quote it came from, if any


@dataclass(slots=True)
class Denial:
    denier: Actor
    charge_start: int
    charge_end: int
    charge_text: str
    cue_start: int
    cue_end: int
    cue_text: str
    evidence_start: int
    evidence_end: int
    quote_index: int | None = None


@dataclass(slots=True)
class Affiliation:
    """A person's role in an organization or country, as the text states it.

    "NATO Secretary General Mark Rutte" and "Guo Jiakun, spokesman for the Chinese foreign
    ministry" both say who the person works for; BI rolls a spokesman's words up to his government.
    """

    person_start: int
    person_end: int
    person_text: str
    role: str  # the role words as written ("General Secretary", "spokesman"), may be empty
    org_start: int
    org_end: int
    org_text: str
    org_label: str  # ORG, GPE, NORP or OTHER (an unnamed institution such as "the foreign ministry")
    sent_index: int


@dataclass(slots=True)
class ArticleExtraction:
    """Everything the NLP stage found in one article."""

    article_key: str
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    accusations: list[Accusation] = field(default_factory=list)
    denials: list[Denial] = field(default_factory=list)
    affiliations: list[Affiliation] = field(default_factory=list)
    n_tokens: int = 0
