"""Score accusation extraction against a hand-annotated gold file (``whosaid eval accusations GOLD``).

Gold file (JSONL, one object per line; ``tests/data/accusations_gold.jsonl``, described in
``tests/data/README.md``)::

    {"article": "...", "scope": "full"|"cues", "accuser": "China", "accused": "Mark Rutte",
     "charge": "misinformation that stoked confrontation", "charge_start": 35, "charge_end": 75,
     "evidence_start": 0, "evidence_end": 224, "note": "..."}

* ``article``: a PolNeAR dev text name (``NAME.txt``, read from ``../shared/corpora/polnear/dev/text``
  beside the repo), or a path relative to the repo (the seed article). Texts are never copied.
* ``accuser`` / ``accused``: canonical names; ``a|b`` lists spellings of the *same* entity.
* A record with ``accuser: null`` is a reviewed sentence that holds no accusation (a negative).
* ``scope: full`` — the article was read in full: every prediction in it is judged.
  ``scope: cues`` — only the sentences holding PolNeAR accusation-cue attributions were annotated:
  a prediction is judged only when its cue lies inside a record's evidence span.

Scoring (what the warehouse would show):
* Predictions are the extractor's asserted rows with confidence >= 0.5 (the ``v_accusations`` rule);
  actors go through ``whosaid.normalize.actor_entity`` with the article's ``PersonIndex``, and gold
  names through ``canonicalize`` the same way (so "Beijing" and "China", "Jiakun" and "Guo Jiakun"
  agree). A multi-word gold name the article never spells out is also accepted as its last word
  (the warehouse cannot know a full name the article does not give).
* **who+whom**: units are distinct (article, accuser, accused) pairs. Gold records whose names share a
  spelling are one unit. One-to-one maximum matching; names compared case-insensitively.
* **who+whom+what**: units are distinct charges of a pair: a pair's charges are clustered when their
  token sets overlap >= 0.3 (so "fanning the flames" and "fanning the flames and stoking
  confrontation" are one charge, however the extractor split or repeated it). A predicted unit
  matches a gold unit of the same pair when some predicted and some gold charge overlap >= 0.3.
  One-to-one maximum matching; a left-over predicted fragment that also overlaps a *found* gold charge
  of its pair (the extractor split one charge in two) is a repeat, not a false positive.
* Charge overlap = |A ∩ B| / min(|A|, |B|) over content tokens (lower-cased alphanumeric words,
  English stop words and punctuation removed — all its words if nothing else is left); 0 when either
  side is empty.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc

from whosaid.eval.polnear import PRF
from whosaid.settings import PROJECT_ROOT

CHARGE_OVERLAP = 0.3
MIN_CONFIDENCE = 0.5  # the v_accusations threshold
POLNEAR_DEV_TEXT = Path(PROJECT_ROOT).parent / "shared" / "corpora" / "polnear" / "dev" / "text"
SCOPES = ("full", "cues")

_WORD = re.compile(r"[a-z0-9]+")


# ------------------------------------------------------------------------------------- gold
@dataclass(slots=True)
class GoldRecord:
    article: str
    scope: str
    accuser: str | None
    accused: str | None
    charge: str | None
    charge_start: int | None
    charge_end: int | None
    evidence_start: int
    evidence_end: int
    note: str = ""

    @property
    def is_accusation(self) -> bool:
        return self.accuser is not None


class GoldError(ValueError):
    """The gold file is malformed; the message names the line and the problem."""


def load_gold(path: str | Path) -> list[GoldRecord]:
    """Parse and validate a gold JSONL file (every problem is reported with its line number)."""
    path = Path(path)
    if not path.is_file():
        raise GoldError(f"gold file not found: {path}")
    out: list[GoldRecord] = []
    scopes: dict[str, str] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldError(f"{path}:{n}: not JSON ({exc.msg})") from exc
        out.append(_gold_record(raw, f"{path}:{n}"))
        rec = out[-1]
        if scopes.setdefault(rec.article, rec.scope) != rec.scope:
            raise GoldError(f"{path}:{n}: article {rec.article} has records with different scopes")
    return out


def _gold_record(raw: object, where: str) -> GoldRecord:
    if not isinstance(raw, dict):
        raise GoldError(f"{where}: expected an object")
    missing = [k for k in ("article", "scope", "accuser", "accused", "evidence_start", "evidence_end") if k not in raw]
    if missing:
        raise GoldError(f"{where}: missing field(s) {', '.join(missing)}")
    if raw["scope"] not in SCOPES:
        raise GoldError(f"{where}: scope must be one of {SCOPES}, got {raw['scope']!r}")
    if (raw["accuser"] is None) != (raw["accused"] is None):
        raise GoldError(f"{where}: accuser and accused must both be set (an accusation) or both null (a negative)")
    if raw["accuser"] is not None and not (raw.get("charge") and isinstance(raw.get("charge_start"), int)):
        raise GoldError(f"{where}: an accusation needs charge, charge_start and charge_end")
    if not (isinstance(raw["evidence_start"], int) and isinstance(raw["evidence_end"], int)) or raw["evidence_start"] >= raw["evidence_end"]:
        raise GoldError(f"{where}: evidence_start/evidence_end must be integers with start < end")
    return GoldRecord(
        article=str(raw["article"]), scope=raw["scope"], accuser=raw["accuser"], accused=raw["accused"],
        charge=raw.get("charge"), charge_start=raw.get("charge_start"), charge_end=raw.get("charge_end"),
        evidence_start=raw["evidence_start"], evidence_end=raw["evidence_end"], note=raw.get("note") or "",
    )


def article_path(article: str, repo: Path = Path(PROJECT_ROOT), polnear_text: Path | None = None) -> Path:
    """Where an article's text lives: a repo-relative path, else a PolNeAR dev text name."""
    if "/" in article:
        return repo / article
    return (polnear_text or POLNEAR_DEV_TEXT) / article


