"""Normalize extracted records into contract-shaped Polars frames.

Two jobs: (1) give every actor mention a canonical entity that joins across articles (surname → the
full name the article introduced, titles stripped, capitals used as actors → their country, aliases
and acronyms merged, from reference data in ``seeds/``); (2) shape dimension and fact frames that
conform to ``schemas/``. Pure functions over records and frames: no I/O besides reading seeds once.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache

import polars as pl

from whosaid.contracts import contract
from whosaid.nlp.records import Actor, ArticleExtraction, Mention
from whosaid.settings import SEEDS_DIR

PRONOUNS = frozenset(
    "i me my we us our he him his she her it its they them their this that who which".split()
)
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_EDGE_JUNK = " \t\r\n\"'“”‘’«»()[]{},.;:!?-–—"
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class EntityRef:
    canonical_name: str
    entity_type: str
    country_code: str | None

    @property
    def entity_key(self) -> str:
        return self.canonical_name.casefold()

    @property
    def entity_id(self) -> int:
        return stable_id(self.entity_key)


def stable_id(natural_key: str) -> int:
    """A positive BIGINT derived from a natural key, so every run and every worker agrees on it.

    52 bits: BI front ends (Metabase, Superset) handle ids as JavaScript numbers, exact only below
    2**53. Collision odds stay below 1e-4 up to a million keys per table.
    """
    return int(hashlib.sha256(natural_key.encode("utf-8")).hexdigest()[:13], 16)


# ---- reference data ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Reference:
    aliases: dict[str, EntityRef]  # casefolded alias → entity, for any role
    actor_aliases: dict[str, EntityRef]  # capitals: only when the place acts (speaks, accuses)
    titles: frozenset[str]
    institutions: tuple[tuple[str, str, str], ...]  # (keyword, template, entity_type), longest first
    roles: dict[str, str]  # casefolded role as written → canonical role


def _split(cell: str) -> list[str]:
    return [part.strip() for part in (cell or "").split("|") if part.strip()]


@lru_cache(maxsize=1)
def reference() -> Reference:
    aliases: dict[str, EntityRef] = {}
    actor_aliases: dict[str, EntityRef] = {}
    with open(SEEDS_DIR / "countries.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            country = EntityRef(row["country"], "GPE", row["alpha3"])
            for name in [row["country"], *_split(row["aliases"]), *_split(row["demonym"])]:
                aliases[name.casefold()] = country
            actor_aliases[row["capital"].casefold()] = country
    with open(SEEDS_DIR / "entity_aliases.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            aliases[row["alias"].casefold()] = EntityRef(
                row["canonical_name"], row["entity_type"], row["country_code"] or None
            )
    with open(SEEDS_DIR / "person_titles.csv", encoding="utf-8", newline="") as fh:
        titles = frozenset(row["title"].casefold() for row in csv.DictReader(fh))
    with open(SEEDS_DIR / "institutions.csv", encoding="utf-8", newline="") as fh:
        institutions = tuple(
            sorted(
                ((r["keyword"].casefold(), r["template"], r["entity_type"]) for r in csv.DictReader(fh)),
                key=lambda r: -len(r[0]),
            )
        )
    with open(SEEDS_DIR / "role_aliases.csv", encoding="utf-8", newline="") as fh:
        roles = {r["role"].casefold(): r["canonical_role"] for r in csv.DictReader(fh)}
    return Reference(aliases, actor_aliases, titles, institutions, roles)


def canonical_role(role: str) -> str:
    """'General Secretary' → 'Secretary General'; unknown roles keep their words, capitalized."""
    words = " ".join(role.split())
    known = reference().roles.get(words.casefold())
    if known:
        return known
    return " ".join(w if w.isupper() else w.capitalize() for w in words.split())


def institution_of_country(name: str) -> EntityRef | None:
    """'Chinese foreign ministry' → Ministry of Foreign Affairs of China (country CHN).

    A nationality or country name followed by an institution keyword from seeds/institutions.csv.
    """
    ref = reference()
    folded = name.casefold()
    for keyword, template, entity_type in ref.institutions:
        if not folded.endswith(keyword) or len(folded) == len(keyword):
            continue
        qualifier = folded[: -len(keyword)].strip()
        country = ref.aliases.get(qualifier) or ref.actor_aliases.get(qualifier)
        if country is None or country.entity_type != "GPE":
            continue
        return EntityRef(template.format(country=country.canonical_name), entity_type, country.country_code)
    return None


# ---- canonical names ---------------------------------------------------------------------------
def clean_name(text: str) -> str:
    """Strip possessives, leading articles, surrounding punctuation and inner line breaks."""
    name = " ".join(text.split()).strip(_EDGE_JUNK)
    name = _POSSESSIVE.sub("", name).strip(_EDGE_JUNK)
    return _LEADING_ARTICLE.sub("", name).strip(_EDGE_JUNK)


def strip_titles(name: str, titles: frozenset[str]) -> str:
    """'NATO General Secretary Mark Rutte' → 'Mark Rutte': keep what follows the last title word."""
    tokens = name.split()
    last_title = max((i for i, t in enumerate(tokens) if t.casefold() in titles), default=-1)
    rest = tokens[last_title + 1 :]
    return " ".join(rest) if rest else name


class PersonIndex:
    """Full person names an article introduces, looked up by their single name tokens.

    A surname (or, for names written family-name first, the given name) used alone later in the
    article refers to the full name — unless two full names share that token, then it is ambiguous.
    """

    def __init__(self, full_names: Iterable[str], acronyms: dict[str, str] | None = None):
        self.acronyms = acronyms or {}
        names = set(full_names)
        # "Crooked Hillary Clinton", "Miss Universe Alicia Machado": a longer name ending with a
        # shorter full name the article also uses is that person with an epithet or title.
        self._shorter = {a: b for a in names for b in names if a != b and a.endswith(" " + b)}
        by_token: dict[str, set[str]] = {}
        for full in {self.full_form(n) for n in names}:
            parts = full.split()
            for token in {parts[0], parts[-1]}:
                by_token.setdefault(token.casefold(), set()).add(full)
        self._by_token = {tok: next(iter(names)) for tok, names in by_token.items() if len(names) == 1}

    def full_form(self, name: str) -> str:
        """The article's plain form of a multi-word person name (epithets and titles dropped)."""
        shorter = self._shorter.get(name)
        while shorter is not None and shorter in self._shorter:
            shorter = self._shorter[shorter]
        return shorter or name

    def full_name(self, token: str) -> str | None:
        return self._by_token.get(token.casefold())

    @classmethod
    def from_mentions(cls, mentions: Sequence[Mention], body: str = "") -> "PersonIndex":
        titles = reference().titles
        names = []
        for m in mentions:
            if m.label != "PERSON":
                continue
            name = strip_titles(clean_name(m.text), titles)
            if len(name.split()) >= 2 and not any(ch.isdigit() for ch in name):
                names.append(name)
        return cls(names, acronyms_defined_in(body))


