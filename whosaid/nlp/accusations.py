"""Who accused whom of what: accusations and denials from a parsed article.

Entry point: :func:`extract_accusations` (called by ``whosaid.nlp.pipeline.extract_doc``).

Rules are dependency-parse frames driven by the seed lexicons (``seeds/lexicons/*.csv``, loaded by
``whosaid.nlp.lexicons``); nothing article-specific lives in code.

Explicit cues (``accusation_cues.csv``)
  * ``verb``      X accuse/blame/criticize/slam/hit back at ... Y (of/for/over/as/with Z), active and
                  passive ("Y was accused of Z by X"), participles ("X, accusing Y of Z"), relative
                  clauses ("X, who blamed Y"), coordination (one row per accuser x accused x charge).
                  A non-actor object with an actor possessor ("slammed Trump's remarks") makes the
                  possessor the accused and the object the charge. A prepositional target that is not
                  an actor ("hit back at what it said was misinformation after Y sounded ...") is the
                  charge and the accused is the possessor or the subject of the after/when clause.
                  "the policies of Obama" counts like a possessor for agent nouns (policy, remark ...),
                  never for events ("the annexation of Crimea"). A relative pronoun in the charge slot
                  stands for its noun ("problems that he blamed on Obama"). Verbs that need a charge
                  in their verbal sense (attack, hammer, rip ...) also take a "saying/calling ..."
                  clause or a medium ("attacked Y in tweets", "ripped Y on social media") as one.
                  Punishing verbs demanded by someone (retaliate against/punish/sanction Y for Z
                  under "X called on Obama to ...") make the demander the accuser. A definite event
                  noun with no owner of its own ("Obama condemned Friday's test as ...") takes the one
                  named owner the article gave that noun before ("North Korea's nuclear test"); a
                  possessor of a people noun ("attacked Cruz's wife") is never the accused. A quote
                  after "<verb> <object>:" is the charge ("McCaskill scolded him: “...”"; for verbs that
                  need a charge only if it addresses the target or names a charge). "a statement /
                  resolution / vote condemning Y" is its author's, or its issuer's ("X issued/passed
                  ...").
  * ``clause``    X alleged that Y did Z.
  * ``call_names``X called Y a liar (predicate must be an insult/charge term); when Y is a thing,
                  its owner: "called Wells Fargo's behavior outrageous", "what X called North
                  Korea's reckless actions", "called climate change a hoax perpetrated by China".
  * ``noun``      X's accusations/criticism against/of Y, X leveled accusations against Y,
                  Y drew criticism from X, accusations that Y did Z, X peppered Y with attacks on Z.
  * ``concern``   X is concerned about Y doing Z; X sounded the alarm about Y's Z (CAMEO 110).
  * ``demand``    X called on / urged / insisted that Y stop Z or apologize for Z.
Implicit charges (need reported speech; accuser = the speaker, from ``quotes`` or a speech verb)
  * ``implicit``  the possessor of a charge noun: "NATO's misinformation will not fool people".
  * ``cease``     "it should stop fanning the flames" (charge must contain a charge term).
  * ``demand``    "X urges Y to ... abandon the Cold War mentality" (accuser = X, or the speaker).
  * implicit verbs whose lemma starts a charge term ("NATO is stoking confrontation").
  * speech predicates: a named subject with a charge for predicate ("Trump is a disgusting fraud",
    "Republicans are trying to make political hay", "they are gaming the system"), or a punishment
    the speaker demands for it ("you should be criminally investigated"); also a possessed subject
    ("Kim's mental state is spiraling out of control" accuses Kim), a conjunct sharing the first
    conjunct's subject, resort verbs ("is reduced to taunts and insults"), prepositional idioms
    ("out of control", "as an excuse"), withheld amends ("refused to apologize / take
    responsibility"), a person attacking/insulting a person ("Trump had attacked his wife"), a
    comma-bracketed "like X" beside the subject, and headline ellipsis ("China Says NATO ‘Fanning
    the Flames’").
Denials (``denial_cues.csv``): "It denies sending any weapons", "X rejected the allegations",
and self-negations inside the speaker's own speech ("We never provide weapons ...", "China said it
never provides weapons") when the negated verb is a sensitive act.

Stance: ``negated`` (not/never, refused/declined/avoided to, steered clear of), ``hypothetical``
(modal, if/unless, threaten/plan to, "harder to attack", and an act inside another accusation's
charge: in "Guo accused Rutte of vilifying China" Rutte's vilifying is only alleged), ``denied`` (the
cue is governed by deny: "denied calling her a liar"), else ``asserted``.

Actors: named mentions (PERSON/ORG/GPE, and NORP only for parties and nations); a person NER labelled
ORG/GPE is repaired by a known first name; a datelined place ("TALLAHASSEE —") is no actor. A
single-word mention resolves to an earlier full PERSON name ending with it (the one introduced first,
or the one fitting "Mr."/"Mrs."). Pronouns: he/she/it/its/they resolve to the closest fitting mention
in the same sentence (not the clause's own subject for an object pronoun; a fronted "as he ..." to
the main clause's subject), else the speaker resolver (``whosaid.nlp.speakers``) or the named subject
of the three preceding sentences; I/we resolve to the speaker, "you" to the person the speaker
addresses ("Warren told Stumpf", "scolded him"), else the one person the whole article shows being
addressed (a hearing). they/them reach a group subject up to three sentences back. A bare surname
whose full name the NER missed takes the untagged "<given name> <surname>" introduced earlier; a
"<given name> X" ORG/GPE is a person (``seeds/lexicons/given_names.txt``) unless X is an
organisation word. "the party" is the one political party named in its sentence or the two
before; "Oversight" the article's one "Oversight Committee". Role nouns resolve to the one person the article
introduced with that role ("Sen. Ted Cruz" → "the senator"; "Wells Fargo CEO John Stumpf" → "the
Wells Fargo CEO"; several people with the role → the one named at least twice as often, else none);
"the panel"/"the committee" to the article's one committee; "the Saudi government" (institution words
from ``seeds/institutions.csv``) to that country's institution; "Donald Trump's campaign" to Trump;
"the city of Phoenix" to Phoenix.

Sentences: the parser's, also cut at a blank line and after a line ending in terminal
punctuation; stance is never read across such a cut. A pronoun after an untagged name in its
sentence is not guessed further back.

Parse repairs: the subject nearest before the verb when a headline is glued to the lede; a named
actor left stranded before a finite verb ("... and Democrats accused the GOP"); a finite verb the
parser hung on an infinitive takes the finite clause's subject; control: "urged/called on Y to ..."
(Y acts), "criticized Y for accusing" (Y), "apologize for / hit back by accusing" (the subject).

Cost: candidate tokens for each rule are found from ``Doc.to_array`` and lexicon string hashes, so
the rules touch only a few hundred tokens per article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from spacy.attrs import HEAD, IS_SPACE, LEMMA, LOWER, SENT_START
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from whosaid.nlp.lexicons import (
    ADDRESS_VERBS,
    PERSON_ROLE_NOUNS,
    PUNITIVE_VERBS,
    SPEECH_VERBS,
    WIRE_AGENCIES,
    Cue,
    Lexicons,
    load_actor_names,
    load_lexicons,
    match_charge_terms,
)
from whosaid.nlp.records import ACTOR_LABELS, Accusation, Actor, Denial, Mention, Quote

try:  # gendered pronouns and roles ("the spokesman") from the speaker resolver, when available
    from whosaid.nlp.speakers import SpeakerResolver
except ImportError:  # pragma: no cover - speakers.py is optional for this module
    SpeakerResolver = None  # type: ignore[assignment,misc]

PERSON_PRONOUNS = frozenset("he him his himself she her hers herself".split())
THING_PRONOUNS = frozenset("it its itself".split())
GROUP_PRONOUNS = frozenset("they them their theirs themselves".split())
FIRST_PRONOUNS = frozenset("i me my myself we us our ours ourselves".split())
SECOND_PRONOUNS = frozenset("you your yours yourself".split())
RELATIVE_PRONOUNS = frozenset("who that which whom".split())

#: verbs whose of/with-phrase is an allegation ("accused Y of ...", "charged Y with ...")
ALLEGING_VERBS = frozenset("accuse charge suspect allege".split())
#: verbs whose object does what their to-clause says ("urged Obama to punish ..."); with any other
#: verb the subject does it ("he used his address to call out Trump")
OBJECT_CONTROL_VERBS = frozenset(
    """ask tell urge order force persuade convince encourage allow permit invite push press pressure
    pressure implore beg challenge dare warn advise get lead prompt require want expect need help
    call""".split()
)
#: adjectives whose to-clause did not happen ("harder for Republicans to attack Obama"), unlike
#: "quick to blame"
UNREALIZED_ADJECTIVES = frozenset(
    """hard harder difficult easy easier impossible possible unlikely likely able unable reluctant
    hesitant eager ready willing afraid loath free tough""".split()
)
#: finite verb tags (a verb with its own tense can have its own subject)
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP"})
#: prepositions whose gerund is done by the governing verb's subject ("hit back by accusing him")
SUBJECT_PREPS = frozenset("by after before while without since upon in through".split())
#: subordinators of a clause that can come before its main clause and borrow its subject
FRONTED_MARKS = frozenset("as while when after before although though since because once".split())
#: confidence taken off a row whose pronoun had several fitting people in its sentence
AMBIGUOUS_PRONOUN_PENALTY = 0.4
#: verbs that are a charge in someone's words when a person does them to a person ("attacked his wife")
PERSONAL_ATTACK_VERBS = frozenset("attack insult smear bully harass threaten mock demean belittle".split())
#: amends a speaker can blame someone for withholding ("refused to apologize", "failed to condemn")
AMENDS_VERBS = frozenset("apologize apologise atone repent retract disavow condemn denounce".split())
DEMONSTRATIVES = frozenset("this that these those it".split())
#: verbs whose prepositional object is what the subject does ("resorted to insults", "engaged in fraud")
RESORT_VERBS = {"resort": "to", "reduce": "to", "stoop": "to", "descend": "into", "engage": "in", "indulge": "in"}
#: verbs whose xcomp carries the predicate: "they are trying to [make political hay]"
CATENATIVE_VERBS = frozenset("try attempt seek continue keep".split())
MODALS = frozenset("would could might may should will shall 'd 'll wo ca".split())
HYPOTHETICAL_GOVERNORS = frozenset("threaten plan consider promise vow intend expect want hope".split())
NEGATING_GOVERNORS = frozenset("refuse decline fail avoid resist refrain abstain".split())
#: governors that negate with a particle: "steered clear of criticizing", "stopped short of accusing"
NEGATING_PHRASES = {"steer": "clear", "stay": "clear", "stop": "short", "fall": "short", "hold": "back"}
DEMAND_MODALS = frozenset("should must ought need have".split())  # "it should stop ...", "has to stop"
ADJUNCT_PREPS = frozenset("at during after before since until amid following ahead".split())
TIME_LABELS = ("DATE", "TIME")
TEMPORAL_MARKS = frozenset("after when following as since once".split())
OPEN_QUOTES = frozenset("“‘\"'«")
CLOSE_QUOTES = frozenset("”’\"'»")
MAX_CHARGE_TOKENS = 20
#: verbs that act against a charge rather than commit it ("fighting corruption", "investigate fraud")
COUNTER_VERBS = frozenset(
    "fight combat oppose tackle investigate prosecute prevent reduce end stop condemn denounce expose report "
    "deny reject dismiss accuse blame criticize criticise allege say claim".split()
)


# --------------------------------------------------------------------------------------------------
# entry point


def extract_accusations(
    doc: Doc, mentions: list[Mention], quotes: list[Quote]
) -> tuple[list[Accusation], list[Denial]]:
    """Accusations (one per accuser x accused x charge) and denials found in ``doc``."""
    ex = _Extractor(doc, mentions, quotes or [], load_lexicons())
    return ex.run()


# --------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Speech:
    speaker: Actor
    quote_index: int | None
    penalty: float


class _Extractor:
    def __init__(self, doc: Doc, mentions: list[Mention], quotes: list[Quote], lex: Lexicons):
        self.doc = doc
        self._text: str | None = None
        self.lex = lex
        self.quotes = [q for q in quotes if q is not None]
        self.mentions = sorted(
            (m for m in mentions if m.label in ACTOR_LABELS), key=lambda m: (m.start, m.end)
        )
        self.tok2mention: dict[int, Mention] = {}
        self.mention_root: dict[int, Token] = {}
        self.mention_first: dict[int, int] = {}  # mention index -> its first token
        for m in self.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            for i in range(span.start, span.end):
                self.tok2mention.setdefault(i, m)
            self.mention_root[m.mention_index] = span.root
            self.mention_first[m.mention_index] = span.start
        self.sents = _sentences(doc)
        self.sent_of = {}
        for si, s in enumerate(self.sents):
            for i in range(s.start, s.end):  # indices only: creating Token objects is the cost here
                self.sent_of[i] = si
        self._ref_cache: dict[int, tuple[Mention, str]] = {}
        self._speech_cache: dict[int, _Speech | None] = {}
        self.support_verbs = lex.frame_lemmas("support")
        self.receive_verbs = lex.frame_lemmas("receive")
        self.demand_verbs = lex.frame_lemmas("demand")
        self.cease_verbs = lex.frame_lemmas("cease")
        self.accusations: dict[tuple, Accusation] = {}
        self.denials: dict[tuple, Denial] = {}
        self.person_like = {m.mention_index for m in self.mentions if self._is_person_like(m)}
        self.known_names = self._known_names()
        self.roles = self._role_index()
        self._addressee_cache: dict[tuple[int, str], Actor | None] = {}
        self._uncertain: set[int] = set()  # offsets of pronouns with several fitting people nearby
        self._mention_last_words = {m.text.split()[-1].lower() for m in self.mentions if m.text.split()}
        self._resolver: SpeakerResolver | None | bool = False  # built on first use (it costs a pass)
        self._short_bodies: dict[str, Mention] | None = None
        self._article_addressee_cache: Actor | None | bool = False

    @property
    def resolver(self):
        """The speaker resolver (gendered pronouns, roles), built on first use: most tokens never
        need it, and building it walks every mention."""
        if self._resolver is False:
            self._resolver = None
            if SpeakerResolver is not None:
                try:  # the text already joined: Doc.text would build every token again
                    self._resolver = SpeakerResolver(self.doc, self.mentions, self.text)
                except Exception:  # noqa: BLE001 - a resolver failure must not lose the article
                    self._resolver = None
        return self._resolver

    def _known_names(self) -> dict[str, Mention]:
        """Names the article's NER found anywhere (full texts; a person's surname when unambiguous),
        so a repeat the small model did not tag ("Cruz called Trump ...") is still that actor."""
        names: dict[str, Mention] = {}
        surnames: dict[str, set[str]] = {}
        for m in self.mentions:
            _, _, text = _strip_possessive(m.start, m.end, m.text)
            names.setdefault(text.lower(), m)
            words = text.split()
            if m.mention_index in self.person_like and 1 < len(words) <= 4 and _name_like(words):
                surnames.setdefault(words[-1].lower(), set()).add(text.lower())
        for sur, fulls in surnames.items():
            first = min(fulls, key=lambda f: names[f].start)  # several: the first introduced (see _resolve_mention)
            names.setdefault(sur, names[first])
        return names

    def _is_person_like(self, m: Mention) -> bool:
        """A PERSON, or a personal name the small model labelled otherwise ("Lester Holt" ORG):
        two to four capitalised words starting with a known first name."""
        if m.label == "PERSON":
            return True
        words = _strip_possessive(m.start, m.end, m.text)[2].split()
        return (
            m.label in ("ORG", "GPE") and 1 < len(words) <= 4 and _name_like(words)
            and words[0].lower() in self.lex.first_names
            and not any(w.lower() in _ORG_WORDS for w in words[1:])  # "Howard University", "Lloyd Bank"
        )

    # ---------------------------------------------------------------------------------------------
    # roles and institutions: "the senator", "the Wells Fargo CEO", "the Saudi government"

    def _role_index(self) -> dict[str, list[tuple[Mention, frozenset[str]]]]:
        """Role word → the persons the article introduces with it, each with the words around the
        role ("Sen. Ted Cruz", "Wells Fargo CEO John Stumpf", "Adam Schiff, the top Democrat on
        the House Intelligence Committee", "the spokesman, Guo Jiakun")."""
        index: dict[str, list[tuple[Mention, frozenset[str]]]] = {}
        doc = self.doc
        for m in self.mentions:
            if m.mention_index not in self.person_like:
                continue
            root = self.mention_root.get(m.mention_index)
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if root is None or span is None:
                continue
            roles: list[Token] = [t for t in span if t.i < span.end - 1 and _role_key(t.lower_) in _ROLE_TITLES]
            words = {_role_key(t.lower_) for t in span}
            i = span.start - 1  # modifiers left of the name attaching into it: "Wells Fargo CEO John Stumpf"
            while i >= 0:
                t = doc[i]
                if t.dep_ not in ("compound", "amod", "nmod") or not (t.i < t.head.i <= root.i):
                    break
                words.add(_role_key(t.lower_))
                if t.i not in self.tok2mention and t.pos_ in ("NOUN", "PROPN"):
                    roles.append(t)
                i -= 1
            appos = [c for c in root.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
            if root.dep_ == "appos" and root.head.pos_ == "NOUN" and root.head.i < root.i:
                appos.append(root.head)
            for a in appos:
                roles.append(a)
                words |= {_role_key(t.lower_) for t in a.subtree if not t.is_punct}
            frozen = frozenset(words)
            for r in roles:
                for key in {_role_key(r.lower_), _role_key(r.lemma_.lower())} & PERSON_ROLE_NOUNS:
                    index.setdefault(key, []).append((m, frozen))
        return index

    def _role_actor(self, tok: Token) -> tuple[bool, Actor | None]:
        """(known role?, actor): "the senator" → the one person introduced as senator, "the Wells
        Fargo CEO" → the person introduced with both words. Several people with that role, a
        possessor ("her opponent") or an indefinite article ("a senator") → no actor."""
        keys = {_role_key(tok.lower_), _role_key(tok.lemma_.lower())}
        cands = [c for k in keys for c in self.roles.get(k, ())]
        if not cands:
            return False, None
        kids = list(tok.children)
        if any(c.dep_ == "poss" for c in kids) or any(c.dep_ == "det" and c.lower_ not in ("the", "this", "that") for c in kids):
            return True, None
        quals = {
            _role_key(t.lower_)
            for c in kids if c.dep_ in ("compound", "amod", "nmod") and c.i < tok.i
            for t in c.subtree if not t.is_punct and t.dep_ != "case"
        }
        if not quals and not any(c.dep_ == "det" for c in kids):
            return True, None  # a bare role noun ("senators", "CEO") is no reference
        fitting = [m for m, words in cands if quals <= words]
        people = {self._person_key(m) for m in fitting}
        if len(people) > 1:
            fitting = self._salient(fitting)
        if not fitting:
            return True, None
        before = [m for m in fitting if m.end <= tok.idx]
        m = before[-1] if before else fitting[0]
        ref, _ = self._resolve_mention(m)
        left = tok.left_edge.i
        while left < tok.i and self.doc[left].dep_ == "det":
            left += 1
        span = self.doc[left : tok.i + 1]
        rs, re_, rtext = _strip_possessive(ref.start, ref.end, ref.text)
        return True, Actor(span.start_char, span.end_char, span.text, "PERSON", rs, re_, rtext)

    def _salient(self, cands: list[Mention]) -> list[Mention]:
        """Of several people sharing a role, the article's protagonist: the one named at least twice
        as often as any other (news says "the senator" for the senator it is about); else none."""
        counts: dict[str, int] = {}
        for m in self.mentions:
            if m.mention_index in self.person_like:
                key = self._person_key(m)
                counts[key] = counts.get(key, 0) + 1
        by_person: dict[str, list[Mention]] = {}
        for m in cands:
            by_person.setdefault(self._person_key(m), []).append(m)
        ranked = sorted(by_person, key=lambda k: -counts.get(k, 0))
        if len(ranked) > 1 and counts.get(ranked[0], 0) < 2 * counts.get(ranked[1], 0):
            return []
        return by_person[ranked[0]]

    def _person_key(self, m: Mention) -> str:
        """One key per person however often the full name is repeated."""
        ref, _ = self._resolve_mention(m)
        return _strip_possessive(ref.start, ref.end, ref.text)[2].lower()

    def _institution_actor(self, tok: Token) -> Actor | None:
        """A country's institution named by nationality ("the Saudi government", "the Chinese
        foreign ministry", "the government of Iran"), a person's or group's organisation ("Donald
        Trump's campaign", "the Clinton campaign") and a place's body ("the city of Phoenix")."""
        if tok.pos_ != "NOUN" or tok.i in self.tok2mention:
            return None
        low = tok.lemma_.lower()
        kids = list(tok.children)
        if low in _OWNED_ORGS:
            owner = next((c for c in kids if c.dep_ in ("poss", "compound") and c.i in self.tok2mention), None)
            if owner is not None:
                a = self.actor(owner)
                if a is not None and a.ref_text:
                    span = self._np_span(tok)
                    return Actor(span.start_char, span.end_char, span.text, a.label, a.ref_start, a.ref_end, a.ref_text)
        if low in _PLACE_BODIES or _institution_keyword(tok) is not None:
            for c in kids:
                if c.dep_ == "prep" and c.lower_ == "of":
                    pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                    m = self.tok2mention.get(pobj.i) if pobj is not None else None
                    if m is not None and m.label == "GPE":
                        span = self._np_span(tok)
                        ref, label = self._resolve_mention(m)
                        rs, re_, rtext = _strip_possessive(ref.start, ref.end, ref.text)
                        return Actor(span.start_char, span.end_char, span.text, label, rs, re_, rtext)
        keyword = _institution_keyword(tok)
        if keyword is None:
            return None
        quals = [c for c in kids if c.dep_ in ("amod", "compound", "nmod") and c.i < tok.i and c.i in self.tok2mention]
        quals = [c for c in quals if self.tok2mention[c.i].label in ("NORP", "GPE")]
        if len(quals) != 1:
            return None
        m = self.tok2mention[quals[0].i]
        start = min(m.start, self.doc[keyword].idx)
        end = tok.idx + len(tok)
        if self.text[m.end:self.doc[keyword].idx].strip():
            return None  # "the Saudi-led coalition's government": words between nationality and keyword
        span = self._np_span(tok)
        label = "GPE" if tok.lemma_.lower() == "government" else "ORG"
        return Actor(span.start_char, span.end_char, span.text, label, start, end, self.text[start:end])

    def _np_span(self, tok: Token):
        """The noun phrase of ``tok`` up to the head, without a leading determiner."""
        left = tok.left_edge.i
        while left < tok.i and self.doc[left].dep_ in ("det", "punct"):
            left += 1
        return self.doc[left : tok.i + 1]

    def _org_noun_actor(self, tok: Token) -> Actor | None:
        """"the panel", "the committee": the one committee-like organisation the article names."""
        low = tok.lemma_.lower()
        if low not in _BODY_NOUNS or not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
            return None
        if any(c.dep_ in ("compound", "amod", "poss", "nmod") for c in tok.children):
            return None
        found: dict[str, Mention] = {}
        for m in self.mentions:
            if m.label != "ORG":
                continue
            last = _strip_possessive(m.start, m.end, m.text)[2].split()[-1].lower()
            if last in _BODY_NOUNS[low]:
                found.setdefault(_strip_possessive(m.start, m.end, m.text)[2].lower().removeprefix("the "), m)
        if len(found) != 1:
            return None
        m = next(iter(found.values()))
        span = self._np_span(tok)
        rs, re_, rtext = _strip_possessive(m.start, m.end, m.text)
        return Actor(span.start_char, span.end_char, span.text, "ORG", rs, re_, rtext)

    def _untagged_name_actor(self, tok: Token) -> Actor | None:
        """A proper noun NER missed here but tagged elsewhere in the article (same name or surname)."""
        if tok.pos_ != "PROPN" or not tok.text[:1].isupper():
            return None
        left = [c for c in tok.lefts if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i not in self.tok2mention]
        start_tok = left[0] if left and all(x.i == left[0].i + k for k, x in enumerate(left)) and left[-1].i == tok.i - 1 else tok
        span = self.doc[start_tok.i : tok.i + 1]
        m = self.known_names.get(span.text.lower()) or self.known_names.get(tok.text.lower())
        if m is None:
            m = self._short_body_name(span.text.lower())
        if m is None:
            return None
        ref, label = self._resolve_mention(m)
        rs, re_, rtext = _strip_possessive(ref.start, ref.end, ref.text)
        return Actor(span.start_char, span.end_char, span.text, label, rs, re_, rtext)

    def _party_actor(self, tok: Token) -> Actor | None:
        """"the party" → the one political party named in its sentence before it, else in the two
        sentences before ("Graham urged Republicans to ..., and criticized the party's lack of ...").
        A party with other words ("the Democratic party", "a party", "the ruling party") is left alone."""
        kids = list(tok.children)
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in kids) or any(
            c.dep_ in ("amod", "compound", "nmod", "poss") or (c.dep_ == "det" and c.lower_ != "the") for c in kids
        ):
            return None
        parties = load_actor_names().parties
        si = self.sent_of.get(tok.i, 0)
        for psi in range(si, max(-1, si - 3), -1):
            found: dict[str, Mention] = {}
            for m in self.mentions:
                if m.start >= tok.idx or self.sent_of.get(self.mention_first.get(m.mention_index, -1)) != psi:
                    continue
                name = _strip_possessive(m.start, m.end, m.text)[2].casefold().removeprefix("the ")
                party = parties.get(name)
                if party is not None:
                    found.setdefault(party, m)
            if len(found) > 1:
                return None
            if found:
                m = next(iter(found.values()))
                ref, label = self._resolve_mention(m)
                rs, re_, rtext = _strip_possessive(ref.start, ref.end, ref.text)
                span = self._np_span(tok)
                return Actor(span.start_char, span.end_char, span.text, label, rs, re_, rtext)
        return None

    def _short_body_name(self, low: str) -> Mention | None:
        """"Oversight" for "the Oversight Committee", "Treasury" for "the Treasury Department": the one
        organisation the article names as this word plus a body word."""
        if self._short_bodies is None:
            found: dict[str, dict[str, Mention]] = {}
            for m in self.mentions:
                if m.label != "ORG":
                    continue
                words = _strip_possessive(m.start, m.end, m.text)[2].split()
                if words and words[0].lower() == "the":
                    words = words[1:]
                k = len(words)
                while k > 1 and words[k - 1].lower() in _BODY_SUFFIXES:
                    k -= 1
                if 0 < k < len(words):
                    found.setdefault(" ".join(words[:k]).lower(), {}).setdefault(" ".join(words).lower(), m)
            self._short_bodies = {short: next(iter(full.values())) for short, full in found.items() if len(full) == 1}
        return self._short_bodies.get(low)

    def _resolver_actor(self, tok: Token, start: int, end: int) -> Actor | None:
        if self.resolver is None:
            return None
        try:
            a = self.resolver.actor_for(tok, start, end)
        except Exception:  # noqa: BLE001
            return None
        if a is None or a.ref_text is None or a.label not in ACTOR_LABELS or a.ref_start is None:
            return None
        if a.start <= a.ref_start < a.end:  # "the GOP candidate" is not the GOP
            return None
        return a

    # ---------------------------------------------------------------------------------------------
    def run(self) -> tuple[list[Accusation], list[Denial]]:
        cues, implicit, predicates, denials = self._candidates()
        for i in sorted(cues | implicit | predicates | denials):
            tok = self.doc[i]
            if tok.is_space or tok.is_punct:
                continue
            if i in cues:
                self._cues_at(tok)
            if i in implicit:
                self._implicit_at(tok)
            if i in predicates:
                self._speech_predicate_at(tok)
            if i in denials:
                self._denials_at(tok)
        accs = sorted(self.accusations.values(), key=lambda a: (a.cue_start, a.accused.start, a.charge_start))
        dens = sorted(self.denials.values(), key=lambda d: (d.cue_start, d.charge_start))
        return accs, dens

    def _candidates(self) -> tuple[set[int], set[int], set[int], set[int]]:
        """Token indices each rule can fire on, found from the lexicons over the Doc's arrays (no
        Token objects: touching every token from Python would cost more than all the rules):
        cue heads; charge-term words and their heads (implicit charges); up to three heads above a
        charge-term word, and punishment verbs (speech predicates); denial cues and negators."""
        arr = self.doc.to_array([LEMMA, LOWER, HEAD])
        if len(arr) == 0:
            return set(), set(), set(), set()
        lemma, lower = arr[:, 0], arr[:, 1]
        heads = np.arange(len(arr), dtype=np.int64) + arr[:, 2].astype(np.int64)
        h = self.lex.hashes()

        def hits(keys: np.ndarray) -> np.ndarray:
            return np.isin(lemma, keys) | np.isin(lower, keys)

        cues = set(np.flatnonzero(hits(h.cue_heads)).tolist())
        charge = np.flatnonzero(hits(h.charge_words))
        up1 = heads[charge]
        implicit = set(charge.tolist()) | set(up1.tolist())
        up2 = heads[up1]
        predicates = implicit | set(up2.tolist()) | set(heads[up2].tolist())
        predicates |= set(np.flatnonzero(hits(h.punitive)).tolist())
        predicates |= set(heads[np.flatnonzero(np.isin(lemma, _AMENDS_HASHES))].tolist())  # "refused to apologize"
        predicates |= set(heads[heads[np.flatnonzero(np.isin(lemma, _RESPONSIBILITY_HASHES))]].tolist())
        predicates |= set(np.flatnonzero(np.isin(lemma, _PERSONAL_ATTACK_HASHES)).tolist())
        denials = set(np.flatnonzero(hits(h.denials)).tolist())
        return cues, implicit, predicates, denials

    # =============================================================================================
    # actors

    def _resolve_mention(self, m: Mention) -> tuple[Mention, str]:
        """The mention ``m`` refers to (an earlier full PERSON name for a bare surname) and its label."""
        if m.mention_index in self._ref_cache:
            return self._ref_cache[m.mention_index]
        out = (m, m.label)
        words = m.text.split()
        if len(words) == 1:
            # an earlier full name ending with this surname; when several do ("Ted Cruz", later his wife
            # "Heidi Cruz"), the one introduced first: news calls its protagonist by the bare surname;
            # "Mr. Clinton" / "Mrs. Clinton" pick the full name whose first name fits the honorific
            want = self._honorific_gender(m)
            fallback = None
            for prev in self.mentions:
                if prev.start >= m.start:
                    break
                pw = prev.text.split()
                if prev.mention_index in self.person_like and 1 < len(pw) <= 4 and _name_like(pw) and _strip_poss_word(pw[-1]) == _strip_poss_word(words[0]):
                    g = self.lex.first_name_gender.get(pw[0].lower())
                    if want is not None and g is not None and g != want:
                        continue
                    if want is not None and g is None:
                        fallback = fallback or prev
                        continue
                    fallback = None
                    out = self._resolve_mention(prev)
                    out = (out[0], "PERSON")
                    break
            if fallback is not None:
                out = (self._resolve_mention(fallback)[0], "PERSON")
            if out[0] is m and m.label == "PERSON":
                full = self._untagged_full_name(m)
                if full is not None:
                    out = (full, "PERSON")
        if out[1] != "PERSON" and out[0].mention_index in self.person_like:
            out = (out[0], "PERSON")
        self._ref_cache[m.mention_index] = out
        return out

    def _untagged_full_name(self, m: Mention) -> Mention | None:
        """A bare surname whose full name the NER missed where the article introduced it ("Mehmet Oz —
        Ivy League-trained surgeon ..." untagged, then "Oz" tagged): the first "<given name> <surname>"
        before the mention, as a mention of its own."""
        sur = _strip_poss_word(m.text.strip())
        if not _name_like([sur]):
            return None
        pat = re.compile(r"\b([A-Z][a-z]+) " + re.escape(sur) + r"\b")
        want = self._honorific_gender(m)  # "Mrs. Clinton" is not the Bill Clinton introduced first
        for hit in pat.finditer(self.text, 0, m.start):
            given = hit.group(1).lower()
            if want is not None and self.lex.first_name_gender.get(given, want) != want:
                continue
            if given in self.lex.first_names:
                return Mention(-1 - m.mention_index, hit.start(), hit.end(), hit.group(0), "PERSON", m.sent_index)
        return None

    @property
    def text(self) -> str:
        """The article text, joined on first use (``Doc.text`` builds every token each time)."""
        if self._text is None:
            self._text = self.doc.text
        return self._text

    def _honorific_gender(self, m: Mention) -> str | None:
        """"m"/"f" when the mention is preceded by (or starts with) Mr./Mrs./Ms., else None."""
        first = self.mention_first.get(m.mention_index)
        if first is None:
            return None
        for i in (first, first - 1):
            if i >= 0:
                g = self.lex.honorific_gender.get(self.doc[i].lower_)
                if g in ("m", "f"):
                    return g
        return None

    def _mention_actor(self, m: Mention) -> Actor:
        ref, label = self._resolve_mention(m)
        s, e, text = _strip_possessive(m.start, m.end, m.text)
        rs, re_, rtext = _strip_possessive(ref.start, ref.end, ref.text)
        return Actor(s, e, text, label, rs, re_, rtext)

    def _is_dateline(self, start: int, end: int, text: str) -> bool:
        """"TALLAHASSEE —" opening a story is where it was filed, not an actor (the parser often
        coordinates it with the headline's last noun)."""
        if not text.isupper() or len(text) < 3:
            return False
        before = self.text[max(0, start - 40) : start].rstrip(" \t")
        if before and not before.endswith("\n"):
            return False
        rest = self.text[end : end + 12].lstrip(" ,")
        return rest[:1] in ("—", "–", "-") or bool(_WIRE_CREDIT.match(rest))

    def _pronoun_labels(self, low: str) -> tuple[str, ...] | None:
        if low in PERSON_PRONOUNS:
            return ("PERSON",)
        if low in THING_PRONOUNS:
            return ("ORG", "GPE")
        if low in GROUP_PRONOUNS:
            return ("ORG", "NORP")
        return None

    def _label_of(self, m: Mention) -> str:
        return self._resolve_mention(m)[1]

    def _is_subject_mention(self, m: Mention) -> bool:
        root = self.mention_root.get(m.mention_index)
        return root is not None and root.dep_ in ("nsubj", "nsubjpass")

    def _gender_ok(self, low: str, m: Mention) -> bool:
        if low not in PERSON_PRONOUNS:
            return True
        want = "m" if low in ("he", "him", "his", "himself") else "f"
        honorific = self._honorific_gender(m)
        if honorific is not None:
            return honorific == want
        ref, _ = self._resolve_mention(m)
        words = ref.text.split()
        g = self.lex.first_name_gender.get(words[0].lower()) if len(words) > 1 else None
        if g is None and self._resolver not in (False, None):
            # the resolver also knows gendered roles ("spokeswoman X"); not built just for this
            try:
                g = self.resolver.gender_of(ref) or self.resolver.gender_of(m)
            except Exception:  # noqa: BLE001
                g = None
        return g in (None, "x", want)

    def _pronoun_actor(self, tok: Token) -> Actor | None:
        low = tok.lower_
        if low in FIRST_PRONOUNS:
            sp = self.speech(tok)
            if sp is None:
                return None
            s = sp.speaker
            return Actor(tok.idx, tok.idx + len(tok), tok.text, s.label, s.ref_start, s.ref_end, s.ref_text)
        if low in SECOND_PRONOUNS:
            sp = self.speech(tok)
            a = self._addressee(tok, sp.speaker) if sp is not None else None
            if a is None and sp is not None and sp.quote_index is not None:
                # a hearing or debate: the one person the article shows being addressed
                a = self._article_addressee()
                if a is not None and (a.ref_text or "").lower() == (sp.speaker.ref_text or "").lower():
                    a = None
            if a is None:
                return None
            return Actor(tok.idx, tok.idx + len(tok), tok.text, a.label, a.ref_start, a.ref_end, a.ref_text)
        labels = self._pronoun_labels(low)
        if labels is None:
            return None
        if low in ("he", "she"):
            ahead = self._cataphora(tok, low)
            if ahead is not None:
                return ahead
        si = self.sent_of.get(tok.i, 0)
        # binding: an object pronoun is not its own clause's subject ("Trump accused him")
        blocked: set[int] = set()
        if tok.dep_ in ("dobj", "pobj", "dative") and low not in ("its", "his", "their", "her"):
            verb = tok.head if tok.dep_ != "pobj" else tok.head.head
            for c in verb.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    blocked.update(t.i for t in c.subtree)
        same = [
            m
            for m in self.mentions
            if m.mention_index in self.mention_root
            and self.sent_of.get(self.mention_root[m.mention_index].i) == si
            and m.end <= tok.idx
            and self._label_of(m) in labels
            and self.mention_root[m.mention_index].i not in blocked
            and self.mention_root[m.mention_index].pos_ in ("PROPN", "NOUN", "PRON")  # not "Islamic terror"
            and self._gender_ok(low, m)
        ]
        antecedent = same[-1] if same else None
        if (
            low in PERSON_PRONOUNS and tok.dep_ in ("dobj", "pobj", "dative") and same
            and len({self._person_key(m) for m in same}) > 1 and not self._argument_of_chain(same[-1], tok)
        ):
            # an object pronoun with several people it could be in its own sentence: the nearest is a
            # guess ("Mrs. Clinton, responding to Mr. Trump's remark about her loss to Barack Obama,
            # accused him"), held back below the published threshold by emit()
            self._uncertain.add(tok.idx)
        if antecedent is not None and low in PERSON_PRONOUNS and self.mention_root[antecedent.mention_index].dep_ == "poss":
            # "He attacked Mr. Clinton's record after Mrs. Clinton accused him": a subject pronoun of the
            # same gender earlier in the sentence is a likelier antecedent than a possessor
            chained = self._earlier_subject_pronoun(tok, low)
            if chained is not None:
                return chained
        if antecedent is None and low in PERSON_PRONOUNS:
            # earlier sentences: the speaker resolver (gender, subjects, earlier speakers) if present;
            # it does not know binding, so "McCaskill scolded him" must not come back as McCaskill
            a = self._resolver_actor(tok, tok.i, tok.i + 1)
            excluded = self._blocked_refs(blocked) if blocked else set()
            if a is None or a.ref_start in excluded:
                return self._previous_person(tok, low, excluded)
            return a
        if antecedent is None:
            # it/they (and he/she without the resolver): the subject of the previous sentence only
            for back in range(1, 4 if low in PERSON_PRONOUNS | GROUP_PRONOUNS else 2):
                psi = si - back
                if psi < 0:
                    break
                subj = [
                    m
                    for m in self.mentions
                    if m.mention_index in self.mention_root
                    and self.sent_of.get(self.mention_root[m.mention_index].i) == psi
                    and self._label_of(m) in labels
                    and self._is_subject_mention(m)
                ]
                if subj:
                    antecedent = subj[0]
                    break
        if antecedent is None:
            return None
        ref, label = self._resolve_mention(antecedent)
        rs, re_, rtext = _strip_possessive(ref.start, ref.end, ref.text)
        return Actor(tok.idx, tok.idx + len(tok), tok.text, label, rs, re_, rtext)

    def _argument_of_chain(self, m: Mention, pron: Token) -> bool:
        """Is the mention an argument of a verb the pronoun's clause hangs from? ("apologize [to
        Donald Trump] for accusing him": yes; "in response to Trump's remark about her loss [to
        Barack Obama], accused him": no, it sits inside a modifier)."""
        chain: set[int] = set()
        t = pron.head
        for _ in range(6):
            chain.add(t.i)
            if t.dep_ not in ("xcomp", "pcomp", "prep", "advcl", "conj", "ccomp") or t.head.i == t.i:
                break
            t = t.head
        root = self.mention_root.get(m.mention_index)
        if root is None:
            return False
        gov = root.head.head if root.dep_ == "pobj" else root.head
        return root.dep_ in ("dobj", "pobj", "dative", "nsubj") and gov.pos_ in ("VERB", "AUX") and gov.i in chain

    def _earlier_subject_pronoun(self, tok: Token, low: str) -> Actor | None:
        male = low in ("he", "him", "his", "himself")
        sent = self.sents[self.sent_of.get(tok.i, 0)]
        for t in sent:
            if t.i >= tok.i:
                break
            if t.dep_ == "nsubj" and t.lower_ in ("he", "she") and (t.lower_ == "he") == male:
                a = self._pronoun_actor(t)
                if a is not None:
                    return Actor(tok.idx, tok.idx + len(tok), tok.text, a.label, a.ref_start, a.ref_end, a.ref_text)
        return None

    def _cataphora(self, tok: Token, low: str) -> Actor | None:
        """"Even as he accused the Justice Department ..., Giuliani wouldn't ...": the subject of a
        clause fronted before its main clause is the main clause's named subject."""
        v = tok.head
        if tok.dep_ != "nsubj" or v.dep_ != "advcl" or v.i > v.head.i:
            return None
        if not any(c.dep_ in ("mark", "advmod") and c.lower_ in FRONTED_MARKS for c in v.children):
            return None
        subj = next((c for c in v.head.children if c.dep_ == "nsubj"), None)
        m = self.tok2mention.get(subj.i) if subj is not None else None
        if m is None or self._label_of(m) != "PERSON" or not self._gender_ok(low, m):
            return None
        ref, _ = self._resolve_mention(m)
        rs, re_, rtext = _strip_possessive(ref.start, ref.end, ref.text)
        return Actor(tok.idx, tok.idx + len(tok), tok.text, "PERSON", rs, re_, rtext)

    def _addressee(self, tok: Token, speaker: Actor) -> Actor | None:
        """Whom the speaker of a quote says "you" to: the object of the speaker's own addressing verb
        ("Warren told Stumpf", "McCaskill scolded him", "she said to Trump") in the quote's sentence
        or the five before it; the nearest such verb decides. None when the speaker addresses no one
        named (a generic "you")."""
        si = self.sent_of.get(tok.i, 0)
        key = (si, (speaker.ref_text or "").lower())
        if key in self._addressee_cache:
            return self._addressee_cache[key]
        self._addressee_cache[key] = None  # no cycles through pronoun resolution
        found: Actor | None = None
        for psi in range(si, max(-1, si - 6), -1):
            verbs = [t for t in self.sents[psi] if t.pos_ == "VERB" and t.lemma_.lower() in ADDRESS_VERBS]
            verbs += [t for t in self.sents[psi] if t.pos_ == "VERB" and t.lemma_.lower() in ("say", "speak")
                      and any(c.dep_ == "prep" and c.lower_ == "to" for c in t.children)]
            for v in sorted(verbs, key=lambda t: -t.i):
                if self._quote_at(v) is not None:
                    continue  # a verb inside someone's words is not the narrator's scene
                subj = self.subject(v)
                sa = self.actor(subj) if subj is not None and subj.lower_ not in FIRST_PRONOUNS | SECOND_PRONOUNS else None
                if sa is None or (sa.ref_text or "").lower() != key[1]:
                    continue
                objs = [c for c in v.children if c.dep_ in ("dobj", "dative")] + self.prep_objects([v], ["to"])
                for o in objs:
                    if o.lower_ in SECOND_PRONOUNS | FIRST_PRONOUNS:
                        continue
                    oa = self.actor(o)
                    if oa is not None and oa.ref_text and oa.ref_text.lower() != key[1]:
                        found = oa
                        break
                if found is not None:
                    break
            if found is not None:
                break
        self._addressee_cache[key] = found
        return found

    def _article_addressee(self) -> Actor | None:
        """The one named person the narrator shows being addressed in the whole article ("Warren
        grilled Stumpf", "McCaskill told Oz"), else None (nobody, or several people)."""
        if self._article_addressee_cache is not False:
            return self._article_addressee_cache
        self._article_addressee_cache = None
        found: dict[str, Actor] = {}
        for sent in self.sents:
            for v in sent:
                if v.pos_ != "VERB" or v.lemma_.lower() not in ADDRESS_VERBS or self._quote_at(v) is not None:
                    continue
                subj = self.subject(v)
                if subj is None or subj.lower_ in FIRST_PRONOUNS | SECOND_PRONOUNS or self.actor(subj) is None:
                    continue
                for o in [c for c in v.children if c.dep_ in ("dobj", "dative")]:
                    if o.lower_ in FIRST_PRONOUNS | SECOND_PRONOUNS:
                        continue
                    oa = self.actor(o)
                    if oa is not None and oa.ref_text and oa.label == "PERSON":
                        found.setdefault(oa.ref_text.lower(), oa)
        if len(found) == 1:
            self._article_addressee_cache = next(iter(found.values()))
        return self._article_addressee_cache

    def _blocked_refs(self, blocked: set[int]) -> set[int]:
        """Start offsets of the named referents of the tokens of a clause's subject."""
        refs: set[int] = set()
        for i in blocked:
            m = self.tok2mention.get(i)
            if m is not None:
                refs.add(self._resolve_mention(m)[0].start)
            elif self.doc[i].lower_ in PERSON_PRONOUNS and self.doc[i].dep_ in ("nsubj", "nsubjpass"):
                a = self._resolver_actor(self.doc[i], i, i + 1)
                if a is not None and a.ref_start is not None:
                    refs.add(a.ref_start)
        return refs

    def _previous_person(self, tok: Token, low: str, excluded: set[int]) -> Actor | None:
        """he/him/she/her when the resolver's answer is bound out: in the nearest of the three
        previous sentences naming a fitting person (by name, untagged surname, or a he/she subject
        the resolver knows), its subject, else its only person; several non-subjects: nobody."""
        si = self.sent_of.get(tok.i, 0)
        for psi in range(si - 1, max(-1, si - 4), -1):
            cands: list[tuple[bool, Actor]] = []  # (a named subject?, actor)
            unknown_name = False  # a name NER did not tag ("Oz's advice earned him ...")
            for t in self.sents[psi]:
                a: Actor | None = None
                if t.dep_ in ("compound", "amod", "nmod"):
                    continue  # "a Romney caricature" names nobody who could be "him"
                m = self.tok2mention.get(t.i)
                if m is not None:
                    root = self.mention_root.get(m.mention_index)
                    if root is None or root.i != t.i or self._label_of(m) != "PERSON" or not self._gender_ok(low, m):
                        continue
                    a = self._mention_actor(m)
                elif t.pos_ == "PROPN":
                    a = self._untagged_name_actor(t)
                    if a is None and t.dep_ in ("nsubj", "nsubjpass", "poss") and t.text[:1].isupper() and not t.is_sent_start:
                        unknown_name = True
                elif t.lower_ in PERSON_PRONOUNS and t.dep_ in ("nsubj", "nsubjpass") and (t.lower_ in ("he", "him", "his")) == (low in ("he", "him", "his", "himself")):
                    if cands or unknown_name:
                        continue  # after a name in its own sentence, a pronoun is most likely that person
                    a = self._resolver_actor(t, t.i, t.i + 1)
                if a is None or a.label != "PERSON" or a.ref_start is None or a.ref_start in excluded:
                    continue
                cands.append((t.dep_ in ("nsubj", "nsubjpass") and t.pos_ == "PROPN", a))
            if not cands:
                if unknown_name:
                    return None  # the sentence names someone we cannot resolve: no guess further back
                continue
            people = {a.ref_start for _, a in cands}
            subjects = {a.ref_start: a for named_subj, a in cands if named_subj}
            pick = cands[0][1] if len(people) == 1 else (next(iter(subjects.values())) if len(subjects) == 1 else None)
            if pick is None:
                return None
            return Actor(tok.idx, tok.idx + len(tok), tok.text, "PERSON", pick.ref_start, pick.ref_end, pick.ref_text)
        return None

    def actor(self, tok: Token | None) -> Actor | None:
        """The actor a token (head of a noun phrase) denotes, or None."""
        if tok is None:
            return None
        m = self.tok2mention.get(tok.i)
        if m is not None:
            if self._is_dateline(m.start, m.end, m.text) or (m.label == "NORP" and not _known_group(m.text)):
                return None
            return self._mention_actor(m)
        untagged = self._untagged_name_actor(tok)
        if untagged is not None and self._is_dateline(untagged.start, untagged.end, untagged.text):
            return None
        if untagged is not None:
            return untagged
        low = tok.lower_
        if tok.pos_ == "PRON" or low in PERSON_PRONOUNS | THING_PRONOUNS | GROUP_PRONOUNS | FIRST_PRONOUNS:
            return self._pronoun_actor(tok)
        for c in tok.children:  # "the spokesman, Guo Jiakun, ..."
            if c.dep_ == "appos" and c.i in self.tok2mention:
                return self._mention_actor(self.tok2mention[c.i])
        if tok.dep_ == "appos" and tok.pos_ == "NOUN" and tok.head.i in self.tok2mention:
            return self._mention_actor(self.tok2mention[tok.head.i])  # "García, a commissioner who ..."
        inst = self._institution_actor(tok)
        if inst is not None:
            return inst
        if tok.pos_ == "NOUN" and tok.lemma_.lower() == "party":
            return self._party_actor(tok)
        if tok.pos_ in ("NOUN", "PROPN"):
            known, role = self._role_actor(tok)
            if known:
                return role  # a known role never falls through to a guess
            org = self._org_noun_actor(tok)
            if org is not None:
                return org
        if tok.pos_ == "NOUN" and any(c.dep_ == "det" for c in tok.children):
            # a role ("the spokesman") introduced earlier with a name; a phrase holding a name of its
            # own ("the GOP candidate", "Ford's plans") is not that name
            if any(i in self.tok2mention for i in range(tok.left_edge.i, tok.i + 1)):
                return None
            if tok.lower_ not in self._mention_last_words:
                return None  # the resolver's roles are organisations named "... <noun>": none here
            return self._resolver_actor(tok, tok.left_edge.i, tok.i + 1)
        return None

    def actors_conj(self, tok: Token | None) -> list[tuple[Token, Actor]]:
        """Actors of ``tok`` and of the tokens coordinated with it ("China and North Korea")."""
        out: list[tuple[Token, Actor]] = []
        if tok is None:
            return out
        seen: set[int] = set()
        stack = [tok]
        while stack:
            t = stack.pop(0)
            if t.i in seen:
                continue
            seen.add(t.i)
            a = self.actor(t)
            if a is not None and not any(a.start == b.start for _, b in out):
                out.append((t, a))
            stack.extend(c for c in t.children if c.dep_ == "conj")
        return out

    # =============================================================================================
    # reported speech

    def _quote_at(self, tok: Token) -> Quote | None:
        for q in self.quotes:
            if q.content_start <= tok.idx < q.content_end:
                return q
        return None

    def quote_index_at(self, tok: Token) -> int | None:
        q = self._quote_at(tok)
        return q.quote_index if q is not None else None

    def _checked_speaker(self, speaker: Actor) -> Actor | None:
        """A quote's speaker given as a role ("the vice president") is re-resolved with this module's
        role index (one person introduced with the role and its qualifiers); a role it finds
        ambiguous gives no speaker rather than a guess."""
        span = self.doc.char_span(speaker.start, speaker.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return speaker
        root = span.root
        if root.i in self.tok2mention or root.pos_ not in ("NOUN", "PROPN") or root.dep_ == "appos":
            return speaker
        if any(c.dep_ == "appos" for c in root.children):
            return speaker  # "the spokesman, Guo Jiakun": the name decides
        known, own = self._role_actor(root)
        if not known:
            return speaker
        if own is None:
            return None
        return Actor(speaker.start, speaker.end, speaker.text, own.label, own.ref_start, own.ref_end, own.ref_text)

    def _object_of_cue_verb(self, q: Quote) -> bool:
        """An "indirect quote" whose cue is an accusation verb ("Trump avoids condemning [Russia's
        invasion]") is that verb's object, not reported speech: the verb frame judges it."""
        if q.kind != "indirect" or not q.cue_lemma:
            return False
        lemma = q.cue_lemma.lower()
        return lemma not in SPEECH_VERBS and any(
            c.frame in ("verb", "call_names") for c in self.lex.cues_for(lemma, "VERB")
        )

    def _speech_verb_speaker(self, tok: Token) -> Actor | None:
        t = tok
        while t.head.i != t.i:
            h = t.head
            if h.lemma_.lower() in SPEECH_VERBS and h.pos_ in ("VERB", "AUX") and t.dep_ in ("ccomp", "parataxis"):
                subj = next((c for c in h.children if c.dep_ == "nsubj"), None)
                if subj is None or subj.i <= tok.i <= subj.right_edge.i and subj.left_edge.i <= tok.i:
                    return None
                a = self.actor(subj) if subj.lower_ not in FIRST_PRONOUNS else None
                return a if a is not None and a.ref_text else None
            t = h
        return None

    def speech(self, tok: Token) -> _Speech | None:
        """Who says the clause ``tok`` is in: a Quote's speaker, else the subject of a speech verb."""
        if tok.i in self._speech_cache:
            return self._speech_cache[tok.i]
        self._speech_cache[tok.i] = None  # guard against resolution cycles (we -> speaker -> we)
        out: _Speech | None = None
        q = self._quote_at(tok)
        if q is not None and q.speaker is not None and not self._object_of_cue_verb(q):
            # a role the quote resolver left open ("the senator said") is resolved with the role index
            speaker = self._checked_speaker(q.speaker)
            out = _Speech(speaker, q.quote_index, 0.0) if speaker is not None and speaker.ref_text else None
        if out is None:
            a = self._speech_verb_speaker(tok)
            if a is not None:
                out = _Speech(a, None, 0.05)
        if out is None:
            out = self._continuation_speaker(tok)
        self._speech_cache[tok.i] = out
        return out

    def _continuation_speaker(self, tok: Token) -> _Speech | None:
        """A sentence that opens with a quote mark and has no speech verb continues the previous
        sentence's quote (fallback until quotes.py supplies Quote records)."""
        si = self.sent_of.get(tok.i)
        if si is None or si == 0:
            return None
        sent = self.sents[si]
        first = next((t for t in sent if not t.is_space), None)
        if first is None or first.text not in OPEN_QUOTES:
            return None
        if any(t.lemma_.lower() in SPEECH_VERBS and t.pos_ == "VERB" for t in sent):
            return None
        prev = self.sents[si - 1]
        if not any(t.text in OPEN_QUOTES | CLOSE_QUOTES for t in prev):
            return None
        for t in prev:
            if t.lemma_.lower() in SPEECH_VERBS and t.pos_ == "VERB":
                subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
                a = self.actor(subj) if subj is not None and subj.lower_ not in FIRST_PRONOUNS else None
                if a is not None and a.ref_text:
                    return _Speech(a, None, 0.15)
        return None

    # =============================================================================================
    # phrases

    def _charge_words(self, toks: Iterable[Token]) -> tuple[list[str], list[str]]:
        lem, low = [], []
        for t in toks:
            if t.is_punct or t.is_space or t.lower_ in ("the", "a", "an"):
                continue
            for w in t.lemma_.lower().replace("-", " ").split():
                lem.append(w)
            for w in t.lower_.replace("-", " ").split():
                low.append(w)
        return lem, low

    def charge_terms(self, toks: Iterable[Token], kinds=None, implicit_only=False):
        toks = list(toks)
        lem, low = self._charge_words(toks)
        found = match_charge_terms(lem, self.lex, kinds, implicit_only)
        for ct in match_charge_terms(low, self.lex, kinds, implicit_only):
            if ct not in found:
                found.append(ct)
        return found

    def phrase(self, head: Token, exclude: Iterable[Token] = ()) -> tuple[int, int] | None:
        """Token span [i, j) of the short phrase headed by ``head`` (adjuncts, conjuncts, clauses cut)."""
        excl = {t.i for t in exclude}
        kept: set[int] = set()

        def walk(t: Token, root: bool) -> None:
            kept.add(t.i)
            for c in t.children:
                if c.i in excl:
                    continue
                if root and c.dep_ in ("conj", "cc", "preconj"):
                    continue
                if c.dep_ in ("advcl", "parataxis", "npadvmod") or c.is_space:
                    continue
                if root and c.dep_ in ("nsubj", "nsubjpass", "mark"):
                    continue
                if t.pos_ in ("VERB", "AUX") and c.dep_ == "prep" and c.lower_ in ADJUNCT_PREPS:
                    continue
                if c.ent_type_ in TIME_LABELS and c.dep_ in ("npadvmod", "advmod", "tmod"):
                    continue
                if c.dep_ == "prep" and any(g.dep_ == "pobj" and g.ent_type_ in TIME_LABELS for g in c.children):
                    continue
                if c.dep_ == "punct" and c.text in (",", ";", ":", "—", "–", "(", ")"):
                    continue
                walk(c, False)

        walk(head, True)
        # commas and quote marks between kept words stay ("“reckless, provocative” actions")
        lo, hi = min(kept), max(kept)
        for k in range(lo + 1, hi):
            t = self.doc[k]
            if k not in kept and t.is_punct and t.head.i in kept and k not in excl:
                kept.add(k)
        i = j = head.i
        while i - 1 in kept:
            i -= 1
        while j + 1 in kept:
            j += 1
        j += 1
        # trim edge punctuation / unbalanced quotes / leading determiners
        while i < j:
            t = self.doc[i]
            if t.is_punct and not self._balanced_open(i, j):
                i += 1
            elif t.is_space:
                i += 1
            else:
                break
        while j > i:
            t = self.doc[j - 1]
            if (t.is_punct and not self._balanced_close(i, j)) or t.is_space:
                j -= 1
            else:
                break
        # a quote mark left open inside the span: take in the adjacent closing mark
        inner = [self.doc[k].text for k in range(i, j)]
        n_open = sum(x in ("“", "‘") for x in inner)
        n_close = sum(x in ("”", "’") for x in inner)
        if n_open > n_close and j < len(self.doc) and self.doc[j].text in CLOSE_QUOTES:
            j += 1
        elif n_open > n_close and j + 1 < len(self.doc) and self.doc[j].is_punct and self.doc[j + 1].text in CLOSE_QUOTES:
            j += 2  # 'a “loser.”' 
        elif n_close > n_open and i > 0 and self.doc[i - 1].text in OPEN_QUOTES:
            i -= 1
        if j - i > MAX_CHARGE_TOKENS:
            j = max(head.i + 1, i + MAX_CHARGE_TOKENS)
        if j <= i:
            return None
        return i, j

    def _balanced_open(self, i: int, j: int) -> bool:
        t = self.doc[i]
        if t.text not in OPEN_QUOTES and t.text not in "([":
            return False
        return any(self.doc[k].text in CLOSE_QUOTES or self.doc[k].text in ")]" for k in range(i + 1, j))

    def _balanced_close(self, i: int, j: int) -> bool:
        t = self.doc[j - 1]
        if t.text not in CLOSE_QUOTES and t.text not in ")]":
            return False
        return any(self.doc[k].text in OPEN_QUOTES or self.doc[k].text in "([" for k in range(i, j - 1))

    def span_chars(self, span: tuple[int, int]) -> tuple[int, int, str]:
        s = self.doc[span[0] : span[1]]
        return s.start_char, s.end_char, s.text

    # =============================================================================================
    # parse helpers

    def subject(self, v: Token, depth: int = 0) -> Token | None:
        """The subject of verb ``v``, following coordination, control and participle clauses."""
        if depth > 4:
            return None
        subjects = [c for c in v.children if c.dep_ in ("nsubj", "csubj")]
        if subjects:
            # two subjects happen when a headline is glued to the lede ("X Hammers Y: ... Warren
            # grilled Y"): the verb's own subject is the nearest one on its left
            before = [c for c in subjects if c.i < v.i]
            c = before[-1] if before else subjects[0]
            if c.lower_ in RELATIVE_PRONOUNS and v.dep_ == "relcl":
                return v.head
            return c
        stray = self._stray_subject(v)
        if stray is not None:
            return stray
        if v.dep_ == "conj" and v.head.pos_ in ("VERB", "AUX"):
            if v.tag_ in FINITE_TAGS and v.head.tag_ not in FINITE_TAGS and not any(
                c.dep_ in ("aux", "auxpass") and c.tag_ in FINITE_TAGS | {"MD"} for c in v.head.children
            ):  # "has passed ... and had" is finite through its auxiliary
                # parse repair: "Romney ran on his ability to jolt the recovery and accused Obama of
                # ..." hangs the finite "accused" on the infinitive; it shares the finite verb's subject
                finite = self._finite_ancestor(v.head)
                if finite is not None:
                    return self.subject(finite, depth + 1)
            return self.subject(v.head, depth + 1)
        if v.dep_ == "xcomp":
            controller = self._object_controller(v.head)
            return controller if controller is not None else self.subject(v.head, depth + 1)
        if v.dep_ == "pcomp" and v.head.dep_ == "prep" and v.head.head.pos_ in ("VERB", "AUX"):
            # "criticized Y for accusing Z" (Y accuses), "apologize for accusing Z" (the subject does),
            # "hit Y back by accusing him" (the subject does: by/after/while name how or when it acts)
            gov = v.head.head
            if v.head.lower_ not in SUBJECT_PREPS:
                obj = next((c for c in gov.children if c.dep_ in ("dobj", "nsubjpass")), None)
                if obj is not None:
                    return obj
            return self.subject(gov, depth + 1)
        if v.dep_ == "acl" and v.tag_ == "VBG" and v.head.lemma_.lower() in AUTHORED_MEDIA:
            # "Clinton's speech denouncing his policies", "a Donald Trump tweet attacking Y": its author
            # (a person or organisation; "a Rochester rally" is a place's); "the U.N. had a General
            # Assembly vote condemning Y", "Japan issued a statement denouncing Y": who issued it
            kids = list(v.head.children)
            for c in kids:
                if c.dep_ == "poss" and c.i in self.tok2mention:
                    return c
            gov = v.head.head
            if v.head.dep_ == "dobj" and gov.lemma_.lower() in ISSUING_VERBS and gov.pos_ in ("VERB", "AUX"):
                subj = self.subject(gov, depth + 1)
                if subj is not None and self.actor(subj) is not None:
                    return subj
            for c in kids:
                m = self.tok2mention.get(c.i)
                if m is not None and c.dep_ == "compound" and self._label_of(m) in ("PERSON", "ORG"):
                    return c
            return None
        if v.dep_ in ("relcl", "acl") and v.tag_ != "VBN":
            return v.head
        if v.dep_ == "advcl" and not any(c.dep_ == "mark" for c in v.children) and (
            v.tag_ == "VBG" or any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children)
        ):
            # "..., calling him a loser"; "went out of his way to criticize the State Department"
            return self.subject(v.head, depth + 1)
        return None

    @staticmethod
    def _finite_ancestor(t: Token) -> Token | None:
        for _ in range(4):
            if t.tag_ in FINITE_TAGS and t.pos_ in ("VERB", "AUX"):
                return t
            if t.head.i == t.i:
                return None
            t = t.head
        return None

    @staticmethod
    def clause_subject(v: Token) -> Token | None:
        """The subject of a that-clause; parse repair: in "demanding that Donald Trump's campaign
        stop using ..." the parser may attach "campaign" to "stop" as a compound."""
        subj = next((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            return subj
        return next((c for c in v.lefts if c.dep_ in ("compound", "dep") and c.pos_ in ("NOUN", "PROPN")), None)

    def _object_controller(self, gov: Token) -> Token | None:
        """Who does what an object-control verb asks: "urged Y to ...", "called on Y to ..."; with
        other verbs the subject acts ("he used his speech to call out Trump")."""
        if gov.lemma_.lower() not in OBJECT_CONTROL_VERBS and gov.lemma_.lower() not in self.demand_verbs:
            return None
        obj = next((c for c in gov.children if c.dep_ in ("dobj", "dative")), None)
        if obj is not None:
            return obj
        for c in reversed(list(gov.children)):  # "called on Wednesday on Dean to ...": not the date
            if c.dep_ == "prep" and c.lower_ in ("on", "upon"):
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is not None and pobj.ent_type_ not in TIME_LABELS:
                    return pobj
        return None

    def _stray_subject(self, v: Token) -> Token | None:
        """Parse repair: in "the Department mishandled the probe and Democrats accused the GOP" the
        parser hangs "Democrats" on the previous object and leaves "accused" without a subject; a
        named actor right before a finite verb that has none is its subject."""
        if v.tag_ not in ("VBD", "VBZ", "VBP") or any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") for c in v.children):
            return None
        for c in v.lefts:
            # "Trump summed up Clinton as “terrible,” denounced her record": the parser makes the first
            # verb a ccomp of the second; they share its subject
            if c.dep_ in ("ccomp", "conj") and c.tag_ in FINITE_TAGS and self.doc[v.i - 1].is_punct:
                subj = next((g for g in c.children if g.dep_ == "nsubj"), None)
                if subj is not None and (subj.i in self.tok2mention or subj.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS):
                    return subj
        i = v.i - 1
        while i >= 0 and self.doc[i].dep_ in ("advmod", "aux", "neg") and self.doc[i].head.i == v.i:
            i -= 1
        if i < 0:
            return None
        t = self.doc[i]
        if t.i not in self.tok2mention or t.dep_ not in ("conj", "dobj", "pobj", "appos") or t.head.i >= t.i:
            return None
        root = self.mention_root.get(self.tok2mention[t.i].mention_index)
        if root is None or root.i != t.i:
            return None
        return t

    @staticmethod
    def is_passive(v: Token) -> bool:
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children):
            return True
        return v.dep_ == "acl" and v.tag_ == "VBN"

    @staticmethod
    def prep_objects(holders: Iterable[Token], preps: Iterable[str]) -> list[Token]:
        preps = set(preps)
        out = []
        for h in holders:
            for c in h.children:
                if c.dep_ in ("prep", "agent", "dative") and c.lower_ in preps:
                    objs = [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
                    if not objs and c.lower_ == "as":  # "condemned the test as “provocative and destabilizing”"
                        objs = [g for g in c.children if g.pos_ == "ADJ" and g.dep_ in ("amod", "acomp")][:1]
                    out += objs
        return out

    def cue_parts(self, tok: Token, cue: Cue) -> list[Token] | None:
        """Tokens of the multi-word cue's further parts hanging off ``tok`` (None if missing)."""
        parts: list[Token] = []
        for p in cue.parts:
            # a part hangs off the head or off the previous part ("held Y [in [contempt]]")
            hit = next(
                (c for h in (tok, *parts[-1:]) for c in h.children if c.lemma_.lower() == p or c.lower_ == p),
                None,
            )
            if hit is None:
                return None
            parts.append(hit)
        return parts

    def stance(self, tok: Token, extra_heads: Iterable[Token] = ()) -> str:
        chain = [tok, *extra_heads]
        t = tok
        for _ in range(3):
            if (
                t.dep_ in ("xcomp", "ccomp", "pcomp", "conj", "acl", "dobj", "pobj", "prep") and t.head.i != t.i
                and self.sent_of.get(t.head.i) == self.sent_of.get(t.i)  # not across a parse glued over a paragraph
            ):
                t = t.head
                chain.append(t)
            else:
                break
        negated = hypothetical = denied = False
        for k, c in enumerate(chain):
            if k > 0 and c.dep_ == "prep" and c.lower_ in ("of", "from"):
                continue  # "steered clear of / refrained from criticizing": the governor decides
            kids = list(c.children)
            if k > 0 and c.lemma_.lower() in self.lex.denial_verbs and self.lex.denial_verbs[c.lemma_.lower()] == "deny":
                denied = True
                break
            if any(x.dep_ == "neg" or x.lower_ == "never" for x in kids):
                negated = True
            if any(x.dep_ == "det" and x.lower_ == "no" for x in kids):
                negated = True
            if k > 0 and (c.lemma_.lower() in NEGATING_GOVERNORS or _negating_phrase(c)):
                negated = True
            if any(x.dep_ == "aux" and x.lower_ in MODALS for x in kids):
                hypothetical = True
            if any(x.dep_ == "mark" and x.lower_ in ("if", "unless", "whether") for x in kids):
                hypothetical = True
            if k > 0 and c.lemma_.lower() in HYPOTHETICAL_GOVERNORS:
                hypothetical = True
            if k > 0 and c.dep_ not in ("conj", "xcomp"):
                break
        if denied:
            return "denied"
        if negated:
            return "negated"
        if tok.dep_ in ("xcomp", "advcl", "ccomp") and tok.head.lemma_.lower() in UNREALIZED_ADJECTIVES and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in tok.children
        ):
            hypothetical = True  # "it becomes harder for Republicans to attack Obama as a job killer"
        if hypothetical or self._alleged(tok):
            return "hypothetical"
        return "asserted"

    def _alleged(self, tok: Token) -> bool:
        """An act inside another accusation's charge is only alleged: in "Guo accused Rutte of
        worsening tensions and vilifying China" Rutte's vilifying is Guo's claim, not a fact."""
        t = tok
        for _ in range(5):
            if t.dep_ not in ("conj", "pcomp", "prep", "xcomp") or t.head.i == t.i:
                return False
            if t.dep_ == "prep" and t.lower_ in ("of", "with") and t.head.lemma_.lower() in ALLEGING_VERBS:
                return True
            t = t.head
        return False

    def nominal_charge(self, t: Token) -> Token:
        """For a clause standing where a charge noun should be ("what it said was misinformation"),
        the noun that carries the charge."""
        if t.pos_ in ("NOUN", "PROPN"):
            return t
        sub = [x for x in t.subtree if x.pos_ == "NOUN"]
        for x in sub:
            if self.charge_terms([x]):
                return x
        for x in sub:
            if x.dep_ in ("attr", "dobj"):
                return x
        return t

    def charge_heads(self, head: Token) -> list[Token]:
        """A charge head and the heads coordinated with it (same broad category)."""
        out = [head]
        verbal = head.pos_ in ("VERB", "AUX")
        stack = [head]
        while stack:
            t = stack.pop()
            for c in t.children:
                if c.dep_ == "conj" and (c.pos_ in ("VERB", "AUX")) == verbal:
                    if verbal and head.dep_ == "pcomp" and c.tag_ in ("VB", "VBP", "VBZ", "VBD"):
                        continue  # "accuse Y of being duped and [encourage] Americans to ...": not one charge
                    out.append(c)
                    stack.append(c)
        return out

    # =============================================================================================
    # emitting

    def sentence_span(self, tok: Token) -> tuple[int, int]:
        s = self.sents[self.sent_of.get(tok.i, 0)]
        i, j = s.start, s.end
        while j > i and self.doc[j - 1].is_space:  # whitespace tokens ("\n\n") at either edge
            j -= 1
        while i < j and self.doc[i].is_space:
            i += 1
        if i >= j:
            return s.start_char, s.end_char
        return self.doc[i].idx, self.doc[j - 1].idx + len(self.doc[j - 1].text)

    def cameo_for(self, cue: Cue, charge_toks: list[Token]) -> str:
        code = cue.cameo or "112"
        if code.startswith("112") and charge_toks:
            refined = [ct.cameo for ct in self.charge_terms(charge_toks) if ct.cameo]
            if refined:
                return sorted(refined, key=lambda c: -len(c))[0]
        return code

    def emit(
        self,
        *,
        accuser: Actor,
        accused: Actor,
        charge: tuple[int, int] | None,
        cue_toks: list[Token],
        cue: Cue,
        stance: str,
        confidence: float,
        anchor: Token,
        quote_index: int | None,
        cue_lemma: str | None = None,
        accused_in_charge: bool = False,
    ) -> None:
        if accuser.ref_text is None or accused.ref_text is None:
            return
        if accuser.ref_text.lower() == accused.ref_text.lower() or accuser.start == accused.start:
            return
        if charge is not None:
            cs, ce, ctext = self.span_chars(charge)
            charge_toks = list(self.doc[charge[0] : charge[1]])
            # the accused must not sit inside its own charge ("accused X" where X is in the phrase)
            if cs <= accused.start < ce and not accused_in_charge:
                return
            if self.charge_terms(charge_toks):
                confidence += 0.05
        else:
            cs = ce = cue_toks[-1].idx + len(cue_toks[-1])
            ctext = ""
            charge_toks = []
            confidence -= 0.1
        cue_toks = sorted(cue_toks, key=lambda t: t.i)
        cue_span = self.doc[cue_toks[0].i : cue_toks[-1].i + 1]
        ev_s, ev_e = self.sentence_span(anchor)
        if accused.text.lower() in PERSON_PRONOUNS | THING_PRONOUNS | GROUP_PRONOUNS | FIRST_PRONOUNS | SECOND_PRONOUNS:
            confidence -= 0.1
        if accused.start in self._uncertain or accuser.start in self._uncertain:
            confidence -= AMBIGUOUS_PRONOUN_PENALTY
        if accuser.text.lower() in PERSON_PRONOUNS | THING_PRONOUNS | GROUP_PRONOUNS:
            confidence -= 0.05
        confidence = round(min(0.99, max(0.05, confidence)), 3)
        lemma = cue_lemma or " ".join([cue.head, *cue.parts])
        lemma = _LEMMA_FIXES.get(lemma, lemma)
        acc = Accusation(
            accuser=accuser,
            accused=accused,
            charge_start=cs,
            charge_end=ce,
            charge_text=ctext,
            cue_start=cue_span.start_char,
            cue_end=cue_span.end_char,
            cue_text=cue_span.text,
            cue_lemma=lemma,
            cameo_code=self.cameo_for(cue, charge_toks),
            stance=stance,
            confidence=confidence,
            evidence_start=ev_s,
            evidence_end=ev_e,
            quote_index=quote_index,
        )
        key = (accuser.ref_text.lower(), accused.ref_text.lower(), accused.start, cs if ctext else -1)
        old = self.accusations.get(key)
        if old is None or old.confidence < acc.confidence:
            # an overlapping charge for the same pair found by another rule: keep the stronger one
            for k, other in list(self.accusations.items()):
                if k[:3] == key[:3] and other.charge_text and ctext and _overlap(other.charge_start, other.charge_end, cs, ce):
                    if other.confidence >= acc.confidence:
                        return
                    del self.accusations[k]
            self.accusations[key] = acc

    # =============================================================================================
    # explicit cues

    def _cues_at(self, tok: Token) -> None:
        lemma = tok.lemma_.lower()
        if lemma not in self.lex.cue_heads and tok.lower_ not in self.lex.cue_heads:
            return
        pos = tok.pos_
        cands: list[Cue] = []
        if pos in ("VERB",) or tok.tag_.startswith("VB"):
            cands += self.lex.cues_for(lemma, "VERB")
        if pos == "NOUN":
            cands += self.lex.cues_for(lemma, "NOUN")
        if pos == "ADJ" or tok.tag_ == "VBN":
            cands += self.lex.cues_for(lemma, "ADJ") or self.lex.cues_for(tok.lower_, "ADJ")
        for cue in cands:
            parts = self.cue_parts(tok, cue)
            if parts is None:
                continue
            if cue.frame == "verb":
                self._verb_frame(tok, cue, parts)
            elif cue.frame == "clause":
                self._clause_frame(tok, cue, parts)
            elif cue.frame == "call_names":
                self._call_frame(tok, cue, parts)
            elif cue.frame == "noun":
                self._noun_frame(tok, cue, parts)
            elif cue.frame == "concern":
                self._concern_frame(tok, cue, parts)
            elif cue.frame == "cease":
                self._cease_frame(tok, cue, parts)
            elif cue.frame == "demand":
                self._demand_stop_frame(tok, cue, parts)
            # support / receive / demand rows are consulted by the frames above

    def _targets(self, v: Token, cue: Cue, parts: list[Token], passive: bool) -> tuple[list[Token], str | None]:
        options = self._target_options(v, cue, parts, passive)
        return options[0] if options else ([], None)

    def _target_options(self, v: Token, cue: Cue, parts: list[Token], passive: bool) -> list[tuple[list[Token], str]]:
        """Candidate target tokens per target spec, in lexicon order."""
        out = []
        objs = [c for c in v.children if c.dep_ == "dobj"]
        for spec in cue.targets:
            if spec == "dobj":
                if passive:
                    toks = [c for c in v.children if c.dep_ == "nsubjpass"]
                    if not toks and v.dep_ == "acl":
                        toks = [v.head]
                else:  # "fined Google $2.7 billion": the parser's dative is the object too
                    toks = [c for c in v.children if c.dep_ in ("dobj", "dative")]
            elif spec.startswith("prep:"):
                # the PP may hang off the object ("blamed the riots on Obama")
                toks = self.prep_objects([v, *parts, *objs], [spec[5:]])
            else:
                toks = []
            if toks:
                out.append((toks, spec))
        return out

    def _charge_slots(self, v: Token, holders: list[Token], cue: Cue, skip: set[int]) -> list[Token]:
        for spec in cue.charges:
            if spec.startswith("prep:"):
                toks = [
                    t for t in self.prep_objects(holders, [spec[5:]])
                    if t.i not in skip and t.ent_type_ not in TIME_LABELS  # "slammed Y on Friday"
                ]
            else:
                toks = [c for h in holders for c in h.children if c.dep_ == spec and c.i not in skip]
            if toks:
                return toks
        return []

    def _verb_frame(self, v: Token, cue: Cue, parts: list[Token]) -> None:
        passive = self.is_passive(v)
        options = self._target_options(v, cue, parts, passive)
        if not options:
            return  # no target slot filled: nothing to resolve
        demander = self._demand_governor(v)
        if demander is not None:
            # "Schiff called on Obama to retaliate against Russia for ...": who demands it accuses
            accusers = self.actors_conj(self.subject(demander))
        elif passive:
            agents = self.prep_objects([v], ["by"])
            accusers = [a for t in agents for a in self.actors_conj(t)]
        else:
            accusers = self.actors_conj(self.subject(v))
        if not accusers:
            return
        # the first target slot holding an actor (or an actor's possession) wins
        target_toks, spec = options[0]
        for toks, sp in options:
            if any(self.actors_conj(t) or self.actors_conj(self._owner(t)) for t in toks):
                target_toks, spec = toks, sp
                break
        targets: list[tuple[Token, Actor, float]] = []  # (token, actor, confidence adjustment)
        poss_charge: Token | None = None
        charge_as_target: Token | None = None
        for tt in target_toks:
            found = self.actors_conj(tt)
            if found:
                targets += [(t, a, 0.0) for t, a in found]
                continue
            poss = self._owner(tt) if not _people_noun(tt) else None  # "attacked Cruz's wife" is no charge of Cruz
            pa = self.actors_conj(poss) if poss is not None else []
            adj = -0.1
            if not pa and spec == "dobj" and not passive and not _people_noun(tt):
                # "Obama condemned Friday's test as ...": the test the article gave an owner before
                earlier = self._earlier_owner(tt)
                pa = self.actors_conj(earlier) if earlier is not None else []
                adj = -0.15
            if pa:
                targets += [(t, a, adj) for t, a in pa]
                poss_charge = tt
            elif spec and spec.startswith("prep:"):
                charge_as_target = tt
        charge_heads: list[Token] = []
        if charge_as_target is not None and not targets:
            ch = self.nominal_charge(charge_as_target)
            charge_heads = self.charge_heads(ch)
            poss = next((c for c in ch.children if c.dep_ == "poss"), None)
            found = self.actors_conj(poss) if poss is not None else []
            if not found:
                for c in v.children:
                    if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in TEMPORAL_MARKS for m in c.children):
                        found = self.actors_conj(self.subject(c))
                        if found:
                            break
            targets = [(t, a, -0.1) for t, a in found]
            if not targets:
                return
        else:
            skip = {t.i for t in target_toks}
            slots = self._charge_slots(v, [v, *parts, *target_toks], cue, skip)
            for s in slots:
                charge_heads += self.charge_heads(self._antecedent_of_relative(s, v))
            if not charge_heads and poss_charge is not None:
                charge_heads = [poss_charge]
        if cue.requires_charge and not charge_heads:
            # the verbal sense of "attack"/"hammer" shows in a saying clause or a medium:
            # "it attacked Trump, saying he ...", "Trump attacked Machado in early-morning tweets"
            charge_heads = self._verbal_evidence(v)
        colon = self._colon_quote(v) if not charge_heads else None
        if colon is not None and cue.requires_charge:
            # "attacked Y: “...”" is verbal only when the words address Y or name a charge (not
            # "Russia attacked Ukraine: “The missiles hit Kyiv.”")
            words = self.doc[colon[0] : colon[1]]
            if not (any(t.lower_ in SECOND_PRONOUNS for t in words) or self.charge_terms(words)):
                colon = None
        if cue.requires_charge and not charge_heads and colon is None:
            return
        stance = self.stance(v if demander is None else demander)
        qi = self.quote_index_at(v)
        for ttok, accused, adj in targets:
            for ch in charge_heads or [None]:
                span = colon
                verb_phrase = False
                if ch is not None:
                    excl = [self._owner_phrase(self._owner(ch))] if ch is poss_charge else []
                    excl += [t.head if t.dep_ == "pobj" else t for t in target_toks]  # "the riots [on Obama]"
                    if ch.i == v.head.i and v.dep_ == "relcl":
                        excl.append(v)  # "problems [that he blamed on Obama]"
                    span = self.phrase(ch, [x for x in excl if x is not None])
                    verb_phrase = (
                        span is not None and span[1] - span[0] == 1 and self.doc[span[0]].lower_ in DEMONSTRATIVES
                        and v.i < span[0]
                    )
                    if verb_phrase:
                        span = (v.i, span[1])  # "call out Russia on this": a bare "this" says nothing alone
                for _, accuser in accusers:
                    self.emit(
                        accuser=accuser,
                        accused=accused,
                        charge=span,
                        cue_toks=[v, *parts],
                        cue=cue,
                        stance=stance,
                        confidence=cue.confidence + adj,
                        anchor=v,
                        quote_index=qi,
                        accused_in_charge=ch is not None and verb_phrase,
                    )

    def _demand_governor(self, v: Token) -> Token | None:
        """The demand verb whose object is asked to do ``v`` ("urged Obama to [punish] Russia",
        "called on Obama to [retaliate]"), else None."""
        t = v
        for _ in range(3):
            if t.dep_ not in ("xcomp", "conj", "ccomp") or t.head.i == t.i:
                return None
            t = t.head
            if t.lemma_.lower() in self.demand_verbs and t.pos_ == "VERB":
                cues = [c for c in self.lex.cues_for(t.lemma_.lower(), "VERB") if c.frame == "demand"]
                if any(self.cue_parts(t, c) is not None for c in cues):  # "calling him a loser" is no "call on"
                    return t
        return None

    def _owner(self, tok: Token) -> Token | None:
        """Whose thing a noun is: its possessor ("Trump's remarks"), or a named actor in an of-phrase
        ("the policies of President Obama")."""
        poss = next((c for c in tok.children if c.dep_ == "poss"), None)
        if poss is not None:
            return poss
        if tok.pos_ != "NOUN" or tok.lemma_.lower() not in AGENT_OF_NOUNS:
            return None  # "the annexation of Crimea": Crimea suffered it
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is not None and (
                    pobj.i in self.tok2mention or self._untagged_name_actor(pobj) is not None
                    or self._institution_actor(pobj) is not None  # "policies of the Bill Clinton administration"
                ):
                    return pobj
            if c.dep_ == "acl" and c.tag_ == "VBN" and c.lemma_.lower() in AUTHORING_VERBS:
                # "an effort supported by Obama", "a plan proposed by the GOP": its author
                agent = next(iter(self.prep_objects([c], ["by"])), None)
                if agent is not None and agent.i in self.tok2mention:
                    return agent
        return None

    def _earlier_owner(self, noun: Token) -> Token | None:
        """A definite event noun with no named owner of its own ("the test", "Friday's test") whose
        lemma the article used before with exactly one named possessor ("North Korea's latest nuclear
        test"): that possessor. Several owners, or none: None."""
        if noun.pos_ != "NOUN" or noun.tag_ not in ("NN", "NNS"):
            return None
        kids = list(noun.children)
        if any(c.dep_ == "det" and c.lower_ not in ("the", "this", "that") for c in kids):
            return None  # "a test", "any deal": not one the article has told of
        poss = next((c for c in kids if c.dep_ == "poss"), None)
        if poss is not None and poss.ent_type_ not in TIME_LABELS:
            return None  # "his test", "the party's lack": an owner of its own decides
        if poss is None and not any(c.dep_ == "det" for c in kids):
            return None
        lemma = noun.lemma_.lower()
        owners: dict[str, Token] = {}
        for t in self.doc[: noun.i]:
            if t.pos_ != "NOUN" or t.lemma_.lower() != lemma:
                continue
            p = next((c for c in t.children if c.dep_ == "poss" and c.i in self.tok2mention), None)
            a = self.actor(p) if p is not None else None
            if a is not None and a.ref_text:
                owners.setdefault(a.ref_text.lower(), p)
        return next(iter(owners.values())) if len(owners) == 1 else None

    @staticmethod
    def _owner_phrase(owner: Token | None) -> Token | None:
        """What to cut from a charge for its owner: the possessor, "of <owner>", or the whole
        "supported by <owner>" participle."""
        if owner is None:
            return None
        if owner.dep_ == "pobj" and owner.head.dep_ == "prep" and owner.head.lower_ == "of":
            return owner.head
        if owner.dep_ == "pobj" and owner.head.dep_ == "agent":
            return owner.head.head
        return owner

    @staticmethod
    def _antecedent_of_relative(t: Token, v: Token) -> Token:
        """A relative pronoun in a charge slot stands for the noun its clause modifies:
        "problems [that] he blamed on Obama" → problems."""
        if t.lower_ in ("that", "which", "what") and v.dep_ == "relcl" and v.head.pos_ in ("NOUN", "PROPN"):
            return v.head
        return t

    def _verbal_evidence(self, v: Token) -> list[Token]:
        """What shows a verb like "attack" is verbal, to stand as its charge: the content of a
        "saying/calling ..." participle clause, or the medium it was said in (tweets, a statement)."""
        for c in v.children:
            if c.dep_ == "advcl" and c.tag_ == "VBG" and c.lemma_.lower() in SPEECH_VERBS | {"call"}:
                if any(m.dep_ == "mark" for m in c.children):
                    continue
                # "saying he ..." → what is said; "calling him a loser" → the name called
                want = ("oprd",) if c.lemma_.lower() == "call" else ("ccomp",)
                content = [g for g in c.children if g.dep_ in want]
                if content:
                    return [content[0]]
        for pobj in self.prep_objects([v], ["in", "on", "via", "during"]):
            if pobj.lemma_.lower() in MEDIA_NOUNS:
                return [pobj]
        return []

    def _colon_quote(self, v: Token) -> tuple[int, int] | None:
        """The words a cue verb introduces with a colon ("McCaskill scolded him: “The scientific
        community is ... against you ...”"): the quote right after "<verb> <object>:", as the charge."""
        doc = self.doc
        end = min(len(doc), v.i + 8)
        for i in range(v.i + 1, end):
            t = doc[i]
            if t.text == ":":
                break
            if t.is_punct or (t.pos_ in ("VERB", "AUX") and t.i != v.i):
                return None
        else:
            return None
        j = i + 1
        while j < len(doc) and doc[j].is_space:
            j += 1
        if j + 1 >= len(doc) or doc[j].text not in OPEN_QUOTES:
            return None
        q = self._quote_at(doc[j + 1])
        span = doc.char_span(q.content_start, q.content_end, alignment_mode="expand") if q is not None else None
        if span is not None:
            a, b = span.start, span.end
        else:  # quotes.py reports no quote after a non-speech verb: up to the closing mark
            closing = {"”", '"', "''"} if doc[j].text in ("“", '"', "``") else {"’", "'"}
            a = j + 1
            b = next((k for k in range(a, min(len(doc), a + 80)) if doc[k].text in closing), None)
            if b is None:
                return None
        while a < b and (doc[a].is_punct or doc[a].is_space):
            a += 1
        while b > a and (doc[b - 1].is_punct or doc[b - 1].is_space):
            b -= 1
        return (a, b) if b - a >= 2 else None

    def _clause_frame(self, v: Token, cue: Cue, parts: list[Token]) -> None:
        """X alleged that Y did Z."""
        accusers = self.actors_conj(self.subject(v))
        if not accusers:
            return
        for c in v.children:
            if c.dep_ != "ccomp":
                continue
            subj = next((x for x in c.children if x.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is None:
                continue
            accused = self.actors_conj(subj)
            span = self.phrase(c, [subj])
            for _, acd in accused:
                for _, acr in accusers:
                    self.emit(
                        accuser=acr, accused=acd, charge=span, cue_toks=[v], cue=cue,
                        stance=self.stance(v), confidence=cue.confidence, anchor=v,
                        quote_index=self.quote_index_at(v),
                    )

    def _call_frame(self, v: Token, cue: Cue, parts: list[Token]) -> None:
        """X called Y a liar / corrupt; X described/branded Y as a disgrace; X views Y as a threat due to
        its espionage (the predicate must hold a charge term, so "called Y a friend" is nothing)."""
        if self.is_passive(v):
            return
        dobjs = [c for c in v.children if c.dep_ == "dobj"]
        obj = dobjs[0] if dobjs else None
        preds = [c for c in v.children if c.dep_ in ("oprd", "acomp", "xcomp", "ccomp")]
        pred = preds[0] if preds else None
        if pred is None and len(dobjs) >= 2:
            pred = dobjs[1]  # parse variant: "branded [North Korea]dobj an outlaw [nation]dobj"
        if obj is None and len(preds) >= 2 and preds[0].pos_ in ("PROPN", "PRON"):
            obj, pred = preds[0], preds[1]  # parse variant: "called [Trump]oprd a [liar]oprd"
        if obj is None and pred is not None and pred.dep_ in ("ccomp", "xcomp"):
            # parse variant: "called [Trump a liar]" as a small clause
            obj = next((c for c in pred.children if c.dep_ in ("nsubj",)), None)
            attr = next((c for c in pred.children if c.dep_ in ("attr", "acomp")), None)
            pred = attr
        if pred is None or pred.dep_ == "ccomp":
            as_objs = self.prep_objects([v, *([obj] if obj is not None else [])], ["as"])
            pred = as_objs[0] if as_objs else pred
        if obj is None or pred is None:
            return
        kinds = {"insult", "crime", "pejorative"} if cue.head != "view" else {"crime", "human_rights", "aggression", "war_crimes", "espionage"}
        sub = list(pred.subtree)
        terms = self.charge_terms(sub, kinds=kinds)
        if not terms:
            return
        accusers = self.actors_conj(self.subject(v))
        accused = self.actors_conj(obj)
        charge_head = pred
        if not accused and cue.head == "view":
            # "viewing the Asian giant as a challenge due to its ... espionage": the charge's possessor
            for t in sub:
                poss = next((c for c in t.children if c.dep_ == "poss"), None)
                if poss is not None and self.charge_terms([x for x in t.subtree], kinds=kinds):
                    accused = self.actors_conj(poss)
                    charge_head = t
                    break
        pred_excl: list[Token] = []
        if not accused:
            accused, pred_excl = self._owner_of_named_thing(v, obj, pred)
        span = self.phrase(pred, pred_excl)
        if charge_head is not pred:  # the possessed charge with its conjuncts ("its cyber activities, espionage")
            poss_toks = {x.i for c in charge_head.children if c.dep_ == "poss" for x in c.subtree}
            toks = [x.i for x in charge_head.subtree if x.i not in poss_toks and not x.is_punct]
            span = (min(toks), max(toks) + 1) if toks else None
        for _, acd in accused:
            for _, acr in accusers:
                self.emit(
                    accuser=acr, accused=acd, charge=span, cue_toks=[v], cue=cue,
                    stance=self.stance(v), confidence=cue.confidence, anchor=v,
                    quote_index=self.quote_index_at(v), cue_lemma=cue.head,
                )

    def _stoppable(self, noun: Token) -> bool:
        """A noun someone can be told to stop as a wrongdoing holds a charge term ("its dangerous
        escapades", "the Cold War mentality"); "the Senate race" does not."""
        return bool(self.charge_terms(list(noun.subtree)))

    def _owner_of_named_thing(self, v: Token, obj: Token, pred: Token) -> tuple[list[tuple[Token, Actor]], list[Token]]:
        """When what is called names is a thing, whose thing it is (and what to leave out of the
        charge): "called Wells Fargo's behavior outrageous" → Wells Fargo; "what Turnbull called
        North Korea's reckless actions" → North Korea; "the efforts of X, which Y called crap" → X;
        "called climate change a hoax perpetrated by China" → China."""
        owner = self._owner(obj)
        if owner is not None:
            return self.actors_conj(owner), []
        if obj.lower_ in ("what", "which", "that"):
            owner = self._owner(pred)
            if owner is not None:
                return self.actors_conj(owner), [owner]
            if v.dep_ == "relcl" and v.head.pos_ == "NOUN":
                owner = self._owner(v.head)
                if owner is not None:
                    return self.actors_conj(owner), []
        for c in pred.children:
            if c.dep_ == "acl" and c.tag_ == "VBN":
                agents = self.prep_objects([c], ["by"])
                found = [a for t in agents for a in self.actors_conj(t)]
                if found:
                    return found, [t.head for t in agents]  # the charge stops before "by China"
        if not _people_noun(obj):
            # "calling the overnight nuclear test “a clear violation”": the test the article gave an owner
            earlier = self._earlier_owner(obj)
            if earlier is not None:
                return self.actors_conj(earlier), []
        return [], []

    def _demand_stop_frame(self, v: Token, cue: Cue, parts: list[Token]) -> None:
        """X called on / urged Y to stop <doing Z> or to apologize for <Z>: X accuses Y of Z."""
        target_toks, _ = self._targets(v, cue, parts, self.is_passive(v))
        heads: list[Token] = []
        clauses: list[Token] = []
        for x in [c for c in v.children if c.dep_ in ("xcomp", "ccomp")] + [c for t in target_toks for c in t.children if c.dep_ in ("xcomp", "acl")]:
            for y in [x, *[c for c in x.children if c.dep_ == "conj"]]:
                lemma = y.lemma_.lower()
                if lemma in self.cease_verbs:
                    # what to stop is an act ("stop attacking Machado") or a charge ("its dangerous
                    # escapades"); "quit the Senate race" is no wrongdoing
                    heads += [
                        c for c in y.children
                        if (c.dep_ == "xcomp" and c.pos_ == "VERB")
                        or (c.dep_ == "dobj" and c.pos_ == "VERB")
                        or (c.dep_ == "dobj" and c.pos_ == "NOUN" and self._stoppable(c))
                    ]
                elif lemma in ("apologize", "apologise"):
                    heads += self.prep_objects([y], ["for"])
            if x.dep_ == "ccomp":
                clauses.append(x)
        if not heads:
            return  # checked first: resolving actors is the costly part
        accused = [a for t in target_toks for a in self.actors_conj(t)]
        for x in clauses:  # "demanded that Y stop ..."
            if accused:
                break
            accused = self.actors_conj(self.clause_subject(x))
        if not accused:
            return
        accusers = self.actors_conj(self.subject(v))
        if not accusers:
            sp = self.speech(v)
            accusers = [(v, sp.speaker)] if sp is not None else []
        stance = self.stance(v)
        for h in heads:
            span = self.phrase(h)
            for _, acd in accused:
                for _, acr in accusers:
                    self.emit(
                        accuser=acr, accused=acd, charge=span, cue_toks=[v, *parts], cue=cue, stance=stance,
                        confidence=cue.confidence, anchor=v, quote_index=self.quote_index_at(v),
                    )

    def _noun_frame(self, n: Token, cue: Cue, parts: list[Token]) -> None:
        """X's accusations against Y; X leveled accusations against Y; Y drew criticism from X."""
        governor = n.head if n.dep_ in ("dobj", "nsubjpass") else None
        with_support = (
            n.dep_ == "pobj" and n.head.lower_ == "with" and n.head.head.lemma_.lower() in self.support_verbs
        )
        if with_support:
            governor = n.head.head  # "X peppered Y with attacks on ..."
        if governor is not None and governor.lemma_.lower() in self.lex.denial_verbs:
            return  # "X rejected accusations against Y": a denial, the accuser is unknown
        targets: list[tuple[Token, Actor, float]] = []
        # the target PP may hang off the charge ("accusations of corruption against Clinton")
        inner = [g for c in n.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
        tgt_toks = self.prep_objects([n, *parts, *inner], [s[5:] for s in cue.targets if s.startswith("prep:")])
        charge_from_target: Token | None = None
        for tt in tgt_toks:
            found = self.actors_conj(tt)
            if found:
                targets += [(t, a, 0.0) for t, a in found]
                continue
            poss = next((c for c in tt.children if c.dep_ == "poss"), None)
            if poss is not None:
                pa = self.actors_conj(poss)
                if pa:
                    targets += [(t, a, -0.1) for t, a in pa]
                    charge_from_target = tt
        # "accusations that Y did Z"
        clause_charge: Token | None = None
        if "acl" in cue.charges:
            for c in n.children:
                if c.dep_ in ("acl", "ccomp") and any(m.lower_ == "that" for m in c.children if m.dep_ == "mark"):
                    subj = next((x for x in c.children if x.dep_ in ("nsubj", "nsubjpass")), None)
                    if subj is not None:
                        found = self.actors_conj(subj)
                        if found and not targets:
                            targets += [(t, a, -0.05) for t, a in found]
                            clause_charge = c
        # accuser
        accusers: list[tuple[Token, Actor]] = []
        poss = next((c for c in n.children if c.dep_ == "poss"), None)
        if poss is not None:
            accusers = self.actors_conj(poss)
        if not accusers and governor is not None and (n.dep_ == "dobj" or with_support):
            gl = governor.lemma_.lower()
            if gl in self.support_verbs:
                accusers = self.actors_conj(self.subject(governor))
            elif gl in self.receive_verbs and not targets:
                targets = [(t, a, -0.05) for t, a in self.actors_conj(self.subject(governor))]
                accusers = [a for t in self.prep_objects([n, governor], ["from", "by"]) for a in self.actors_conj(t)]
        if not accusers:
            accusers = [a for t in self.prep_objects([n], ["from", "by"]) for a in self.actors_conj(t)]
        if not accusers or not targets:
            return
        charge_heads: list[Token] = []
        if clause_charge is not None:
            charge_heads = [clause_charge]
        else:
            skip = {t.i for t in tgt_toks}
            for s in self._charge_slots(n, [n, *parts], cue, skip):
                charge_heads += self.charge_heads(s)
            if not charge_heads and charge_from_target is not None:
                charge_heads = [charge_from_target]
        if cue.requires_charge and not charge_heads:
            return
        anchor = governor if governor is not None else n
        stance = self.stance(n, [governor] if governor is not None else [])
        for _, acd, adj in targets:
            for ch in charge_heads or [None]:
                span = None
                if ch is not None:
                    excl = []
                    if ch is clause_charge:
                        excl = [x for x in ch.children if x.dep_ in ("nsubj", "nsubjpass", "mark")]
                    elif ch is charge_from_target:
                        excl = [x for x in ch.children if x.dep_ == "poss"]
                    excl += [t.head if t.dep_ == "pobj" else t for t in tgt_toks if t is not ch]
                    span = self.phrase(ch, excl)
                for _, acr in accusers:
                    self.emit(
                        accuser=acr, accused=acd, charge=span, cue_toks=[n, *parts], cue=cue,
                        stance=stance, confidence=cue.confidence + adj, anchor=anchor,
                        quote_index=self.quote_index_at(n),
                    )

    def _concern_frame(self, tok: Token, cue: Cue, parts: list[Token]) -> None:
        """X is concerned about Y doing Z; X sounded the alarm about Y's Z (CAMEO 110)."""
        if cue.pos == "ADJ":
            if tok.dep_ not in ("acomp", "ROOT", "ccomp", "xcomp") or tok.tag_ == "VBN" and tok.dep_ == "amod":
                return
            clause = tok.head if tok.dep_ == "acomp" else tok
            experiencer = self.subject(clause) or self.subject(tok)
        else:
            clause = tok
            experiencer = self.subject(tok)
        exp = self.actors_conj(experiencer)
        if not exp:
            return
        # an institution's concern voiced by a person is that person's accusation
        sp = self.speech(tok)
        accusers = [a for _, a in exp]
        if sp is not None and sp.speaker.label == "PERSON" and all(a.label in ("ORG", "GPE", "NORP") for a in accusers):
            accusers = [sp.speaker]
        holders = [tok, *parts]
        rows: list[tuple[Actor, Token | None, list[Token], float]] = []  # accused, charge head, excl, adj
        for pobj in self.prep_objects(holders, [s[5:] for s in cue.targets if s.startswith("prep:")]):
            found = self.actors_conj(pobj)
            if found:
                # the action: a gerund attached to the object or to the clause ("about China 'ramping up' Russia")
                acts = [c for c in pobj.children if c.dep_ in ("acl", "relcl") and c.tag_ == "VBG"]
                acts += [c for h in (tok, clause) for c in h.children if c.dep_ == "advcl" and c.tag_ == "VBG" and not any(m.dep_ == "mark" for m in c.children)]
                for act in acts[:1]:
                    for _, a in found:
                        rows.append((a, act, [], -0.05))
                continue
            # a charge noun possessed by an actor ("about Beijing's massive military build-up")
            heads = self.charge_heads(pobj)
            # parse repair: a possessed noun coordinated with the cue verb belongs to the same object
            heads += [c for c in tok.children if c.dep_ == "conj" and c.pos_ == "NOUN" and any(x.dep_ == "poss" for x in c.children)]
            anchor_ok = False
            for h in heads:
                poss = next((c for c in h.children if c.dep_ == "poss"), None)
                pa = self.actors_conj(poss) if poss is not None else []
                if not pa:
                    continue
                termed = bool(self.charge_terms(list(h.subtree)))
                if not termed and not anchor_ok:
                    continue
                anchor_ok = True
                for _, a in pa:
                    rows.append((a, h, [poss], 0.0 if termed else -0.05))
        stance = self.stance(tok, [clause] if clause is not tok else [])
        qi = self.quote_index_at(tok)
        for acd, ch, excl, adj in rows:
            span = self.phrase(ch, excl) if ch is not None else None
            for acr in accusers:
                self.emit(
                    accuser=acr, accused=acd, charge=span, cue_toks=[tok, *parts], cue=cue,
                    stance=stance, confidence=cue.confidence + adj - (sp.penalty if sp and acr is sp.speaker else 0.0),
                    anchor=tok, quote_index=qi,
                )

    # =============================================================================================
    # implicit charges (reported speech)

    def _cease_frame(self, v: Token, cue: Cue, parts: list[Token]) -> None:
        """"Y should stop <charge>" in speech; "X urges Y to ... abandon <charge>" anywhere."""
        heads: list[Token] = []
        for spec in cue.charges:
            if spec.startswith("prep:"):
                heads += self.prep_objects([v], [spec[5:]])
            else:
                heads += [c for c in v.children if c.dep_ == spec]
        # parse repair: "abandon X, as well as the Y" -> Y hangs off the verb as a nominal conjunct
        heads += [c for c in v.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN")]
        charge_heads = [h2 for h in heads for h2 in self.charge_heads(h)]
        charge_heads = [h for h in charge_heads if self.charge_terms(list(h.subtree), kinds={"pejorative", "crime", "human_rights", "aggression", "war_crimes", "espionage"})]
        if not charge_heads:
            return
        accusers: list[Actor] = []
        accused: list[tuple[Token, Actor]] = []
        cue_tok = v
        cue_obj = cue
        subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
        sp = self.speech(v)
        penalty = 0.0
        if subj is not None:
            # "it should stop ...": only as the speaker's demand, with a modal of obligation
            modal = any(c.dep_ == "aux" and c.lower_ in DEMAND_MODALS for c in v.children) or v.head.lemma_ in ("need", "have")
            if sp is None or not modal:
                return
            accused = self.actors_conj(subj)
            accusers = [sp.speaker]
            penalty = sp.penalty
        else:
            t = v
            for _ in range(4):
                if t.dep_ not in ("conj", "xcomp") or t.head.i == t.i:
                    break
                t = t.head
                if t.lemma_.lower() in self.demand_verbs:
                    break
            if t.lemma_.lower() not in self.demand_verbs:
                return
            demand = next((c for c in self.lex.cues_for(t.lemma_.lower(), "VERB") if c.frame == "demand"), None)
            if demand is None:
                return
            dparts = self.cue_parts(t, demand)
            if dparts is None:
                return
            tgt, _ = self._targets(t, demand, dparts, self.is_passive(t))
            accused = [x for tt in tgt for x in self.actors_conj(tt)]
            accusers = [a for _, a in self.actors_conj(self.subject(t))]
            if not accusers and sp is not None:
                accusers = [sp.speaker]
                penalty = sp.penalty
            cue_tok, cue_obj = t, demand
            parts = dparts
        if not accused or not accusers:
            return
        stance = "asserted"
        if any(c.dep_ == "neg" for c in v.children):
            return  # "should not stop ..." is no accusation
        qi = self.quote_index_at(v)
        for ch in charge_heads:
            span = self.phrase(ch)
            for _, acd in accused:
                for acr in accusers:
                    self.emit(
                        accuser=acr, accused=acd, charge=span, cue_toks=[cue_tok, *parts], cue=cue_obj,
                        stance=stance, confidence=cue_obj.confidence - penalty, anchor=v, quote_index=qi,
                    )

    def _charge_core(self, head: Token) -> list[Token]:
        """A predicate head with the words that make its sense (amod/compound/advmod on the left)."""
        left = [c for c in head.lefts if c.dep_ in ("amod", "compound", "nmod", "advmod")]
        return sorted([*left, head], key=lambda t: t.i)

    def _speech_predicate_at(self, tok: Token) -> None:
        """Inside reported speech, a named subject with a charge for predicate: "Donald Trump is a
        disgusting fraud", "Trump has been disrespecting our veterans" — the speaker accuses the subject.
        Only the predicate's core counts ("a victim of fraud" is no charge), and not a verb fighting it."""
        headline = self._headline_subject(tok)
        if tok.pos_ not in ("VERB", "AUX") or (tok.dep_ in ("xcomp", "pcomp", "acl", "relcl", "amod", "csubj") and headline is None):
            return
        subj = headline or next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subj is None and (self._punitive_demand(tok) or tok.lemma_.lower() in RESORT_VERBS):
            subj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        h = tok
        while subj is None and h.dep_ == "conj" and h.head.pos_ in ("VERB", "AUX") and h.head.i < h.i:
            # "NATO claims ... but keeps reaching ... and uses X as an excuse": the first conjunct's subject
            h = h.head
            subj = next((c for c in h.children if c.dep_ == "nsubj"), None)
            if subj is not None and subj.pos_ == "PRON":
                return  # a pronoun carried over a coordination is too weak a link ("... they rounded up and murdered")
        if subj is None or subj.lower_ in FIRST_PRONOUNS or subj.lower_ in ("this", "that", "it"):
            return
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in tok.children):
            return
        # "Republicans are trying to make political hay": the predicate is what they try to do
        pv = tok
        if tok.lemma_.lower() in CATENATIVE_VERBS:
            pv = next((c for c in tok.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")), tok)
        punitive = self._punitive_demand(pv)
        refusal = self._refused_amends(pv)
        personal = False
        resort = pv.lemma_.lower() in RESORT_VERBS and (
            not any(c.dep_ == "dobj" for c in pv.children)
            or bool(self.prep_objects([pv], [RESORT_VERBS[pv.lemma_.lower()]]))  # "engaging in attacks the entire campaign"
        )
        if pv.lemma_.lower() in COUNTER_VERBS and not punitive and not resort:
            return  # "reduce corruption" fights it; "is reduced to insults" does it
        kinds = {"insult", "pejorative", "crime", "human_rights", "aggression", "war_crimes", "espionage"}
        heads: list[Token] = []
        if punitive or refusal:
            # "you should be criminally investigated": the speaker demands a punishment; "he has refused
            # to apologize for an outrageous statement": refusing amends is the fault
            heads = [tok]
        elif pv.lemma_.lower() == "be":
            for c in pv.children:
                if c.dep_ in ("attr", "acomp"):
                    heads += [h for h in self.charge_heads(c) if self.charge_terms(self._charge_core(h), kinds=kinds)]
        else:
            core = sorted([pv, *[c for c in pv.children if c.dep_ in ("prt", "advmod")]], key=lambda t: t.i)
            obj = next((c for c in pv.children if c.dep_ == "dobj"), None)
            if resort:
                # "he resorted to insults", "Trump is reduced to taunts and insults": the PP is the act
                pobjs = self.prep_objects([pv], [RESORT_VERBS[pv.lemma_.lower()]])
                obj = pobjs[0] if pobjs else None
            obj_core = self._charge_core(obj) if obj is not None else []
            verbal = kinds - {"insult"}
            if (
                self.charge_terms(core, kinds=verbal)
                or (obj_core and self.charge_terms(obj_core, kinds=verbal))
                or (obj_core and self.charge_terms(sorted(core + obj_core, key=lambda t: t.i), kinds=verbal))
                or self._idiom_pp(pv, verbal)
            ):
                heads = [tok]
            elif pv.lemma_.lower() in PERSONAL_ATTACK_VERBS and obj is not None and (
                _people_noun(obj) or (self.actor(obj) is not None and self.actor(obj).label == "PERSON")
            ):
                # "Trump had personally attacked his wife": a person attacking a person, in someone's
                # words (a military "they attack us" is no personal charge)
                personal = True
                heads = [tok]
        if not heads and pv.lemma_.lower() == "be":
            if self._idiom_pp(pv, kinds):
                heads = [tok]
        if not heads:
            return
        accused = self.actors_conj(subj) + self._like_actors(subj, tok)
        if not accused and subj.pos_ == "NOUN" and subj.lemma_.lower() in OWNED_CONDUCT_NOUNS:
            # "Kim's mental state is spiraling out of control": the owner of his conduct or mind (not of
            # "Rubio's status in Florida is so weak")
            owner = self._owner(subj)
            accused = self.actors_conj(owner) if owner is not None else []
        if personal:
            accused = [(t, a) for t, a in accused if a.label == "PERSON"]
        if not accused:
            return
        sp = self.speech(tok)
        if sp is None and headline is not None:
            said = next((c for c in headline.head.children if c.dep_ == "nsubj"), None)
            sa = self.actor(said) if said is not None else None
            sp = _Speech(sa, None, 0.05) if sa is not None and sa.ref_text else None
        cue = self.lex.special.get("@speech_predicate")
        if sp is None or cue is None:
            return
        stance = "asserted" if punitive else self.stance(tok)
        for h in heads:
            span = self.phrase(h) if h is not tok else self.phrase(tok, [subj])
            for _, acd in accused:
                self.emit(
                    accuser=sp.speaker, accused=acd, charge=span, cue_toks=[tok], cue=cue, stance=stance,
                    confidence=cue.confidence - sp.penalty, anchor=tok, quote_index=sp.quote_index,
                    cue_lemma=tok.lemma_.lower(),
                )

    def _headline_subject(self, tok: Token) -> Token | None:
        """Headline ellipsis "China Says NATO ‘Fanning the Flames’": a participle hung on the object of
        a speech verb is that object's predicate (NATO is fanning the flames)."""
        if tok.dep_ != "acl" or tok.tag_ != "VBG" or tok.head.dep_ != "dobj":
            return None
        gov = tok.head.head
        if gov.lemma_.lower() not in SPEECH_VERBS or tok.head.i not in self.tok2mention:
            return None
        return tok.head

    @staticmethod
    def _refused_amends(v: Token) -> bool:
        """"refused / failed to apologize (condemn, disavow ...)": withholding amends, a fault in itself."""
        if v.lemma_.lower() not in NEGATING_GOVERNORS:
            return False
        for c in v.children:
            if c.dep_ != "xcomp":
                continue
            if c.lemma_.lower() in AMENDS_VERBS:
                return True
            if c.lemma_.lower() in ("take", "accept", "bear") and any(
                g.dep_ == "dobj" and g.lemma_.lower() in ("responsibility", "blame") for g in c.children
            ):
                return True  # "he refuses to take responsibility for his support"
        return False

    def _like_actors(self, subj: Token, v: Token) -> list[tuple[Token, Actor]]:
        """"He, like Donald Trump, has refused ...": the actor compared in a comma-bracketed "like X"
        between the subject and its verb does it too."""
        out: list[tuple[Token, Actor]] = []
        for i in range(subj.i + 1, v.i):
            t = self.doc[i]
            if t.lower_ == "like" and self.doc[i - 1].text == "," and t.dep_ == "prep":
                for p in t.children:
                    if p.dep_ == "pobj":
                        out += self.actors_conj(p)
        return out

    def _idiom_pp(self, v: Token, kinds: set[str]) -> bool:
        """A charge idiom that is a prepositional phrase of the predicate ("spiraling out of control",
        "is out of control"): the term must start at the preposition."""
        for c in v.children:
            if c.dep_ == "prep" and c.i > v.i:
                toks = list(c.subtree)
                if any(ct.term[0] == c.lower_ for ct in self.charge_terms(toks, kinds=kinds)):
                    return True
        return False

    @staticmethod
    def _punitive_demand(v: Token) -> bool:
        """"Y should be investigated / must be prosecuted": a passive punishment the speaker demands
        (an obligation modal, not negated) accuses Y."""
        if v.lemma_.lower() not in PUNITIVE_VERBS or not any(c.dep_ == "auxpass" for c in v.children):
            return False
        kids = list(v.children)
        if any(c.dep_ == "neg" or c.lower_ == "never" for c in kids):
            return False
        return any(c.dep_ == "aux" and c.lower_ in ("should", "must", "ought") for c in kids)

    def _detached_possessor(self, tok: Token) -> Token | None:
        """Parse repair: in "Moscow’s “unprovoked attack”" the parser may hang "Moscow ’s" elsewhere;
        a name with a possessive clitic right before the noun phrase is still its possessor."""
        i = tok.left_edge.i - 1
        while i >= 0 and self.doc[i].text in OPEN_QUOTES:
            i -= 1
        if i < 1 or self.doc[i].lower_ not in ("'s", "’s") or self.doc[i].dep_ != "case":
            return None
        owner = self.doc[i].head
        return owner if owner.i in self.tok2mention and owner.i < tok.i else None

    def _possessor_of(self, tok: Token) -> Token | None:
        poss = next((c for c in tok.children if c.dep_ == "poss"), None)
        return poss if poss is not None else self._detached_possessor(tok)

    def _implicit_at(self, tok: Token) -> None:
        # (a) "NATO's misinformation": a charge noun possessed by an actor, inside reported speech
        if tok.pos_ == "NOUN":
            # the term must end at this noun (its compounds/modifiers may start it)
            left = [c for c in tok.lefts if c.dep_ in ("compound", "amod", "nmod")]
            toks = sorted([*left, tok], key=lambda t: t.i)
            terms = [ct for ct in self.charge_terms(toks, implicit_only=True)]
            if not terms:
                return
            poss = self._possessor_of(tok)
            if poss is None:
                return
            sp = self.speech(tok)
            if sp is None:
                return
            cue = self.lex.special.get("@possessed_charge")
            if cue is None:
                return
            span = self.phrase(tok, [poss])
            for _, acd in self.actors_conj(poss):
                self.emit(
                    accuser=sp.speaker, accused=acd, charge=span, cue_toks=[tok], cue=cue,
                    stance=self.stance(tok), confidence=cue.confidence - sp.penalty, anchor=tok,
                    quote_index=sp.quote_index, cue_lemma=tok.lemma_.lower(),
                )
            return
        # (b) a verb that starts a charge term ("NATO is stoking confrontation"), inside speech
        if tok.pos_ == "VERB" and tok.lemma_.lower() not in self.cease_verbs:
            lemma = tok.lemma_.lower()
            if not any(ct.kind != "insult" for ct in self.lex.charge_index.get(lemma, ())):
                return
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subj is None or tok.dep_ in ("xcomp", "pcomp", "acl", "relcl", "amod"):
                return
            sp = self.speech(tok)
            if sp is None:
                return
            span = self.phrase(tok)
            if span is None:
                return
            first = self.charge_terms(self.doc[span[0] : span[1]])
            if not any(ct.term[0] == lemma for ct in first):
                return
            cue = self.lex.special.get("@possessed_charge")
            if cue is None:
                return
            for _, acd in self.actors_conj(subj):
                self.emit(
                    accuser=sp.speaker, accused=acd, charge=span, cue_toks=[tok], cue=cue,
                    stance=self.stance(tok), confidence=cue.confidence - 0.05 - sp.penalty, anchor=tok,
                    quote_index=sp.quote_index, cue_lemma=lemma,
                )

    # =============================================================================================
    # denials

    def _emit_denial(self, denier: Actor, head: Token, excl: list[Token], cue_tok: Token, speech: _Speech | None) -> None:
        if denier.ref_text is None:
            return
        span = self.phrase(head, excl)
        if span is None:
            return
        cs, ce, ctext = self.span_chars(span)
        ev_s, ev_e = self.sentence_span(cue_tok)
        qi = self.quote_index_at(cue_tok)
        if qi is None and speech is not None:
            qi = speech.quote_index
        d = Denial(
            denier=denier, charge_start=cs, charge_end=ce, charge_text=ctext,
            cue_start=cue_tok.idx, cue_end=cue_tok.idx + len(cue_tok), cue_text=cue_tok.text,
            evidence_start=ev_s, evidence_end=ev_e, quote_index=qi,
        )
        self.denials.setdefault((denier.ref_text.lower(), cs, ce), d)

    def _denials_at(self, tok: Token) -> None:
        lemma = tok.lemma_.lower()
        frame = self.lex.denial_verbs.get(lemma)
        if frame is None and tok.pos_ == "VERB":
            prt = next((c for c in tok.children if c.dep_ == "prt"), None)
            if prt is not None:
                frame = self.lex.denial_verbs.get(f"{lemma} {prt.lower_}")
        if frame is not None and tok.pos_ == "VERB":
            if any(c.dep_ == "neg" for c in tok.children):
                return  # "did not deny" is no denial
            deniers = self.actors_conj(self.subject(tok))
            if not deniers:
                return
            heads: list[Token] = []
            for c in tok.children:
                if frame == "deny" and c.dep_ in ("xcomp", "ccomp", "dobj", "pcomp"):
                    heads.append(c)
                elif frame == "reject_claim" and c.dep_ == "dobj" and c.lemma_.lower() in self.lex.claim_nouns:
                    heads.append(c)
            for h in heads:
                excl = [x for x in h.children if x.dep_ == "mark"]
                for _, d in deniers:
                    self._emit_denial(d, h, excl, tok, None)
            return
        # self-negation inside the speaker's own speech: "We never provide weapons ..."
        if tok.lower_ in self.lex.negators and tok.dep_ in ("neg", "advmod"):
            v = tok.head
            if v.lemma_.lower() not in self.lex.denial_acts or v.pos_ not in ("VERB",):
                return
            if any(c.dep_ == "aux" and c.lower_ in MODALS - {"will", "'ll", "wo"} for c in v.children):
                return
            if v.dep_ == "advcl" or any(c.dep_ == "mark" for c in v.children):
                return  # "as long as we're not violating ...", "if we never ..."
            subj = next((c for c in v.children if c.dep_ in ("nsubj",)), None)
            if subj is None:
                return
            sp = self.speech(v)
            if sp is None:
                return
            denier = self.actor(subj)
            if denier is None or denier.ref_text is None:
                return
            if subj.lower_ not in FIRST_PRONOUNS and denier.ref_text.lower() != (sp.speaker.ref_text or "").lower():
                return
            excl = [c for c in v.children if c.dep_ in ("nsubj", "neg", "aux", "advmod") or c.lower_ == "never"]
            self._emit_denial(denier, v, excl, tok, sp)


#: where something is said: a verb like "attack" with one of these is verbal ("attacked Y in tweets")
MEDIA_NOUNS = frozenset(
    """tweet twitter statement speech interview op-ed editorial column ad advertisement post letter
    remark comment debate rally video message hearing broadcast podcast blog article media medium
    television tv radio facebook show""".split()
)
#: nouns whose of-phrase names who acts ("the policies of Obama"); in event nouns the of-phrase is
#: usually who suffers it ("the annexation of Crimea"), so only these count
AGENT_OF_NOUNS = frozenset(
    """policy behavior behaviour conduct action comment remark statement word decision record
    leadership handling rhetoric tactic strategy approach stance attitude response role failure
    refusal management tweet plan proposal effort bill measure""".split()
)
#: a possessed subject whose owner a speech predicate judges ("his remarks were propaganda")
OWNED_CONDUCT_NOUNS = AGENT_OF_NOUNS | frozenset(
    "temperament judgment judgement state mind character claim lie attack campaign administration".split()
)
#: participles naming who made a plan or measure ("an effort supported by Obama")
AUTHORING_VERBS = frozenset("propose support back sponsor introduce push pass write author draft offer unveil".split())
#: media with an author: "Clinton's speech denouncing ...", "a Trump tweet attacking ..."
AUTHORED_MEDIA = frozenset(
    """tweet statement speech interview op-ed editorial column ad advertisement post letter remark
    comment video message broadcast podcast blog article resolution vote declaration communique
    communiqué motion""".split()
)
#: verbs whose subject is the author of the text or vote they take ("issued a statement condemning Y")
ISSUING_VERBS = frozenset(
    "issue release publish pass adopt approve hold have post send write sign deliver give air run put make".split()
)
#: role abbreviations as written before names → the role noun used later ("Sen." → "senator")
_ROLE_SPELLINGS = {
    "sen": "senator", "sens": "senator", "rep": "representative", "reps": "representative",
    "gov": "governor", "pres": "president", "gen": "general", "lt": "lieutenant", "col": "colonel",
    "spokeswoman": "spokesperson", "spokesman": "spokesperson", "congressman": "representative",
    "congresswoman": "representative", "chairwoman": "chairman", "chair": "chairman",
}
#: titles that can stand inside an NER span ("Senator Cruz", "President Obama")
_ROLE_TITLES = frozenset(
    "senator representative governor president minister chancellor secretary chairman director "
    "ambassador mayor judge justice general spokesperson ceo".split()
)
#: organisations a person or group owns: "Donald Trump's campaign", "the Clinton campaign"
#: words that make a "<given name> ..." mention an organisation or a place, not a person
_ORG_WORDS = frozenset(
    """university college school academy institute foundation fund trust center centre bank capital group
    company corporation corp inc llc ltd co committee council commission association society party
    league union hospital clinic church airport county city town street avenue road hall club times post
    news journal press media network studios records tech state""".split()
)
#: words that end an organisation's name and can be left out ("Oversight" for the Oversight Committee)
_BODY_SUFFIXES = frozenset(
    "committee subcommittee department ministry agency commission council bureau office service panel".split()
)
_OWNED_ORGS = frozenset("campaign camp administration government regime".split())
#: bodies of a place: "the city of Phoenix", "the state of Ohio"
_PLACE_BODIES = frozenset("city state town county province government".split())
#: "the panel" → the article's one committee (role noun → the last words of ORG names it stands for)
_BODY_NOUNS = {
    "panel": frozenset({"committee", "panel", "subcommittee"}),
    "committee": frozenset({"committee", "subcommittee"}),
    "subcommittee": frozenset({"subcommittee"}),
    "commission": frozenset({"commission"}),
}


def _role_key(word: str) -> str:
    w = word.lower().strip(".").replace("’", "'")
    return _ROLE_SPELLINGS.get(w, w)


def _institution_keyword(tok: Token) -> int | None:
    """Index of the first token of an institution keyword ending at ``tok`` ("foreign ministry",
    "government") from seeds/institutions.csv, else None."""
    words = [tok]
    for c in reversed([c for c in tok.lefts if c.dep_ in ("compound", "amod") and c.i >= tok.i - 2]):
        if c.i == words[0].i - 1 and not c.ent_type_:
            words.insert(0, c)
    keywords = _institution_keywords()
    for k in range(len(words)):
        phrase = " ".join(w.lower_ for w in words[k:])
        if phrase in keywords:
            return words[k].i
    return None


@lru_cache(maxsize=256)
def _known_group(text: str) -> bool:
    """A NORP mention is an actor only when it names a party or a nation ("Democrats", "the GOP",
    "Russians"); "Hispanics" or "Muslims" featured in an ad are people, not an accuser."""
    groups = load_actor_names().groups
    name = _strip_possessive(0, len(text), text)[2].strip().casefold().removeprefix("the ")
    forms = {name, name[:-1] if name.endswith("s") else name}
    return any(f in groups for f in forms)


def _institution_keywords() -> frozenset[str]:
    return load_actor_names().institution_keywords


_AMENDS_HASHES = np.array(sorted({get_string_id(w) for w in AMENDS_VERBS}), dtype=np.uint64)
_PERSONAL_ATTACK_HASHES = np.array(sorted({get_string_id(w) for w in PERSONAL_ATTACK_VERBS}), dtype=np.uint64)
_RESPONSIBILITY_HASHES = np.array(sorted({get_string_id(w) for w in ("responsibility", "blame")}), dtype=np.uint64)
_WIRE_CREDIT = re.compile(r"\((" + "|".join(map(re.escape, WIRE_AGENCIES)) + r")\)")


#: the small model's lemmatizer errors on cue words, shown as the real lemma ("fined" → "fin")
_LEMMA_FIXES = {"fin": "fine"}
_TERMINAL = frozenset(".!?”’\"'»")


def _sentences(doc: Doc) -> list:
    """``list(doc.sents)`` from the sentence-start array (``Doc.sents`` builds a Token per token)."""
    n = len(doc)
    if n == 0:
        return []
    flags = doc.to_array([SENT_START]).reshape(-1).astype(np.int64)
    starts = set(np.flatnonzero(flags == 1).tolist())
    starts.add(0)
    # a blank line ends a paragraph, and a sentence, whatever the parser glued across it ("...
    # convenient.”\n\nCONGRESS HAS INVESTIGATED HIM — ..."): only whitespace tokens are touched
    spaces = np.flatnonzero(doc.to_array([IS_SPACE]).reshape(-1) == 1).tolist()
    for i in spaces:
        if i + 1 >= n:
            continue
        breaks = doc[i].text.count("\n")
        if breaks >= 2 or (breaks == 1 and i > 0 and doc[i - 1].text[-1:] in _TERMINAL):
            starts.add(i + 1)  # a line ending a sentence ("... ‘Fanning the Flames’\nChina said ...")
    starts = sorted(starts)
    return [doc[a:b] for a, b in zip(starts, [*starts[1:], n])]


#: nouns for people: a possessor of one ("Cruz's wife", "Trump's aides") is not the one accused
PEOPLE_NOUNS = frozenset(
    """wife husband son daughter father mother brother sister child kid parent family uncle aunt cousin
    grandson granddaughter grandfather grandmother fiancee fiance girlfriend boyfriend partner friend ally
    supporter voter follower fan staff staffer aide employee worker official officer soldier team member
    colleague associate relative widow""".split()
)


def _people_noun(tok: Token) -> bool:
    low = tok.lemma_.lower()
    return tok.pos_ == "NOUN" and (low in PEOPLE_NOUNS or low in PERSON_ROLE_NOUNS)


def _negating_phrase(t: Token) -> bool:
    """"steer clear of", "stop short of": a governor that says the act did not happen."""
    particle = NEGATING_PHRASES.get(t.lemma_.lower())
    return particle is not None and any(c.lower_ == particle for c in t.children)


def _strip_poss_word(w: str) -> str:
    for suf in ("’s", "'s", "’", "'"):
        if w.endswith(suf) and len(w) > len(suf):
            return w[: -len(suf)]
    return w


def _strip_possessive(start: int, end: int, text: str) -> tuple[int, int, str]:
    """'Donald Trump’s' (an NER span that swallowed the clitic) -> 'Donald Trump'."""
    for suf in ("’s", "'s"):
        if text.endswith(suf) and len(text) > len(suf):
            return start, end - len(suf), text[: -len(suf)]
    return start, end, text


def _name_like(words: list[str]) -> bool:
    """A plausible personal name: capitalised alphabetic words (not "Trump v. Trump")."""
    return all(w[:1].isupper() and w.replace(".", "").replace("-", "").replace("’s", "").replace("'s", "").replace("'", "").isalpha() for w in words) and not any(
        w.lower() in ("v.", "vs.", "v", "vs") for w in words
    )


def _overlap(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1