def check_offsets(records: Sequence[GoldRecord], text: str) -> list[str]:
    """Problems with a record's offsets against its article text (charge must cut out verbatim)."""
    problems = []
    for r in records:
        if r.evidence_end > len(text):
            problems.append(f"{r.article}: evidence {r.evidence_start}-{r.evidence_end} beyond the text")
        if r.is_accusation and text[r.charge_start : r.charge_end] != r.charge:
            problems.append(f"{r.article}: charge {r.charge!r} is not at {r.charge_start}-{r.charge_end}")
    return problems


# ---------------------------------------------------------------------------------- metrics
def _stop_words() -> frozenset[str]:
    try:
        from spacy.lang.en.stop_words import STOP_WORDS
    except ImportError:  # pragma: no cover - spaCy is a dependency
        STOP_WORDS = set()
    return frozenset(STOP_WORDS) | {"s", "t", "nt"}


_STOP = _stop_words()


def charge_tokens(text: str | None) -> frozenset[str]:
    """Content tokens of a charge: lower-cased words, stop words and punctuation dropped."""
    if not text:
        return frozenset()
    words = _WORD.findall(text.lower().replace("’", "'").replace("'s", ""))
    content = frozenset(w for w in words if w not in _STOP)
    return content or frozenset(words)  # a charge of stop words only ("not doing so") keeps its words


def charge_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """|A ∩ B| / min(|A|, |B|): a short charge inside a longer phrasing counts as the same charge."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def max_matching(n_left: int, n_right: int, edge: Callable[[int, int], bool]) -> list[tuple[int, int]]:
    """Maximum one-to-one bipartite matching (augmenting paths; the sets here are small)."""
    adj = [[j for j in range(n_right) if edge(i, j)] for i in range(n_left)]
    match_r: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in adj[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in match_r or augment(match_r[j], seen):
                match_r[j] = i
                return True
        return False

    for i in range(n_left):
        augment(i, set())
    return sorted((i, j) for j, i in match_r.items())


@dataclass(slots=True)
class PairUnit:
    """One (article, accuser, accused) pair with every charge stated for it."""

    article: str
    accusers: frozenset[str]  # canonical spellings, casefolded
    accused: frozenset[str]
    charges: list[str] = field(default_factory=list)
    evidence: list[tuple[int, int]] = field(default_factory=list)
    label: str = ""  # for error listings

    def same_pair(self, other: "PairUnit") -> bool:
        return self.article == other.article and bool(self.accusers & other.accusers) and bool(self.accused & other.accused)


@dataclass(slots=True)
class ChargeUnit:
    pair: PairUnit
    charges: list[str]
    tokens: list[frozenset[str]]


def merge_pairs(units: Iterable[PairUnit]) -> list[PairUnit]:
    """Merge units naming the same pair (spellings shared on both sides) into one."""
    out: list[PairUnit] = []
    for u in units:
        for o in out:
            if o.same_pair(u):
                o.accusers |= u.accusers
                o.accused |= u.accused
                o.charges += u.charges
                o.evidence += u.evidence
                break
        else:
            out.append(PairUnit(u.article, u.accusers, u.accused, list(u.charges), list(u.evidence), u.label))
    return out


def charge_units(pair: PairUnit, threshold: float = CHARGE_OVERLAP) -> list[ChargeUnit]:
    """Cluster a pair's charges (single link on token overlap); an empty charge stays alone."""
    clusters: list[ChargeUnit] = []
    for ch in pair.charges:
        toks = charge_tokens(ch)
        home = None
        if toks:
            home = next((c for c in clusters if any(charge_overlap(toks, t) >= threshold for t in c.tokens)), None)
        if home is None:
            clusters.append(ChargeUnit(pair, [ch], [toks]))
        else:
            home.charges.append(ch)
            home.tokens.append(toks)
    return clusters