_ACRONYM_DEFINITION = re.compile(r"((?:[A-Z][\w&'’.-]*\s+)(?:(?:of|the|and|for|on|[A-Z][\w&'’.-]*)\s+)*[A-Z][\w&'’.-]*)\s+\(([A-Z][A-Z&.]{1,7})\)")


def acronyms_defined_in(body: str) -> dict[str, str]:
    """'the Islamic Revolutionary Guard Corps (IRGC)' → {'irgc': 'Islamic Revolutionary Guard Corps'}.

    Only when the acronym's letters are the initials of the name's capitalized words, so a
    parenthesized aside is not taken for an acronym.
    """
    found: dict[str, str] = {}
    for m in _ACRONYM_DEFINITION.finditer(body):
        words = m.group(1).split()
        acronym = m.group(2).replace(".", "")
        for start in range(len(words)):
            tail = words[start:]
            initials = "".join(w[0] for w in tail if w[0].isupper())
            if initials == acronym and tail[0][0].isupper():
                found[acronym.casefold()] = " ".join(tail)
                break
    return found


def canonicalize(text: str, label: str, people: PersonIndex, as_actor: bool) -> EntityRef | None:
    """The canonical entity a mention refers to; None for pronouns and empty strings."""
    ref = reference()
    name = clean_name(text)
    if not name or name.casefold() in PRONOUNS:
        return None
    for key in (name.casefold(), name.casefold() + "."):  # "U.S." loses its final dot in cleaning
        if key in ref.aliases:
            return ref.aliases[key]
        if as_actor and key in ref.actor_aliases:
            return ref.actor_aliases[key]
    if name.casefold() in people.acronyms:
        name = people.acronyms[name.casefold()]
        if name.casefold() in ref.aliases:
            return ref.aliases[name.casefold()]
    institution = institution_of_country(name)
    if institution is not None:
        return institution
    if label == "PERSON":
        name = strip_titles(name, ref.titles)
    if label == "PERSON":
        name = people.full_form(name)
    if len(name.split()) == 1 and label in ("PERSON", "GPE", "ORG", "OTHER"):
        full = people.full_name(name)
        if full:
            return EntityRef(full, "PERSON", None)
    entity_type = label if label in ("PERSON", "ORG", "GPE", "NORP") else "OTHER"
    return EntityRef(name, entity_type, None)