def score_pairs(preds: list[PairUnit], golds: list[PairUnit]) -> tuple[PRF, list[tuple[int, int]]]:
    m = max_matching(len(preds), len(golds), lambda i, j: preds[i].same_pair(golds[j]))
    return PRF(len(m), len(preds), len(golds)), m


def score_charges(
    preds: list[PairUnit], golds: list[PairUnit], threshold: float = CHARGE_OVERLAP
) -> tuple[PRF, list[ChargeUnit], list[ChargeUnit], list[tuple[int, int]]]:
    pc = [c for p in preds for c in charge_units(p, threshold)]
    gc = [c for g in golds for c in charge_units(g, threshold)]

    def edge(i: int, j: int) -> bool:
        return pc[i].pair.same_pair(gc[j].pair) and any(
            charge_overlap(a, b) >= threshold for a in pc[i].tokens for b in gc[j].tokens
        )

    m = max_matching(len(pc), len(gc), edge)
    # a leftover fragment of a charge that was found ("stoking confrontation" after "fanning the flames
    # and stoking confrontation" matched) repeats a true row: it is not counted as a false one
    found = {j for _, j in m}
    used = {i for i, _ in m}
    redundant = {i for i in range(len(pc)) if i not in used and any(j in found and edge(i, j) for j in range(len(gc)))}
    kept = [c for i, c in enumerate(pc) if i not in redundant]
    remap = {old: new for new, old in enumerate(i for i in range(len(pc)) if i not in redundant)}
    m = [(remap[i], j) for i, j in m]
    return PRF(len(m), len(kept), len(gc)), kept, gc, m


# -------------------------------------------------------------------------- canonical names
def _people(mentions, text: str):
    from whosaid.normalize import PersonIndex

    try:
        return PersonIndex.from_mentions(mentions, text)
    except TypeError:  # older signature without the body
        return PersonIndex.from_mentions(mentions)


def gold_names(spellings: str, text: str, people) -> frozenset[str]:
    """Canonical forms of a gold name's spellings; a full name absent from the text also as its surname."""
    from whosaid.normalize import canonicalize

    out: set[str] = set()
    low = text.casefold()
    for alt in (a.strip() for a in spellings.split("|")):
        if not alt:
            continue
        forms = [alt]
        words = alt.split()
        if len(words) > 1 and alt.casefold() not in low:
            forms.append(words[-1])
        for f in forms:
            ref = canonicalize(f, "OTHER", people, as_actor=True)
            out.add(ref.entity_key if ref else f.casefold())
    return frozenset(out)


def gold_units(records: Sequence[GoldRecord], text: str, people) -> list[PairUnit]:
    units = []
    for r in records:
        if not r.is_accusation:
            continue
        units.append(
            PairUnit(
                r.article, gold_names(r.accuser, text, people), gold_names(r.accused, text, people),
                [r.charge or ""], [(r.evidence_start, r.evidence_end)], f"{r.accuser} → {r.accused}",
            )
        )
    return merge_pairs(units)


def in_scope(records: Sequence[GoldRecord], cue_start: int) -> bool:
    """A prediction is judged in a full-scope article, or inside a reviewed sentence of a cue-scope one."""
    if not records or records[0].scope == "full":
        return True
    return any(r.evidence_start <= cue_start < r.evidence_end for r in records)


def predicted_units(article: str, accusations, mentions, text: str, records: Sequence[GoldRecord], people) -> list[PairUnit]:
    """Warehouse-visible predictions (asserted, confidence >= 0.5, canonical names) as pair units."""
    from whosaid.normalize import actor_entity

    units = []
    for a in accusations:
        if a.stance != "asserted" or a.confidence < MIN_CONFIDENCE or not in_scope(records, a.cue_start):
            continue
        acr = actor_entity(a.accuser, mentions, people)
        acd = actor_entity(a.accused, mentions, people)
        if acr is None or acd is None or acr.entity_key == acd.entity_key:
            continue
        units.append(
            PairUnit(
                article, frozenset({acr.entity_key}), frozenset({acd.entity_key}), [a.charge_text or ""],
                [(a.evidence_start, a.evidence_end)], f"{acr.canonical_name} → {acd.canonical_name}",
            )
        )
    return merge_pairs(units)


# ---------------------------------------------------------------------------------- running
def gold_texts(gold: str | Path, polnear_text: Path | None = None, repo: Path = Path(PROJECT_ROOT),
               log: Callable[[str], None] = lambda _m: None) -> tuple[dict[str, list[GoldRecord]], dict[str, str]]:
    """The gold records by article and the texts of the articles present (absent ones are logged).

    Raises :class:`GoldError` when a record's offsets do not cut its article verbatim."""
    records = load_gold(gold)
    by_article: dict[str, list[GoldRecord]] = {}
    for r in records:
        by_article.setdefault(r.article, []).append(r)
    texts: dict[str, str] = {}
    skipped: list[str] = []
    for art in by_article:
        p = article_path(art, repo, polnear_text)
        if p.is_file():
            texts[art] = p.read_text(encoding="utf-8")
        else:
            skipped.append(art)
    if skipped:
        where = polnear_text or POLNEAR_DEV_TEXT
        log(f"{len(skipped)} gold article(s) not found (PolNeAR corpus expected at {where}); "
            f"evaluating the {len(texts)} article(s) present")
    problems = [p for art, t in texts.items() for p in check_offsets(by_article[art], t)]
    if problems:
        raise GoldError("gold offsets do not match the texts:\n" + "\n".join(problems[:20]))
    return by_article, texts


def evaluate(gold: str | Path, model: str | None = None, polnear_text: Path | None = None,
             repo: Path = Path(PROJECT_ROOT), log: Callable[[str], None] = lambda _m: None,
             n_process: int = 1, docs: Mapping[str, Doc] | None = None,
             articles: Iterable[str] | None = None) -> dict:
    """Run the extractor over the gold articles and score it. Skips articles whose text is absent.

    ``n_process`` > 1 parses with spaCy worker processes (the timing split then is wall time).
    ``docs`` (article name → parsed Doc of its text) skips parsing for the articles it holds, so a
    caller that evaluates repeatedly (a test session, an error-analysis loop) parses once.
    ``articles`` restricts the evaluation to those gold articles (a fixed subset)."""
    from whosaid.nlp.accusations import extract_accusations
    from whosaid.nlp.pipeline import mentions_of
    from whosaid.nlp.quotes import extract_quotes

    by_article, texts = gold_texts(gold, polnear_text, repo, log)
    skipped = [a for a in by_article if a not in texts]
    if articles is not None:
        wanted = set(articles)
        by_article = {a: r for a, r in by_article.items() if a in wanted}
        texts = {a: t for a, t in texts.items() if a in wanted}
        skipped = [a for a in skipped if a in wanted]
    records = [r for rs in by_article.values() for r in rs]

    all_pred: list[PairUnit] = []
    all_gold: list[PairUnit] = []
    t_parse = t_acc = 0.0
    names = list(texts)
    t0 = time.perf_counter()
    for art, doc in zip(names, _parsed(names, texts, docs or {}, model, n_process)):
        t1 = time.perf_counter()
        t_parse += t1 - t0
        if doc.text != texts[art]:
            raise ValueError(f"the Doc given for {art} is not a parse of its text")
        mentions = mentions_of(doc)
        quotes = extract_quotes(doc, mentions)
        t2 = time.perf_counter()
        accusations, _ = extract_accusations(doc, mentions, quotes)
        t3 = time.perf_counter()
        t_acc += t3 - t2
        people = _people(mentions, texts[art])
        all_gold += gold_units(by_article[art], texts[art], people)
        all_pred += predicted_units(art, accusations, mentions, texts[art], by_article[art], people)
        t0 = time.perf_counter()
    pairs, pm = score_pairs(all_pred, all_gold)
    what, pc, gc, cm = score_charges(all_pred, all_gold)
    matched_p = {i for i, _ in pm}
    matched_g = {j for _, j in pm}
    matched_pc = {i for i, _ in cm}
    matched_gc = {j for _, j in cm}
    present = [r for r in records if r.article in texts]
    return {
        "gold": str(gold),
        "n_articles": len(texts),
        "n_articles_full": sum(1 for a in texts if by_article[a][0].scope == "full"),
        "n_articles_skipped": len(skipped),
        "n_gold_records": sum(r.is_accusation for r in present),
        "n_negative_records": sum(not r.is_accusation for r in present),
        "who_whom": pairs.as_dict(),
        "who_whom_what": what.as_dict(),
        "seconds_parse": round(t_parse, 2),  # 0 when every Doc was given
        "seconds_accusations": round(t_acc, 2),
        "accusation_overhead": round(t_acc / t_parse, 4) if t_parse else 0.0,
        "errors": {
            "who_whom_fp": [_describe(u, texts) for i, u in enumerate(all_pred) if i not in matched_p],
            "who_whom_fn": [_describe(u, texts) for j, u in enumerate(all_gold) if j not in matched_g],
            "what_fp": [_describe(c.pair, texts, c.charges) for i, c in enumerate(pc) if i not in matched_pc],
            "what_fn": [_describe(c.pair, texts, c.charges) for j, c in enumerate(gc) if j not in matched_gc],
        },
    }