def actor_entity(actor: Actor | None, mentions: Sequence[Mention], people: PersonIndex) -> EntityRef | None:
    """Resolve an extracted actor: prefer its named antecedent (ref), then the mention itself."""
    if actor is None:
        return None
    if actor.ref_text:
        label = _label_at(mentions, actor.ref_start, actor.ref_end) or actor.label
        found = canonicalize(actor.ref_text, label, people, as_actor=True)
        if found:
            return found
    label = _label_at(mentions, actor.start, actor.end) or actor.label
    return canonicalize(actor.text, label, people, as_actor=True)


def _label_at(mentions: Sequence[Mention], start: int | None, end: int | None) -> str | None:
    if start is None:
        return None
    for m in mentions:
        if m.start <= start and end <= m.end:
            return m.label
    return None


# ---- text normalization (separate columns; the body is never touched) ---------------------------
_QUOTE_MARKS = {"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'", "‛": "'"}


def normalized_text(col: pl.Expr) -> pl.Expr:
    """Whitespace collapsed and curly quote marks made straight."""
    for curly, straight in _QUOTE_MARKS.items():
        col = col.str.replace_all(curly, straight, literal=True)
    return col.str.replace_all(r"\s+", " ").str.strip_chars()


def charge_normalized(col: pl.Expr) -> pl.Expr:
    return normalized_text(col).str.replace_all(r"[\"']", "").str.to_lowercase()


# ---- frames ------------------------------------------------------------------------------------
@dataclass
class Frames:
    """One frame per warehouse table, each conforming to its contract."""

    tables: dict[str, pl.DataFrame]

    def __getitem__(self, name: str) -> pl.DataFrame:
        return self.tables[name]


def build_frames(
    articles: Sequence[object],
    extractions: Sequence[ArticleExtraction],
    run_id: str,
    spacy_model: str,
    extractor_version: str,
) -> Frames:
    """Shape extracted records into contract-conforming frames for every content table.

    ``articles`` are ingest.RawArticle records; only those with an extraction are shaped.
    """
    by_key = {e.article_key: e for e in extractions}
    article_rows, uri_rows, mention_rows, quote_rows, acc_rows, denial_rows = [], [], [], [], [], []
    affiliation_rows: dict[tuple[int, int, str], dict] = {}
    person_country: dict[str, str] = {}
    entities: dict[str, EntityRef] = {}
    entity_labels: dict[str, Counter] = {}

    def entity_id_of(ref: EntityRef | None, label_hint: str | None = None) -> int | None:
        if ref is None:
            return None
        entities.setdefault(ref.entity_key, ref)
        entity_labels.setdefault(ref.entity_key, Counter())[label_hint or ref.entity_type] += 1
        return ref.entity_id

    seen_articles: set[str] = set()
    for art in articles:
        ex = by_key.get(art.article_key)
        if ex is None:
            continue
        article_id = stable_id(art.article_key)
        uri_rows.append({"article_id": article_id, "uri": art.uri, "first_run_id": run_id})
        if art.article_key in seen_articles:
            continue
        seen_articles.add(art.article_key)
        published = _utc_naive(art.published_at)
        article_rows.append(
            {
                "article_id": article_id,
                "article_key": art.article_key,
                "uri": art.uri,
                "title": art.title,
                "published_at": published,
                "published_date": published.date() if published else None,
                "published_raw": art.published_raw,
                "outlet": art.outlet,
                "author": art.author,
                "source_id": art.source_id,
                "source_format": art.source_format,
                "body": art.body,
                "body_chars": len(art.body),
                "n_tokens": ex.n_tokens,
                "n_sentences": len(ex.sentences),
                "extractor_version": extractor_version,
                "spacy_model": spacy_model,
                "run_id": run_id,
            }
        )
        people = PersonIndex.from_mentions(ex.mentions, art.body)
        for m in ex.mentions:
            ref = canonicalize(m.text, m.label, people, as_actor=False)
            if ref is None:
                continue
            mention_rows.append(
                {
                    "article_id": article_id,
                    "mention_index": m.mention_index,
                    "entity_id": entity_id_of(ref, m.label if ref.entity_type == "PERSON" else None),
                    "mention_text": m.text,
                    "mention_start": m.start,
                    "mention_end": m.end,
                    "label": m.label,
                    "sent_index": m.sent_index,
                }
            )
        for q in ex.quotes:
            sp = q.speaker
            quote_rows.append(
                {
                    "article_id": article_id,
                    "quote_index": q.quote_index,
                    "speaker_entity_id": entity_id_of(actor_entity(sp, ex.mentions, people)),
                    "speaker_text": sp.text if sp else None,
                    "speaker_start": sp.start if sp else None,
                    "speaker_end": sp.end if sp else None,
                    "speaker_ref_text": sp.ref_text if sp else None,
                    "speaker_ref_start": sp.ref_start if sp else None,
                    "speaker_ref_end": sp.ref_end if sp else None,
                    "cue": q.cue_text,
                    "cue_lemma": q.cue_lemma,
                    "cue_start": q.cue_start,
                    "cue_end": q.cue_end,
                    "content": q.content_text,
                    "content_start": q.content_start,
                    "content_end": q.content_end,
                    "quote_kind": q.kind,
                    "confidence": q.confidence,
                    "sent_index": q.sent_index,
                }
            )
        for i, a in enumerate(ex.accusations):
            acc_rows.append(
                {
                    "article_id": article_id,
                    "accusation_index": i,
                    "accuser_entity_id": entity_id_of(actor_entity(a.accuser, ex.mentions, people)),
                    "accused_entity_id": entity_id_of(actor_entity(a.accused, ex.mentions, people)),
                    "accuser_text": a.accuser.text,
                    "accuser_start": a.accuser.start,
                    "accuser_end": a.accuser.end,
                    "accused_text": a.accused.text,
                    "accused_start": a.accused.start,
                    "accused_end": a.accused.end,
                    "charge": a.charge_text,
                    "charge_start": a.charge_start,
                    "charge_end": a.charge_end,
                    "cue": a.cue_text,
                    "cue_lemma": a.cue_lemma,
                    "cue_start": a.cue_start,
                    "cue_end": a.cue_end,
                    "cameo_code": a.cameo_code,
                    "stance": a.stance,
                    "confidence": a.confidence,
                    "evidence_start": a.evidence_start,
                    "evidence_end": a.evidence_end,
                    "quote_index": a.quote_index,
                }
            )
        article_accusations = acc_rows[len(acc_rows) - len(ex.accusations):]
        for i, d in enumerate(ex.denials):
            denier_id = entity_id_of(actor_entity(d.denier, ex.mentions, people))
            denial_rows.append(
                {
                    "article_id": article_id,
                    "denial_index": i,
                    "denier_entity_id": denier_id,
                    "denier_text": d.denier.text,
                    "denier_start": d.denier.start,
                    "denier_end": d.denier.end,
                    "charge": d.charge_text,
                    "charge_start": d.charge_start,
                    "charge_end": d.charge_end,
                    "cue": d.cue_text,
                    "cue_start": d.cue_start,
                    "cue_end": d.cue_end,
                    "evidence_start": d.evidence_start,
                    "evidence_end": d.evidence_end,
                    "quote_index": d.quote_index,
                    "answers_accusation_index": answered_accusation(denier_id, d.charge_text, d.cue_start, article_accusations),
                }
            )

        for aff in ex.affiliations:
            person = canonicalize(aff.person_text, "PERSON", people, as_actor=True)
            org = canonicalize(aff.org_text, aff.org_label, people, as_actor=True)
            if person is None or org is None or person.entity_type != "PERSON" or org.entity_key == person.entity_key:
                continue
            role = canonical_role(aff.role) if aff.role else ""
            key = (entity_id_of(person), entity_id_of(org), role)
            affiliation_rows.setdefault(
                key,
                {
                    "person_entity_id": key[0],
                    "org_entity_id": key[1],
                    "role": role,
                    "org_country_code": org.country_code,
                    "first_article_id": article_id,
                    "evidence_start": min(aff.person_start, aff.org_start),
                    "evidence_end": max(aff.person_end, aff.org_end),
                },
            )
            if org.country_code and org.country_code != "IGO":
                person_country.setdefault(person.entity_key, org.country_code)

    entity_rows = [
        {
            "entity_id": ref.entity_id,
            "entity_key": key,
            "canonical_name": ref.canonical_name,
            "entity_type": _entity_type(ref, entity_labels.get(key)),
            "country_code": ref.country_code or person_country.get(key),
        }
        for key, ref in sorted(entities.items())
    ]
    quotes = _frame("fact_quote", quote_rows)
    quotes = quotes.with_columns(content_norm=normalized_text(pl.col("content")))
    accusations = _frame("fact_accusation", acc_rows)
    accusations = accusations.with_columns(charge_norm=charge_normalized(pl.col("charge")))
    from whosaid import dimensions  # here, not at the top: dimensions uses this module's stable_id

    dim_article = dimensions.with_dimension_keys(_frame("dim_article", article_rows))
    return Frames(
        {
            "dim_outlet": dimensions.dim_outlet(dim_article),
            "dim_date": dimensions.dim_date(dim_article),
            "dim_article": dim_article,
            "article_uri": _frame("article_uri", uri_rows).unique(["article_id", "uri"], keep="first", maintain_order=True),
            "dim_entity": _frame("dim_entity", entity_rows),
            "bridge_entity_affiliation": _frame("bridge_entity_affiliation", list(affiliation_rows.values())),
            "fact_mention": _frame("fact_mention", mention_rows),
            "fact_quote": contract("fact_quote").conform(quotes),
            "fact_accusation": contract("fact_accusation").conform(accusations),
            "fact_denial": _frame("fact_denial", denial_rows),
        }
    )