def parse_texts(texts: Mapping[str, str], model: str | None = None, n_process: int = 1) -> dict[str, Doc]:
    """Parse article texts with the configured spaCy model (for :func:`evaluate`'s ``docs``)."""
    return dict(zip(texts, _parsed(list(texts), texts, {}, model, n_process)))


def _parsed(names: list[str], texts: Mapping[str, str], docs: Mapping[str, Doc], model: str | None,
            n_process: int) -> Iterator[Doc]:
    """Docs in ``names`` order: the given ones as they are, the rest parsed in one ``nlp.pipe``."""
    missing = [a for a in names if a not in docs]
    parsed: Iterator[Doc] = iter(())
    if missing:
        from whosaid.nlp.pipeline import load_nlp
        from whosaid.settings import Settings

        nlp = load_nlp(model or Settings().spacy_model)
        parsed = nlp.pipe((texts[a] for a in missing), batch_size=8, n_process=n_process)
    for art in names:
        yield docs[art] if art in docs else next(parsed)


def _describe(u: PairUnit, texts: dict[str, str], charges: list[str] | None = None) -> dict:
    s, e = u.evidence[0]
    snippet = " ".join(texts[u.article][s:e].split())
    return {
        "article": u.article,
        "pair": u.label,
        "charges": charges if charges is not None else u.charges,
        "evidence": snippet if len(snippet) <= 200 else snippet[:197] + "...",
    }


def main(gold: str | Path, show_errors: bool = False, model: str | None = None) -> dict:
    """Evaluate and print P/R/F1 tables (and, with ``show_errors``, every FP and FN)."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    res = evaluate(gold, model=model, log=lambda m: console.print(f"[yellow]note:[/] {m}"))
    table = Table(
        title=(
            f"Accusations vs {gold} — {res['n_articles']} articles ({res['n_articles_full']} read in full), "
            f"{res['n_gold_records']} gold accusations, {res['n_negative_records']} reviewed negatives"
        )
    )
    for col in ("match", "P", "R", "F1", "TP", "predicted", "gold"):
        table.add_column(col, justify="left" if col == "match" else "right")
    for key, label in (("who_whom", "who+whom"), ("who_whom_what", f"who+whom+what (charge overlap ≥ {CHARGE_OVERLAP})")):
        d = res[key]
        table.add_row(label, f"{d['p']:.3f}", f"{d['r']:.3f}", f"{d['f1']:.3f}", str(d["tp"]), str(d["n_pred"]), str(d["n_gold"]))
    console.print(table)
    console.print(
        f"spaCy parse {res['seconds_parse']}s, accusation extraction {res['seconds_accusations']}s "
        f"(+{100 * res['accusation_overhead']:.1f}%)"
    )
    if show_errors:
        for key, title in (("who_whom_fp", "false positives (who+whom)"), ("who_whom_fn", "missed (who+whom)"),
                           ("what_fp", "false positives (who+whom+what)"), ("what_fn", "missed (who+whom+what)")):
            console.print(f"\n[bold]{title}[/] ({len(res['errors'][key])})")
            for e in res["errors"][key]:
                console.print(f"  {e['article']}: {e['pair']}  charges={e['charges']}\n      {e['evidence']}", markup=False)
    return res


if __name__ == "__main__":  # pragma: no cover
    import argparse

    ap = argparse.ArgumentParser(description="Score accusation extraction against a gold JSONL file.")
    ap.add_argument("gold", type=Path)
    ap.add_argument("--errors", action="store_true", help="list false positives and misses")
    ap.add_argument("--json", type=Path, help="also write the result dict here")
    args = ap.parse_args()
    out = main(args.gold, show_errors=args.errors)
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, ensure_ascii=False), encoding="utf-8")