_WORD = re.compile(r"[a-z]{3,}")


def answered_accusation(denier_id: int | None, denied: str, denial_at: int, accusations: Sequence[dict]) -> int | None:
    """The accusation a denial answers: one against the denier, by shared charge words, else the
    nearest one before the denial (a denial usually follows the charge it rebuts)."""
    if denier_id is None:
        return None
    against = [a for a in accusations if a["accused_entity_id"] == denier_id]
    if not against:
        return None
    denied_words = set(_WORD.findall(denied.lower()))
    best = max(against, key=lambda a: len(denied_words & set(_WORD.findall(a["charge"].lower()))))
    if denied_words & set(_WORD.findall(best["charge"].lower())):
        return best["accusation_index"]
    before = [a for a in against if a["cue_start"] <= denial_at]
    return max(before, key=lambda a: a["cue_start"])["accusation_index"] if before else None


def _entity_type(ref: EntityRef, labels: Counter | None) -> str:
    """Reference data decides the type when it knows the entity; otherwise the most frequent label."""
    if ref.country_code or not labels:
        return ref.entity_type
    return labels.most_common(1)[0][0]


def _frame(table: str, rows: list[dict]) -> pl.DataFrame:
    """Rows → a frame with the contract's columns and types (columns not given are null)."""
    c = contract(table)
    schema = c.polars_schema
    if not rows:
        return c.empty_frame()
    present = [name for name in schema if name in rows[0]]
    frame = pl.DataFrame(rows, schema={name: schema[name] for name in present}, strict=False)
    missing = [pl.lit(None, dtype=schema[name]).alias(name) for name in schema if name not in present]
    return frame.with_columns(missing).select(list(schema))


def _utc_naive(value: datetime | None) -> datetime | None:
    """TIMESTAMP columns hold UTC without a zone (BI drivers handle plain TIMESTAMP best)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value
