"""Affiliations from titles and appositions, and the canonical institutions they point to."""

from __future__ import annotations

import pytest

from whosaid.nlp.affiliations import extract_affiliations
from whosaid.normalize import PersonIndex, canonical_role, canonicalize, institution_of_country

CASES = [
    ("After NATO General Secretary Mark Rutte sounded the alarm, allies met.", ("Mark Rutte", "Secretary General", "NATO")),
    ("Guo Jiakun, spokesman for the Chinese foreign ministry, spoke on Thursday.",
     ("Guo Jiakun", "Spokesperson", "Ministry of Foreign Affairs of China")),
    ("Chinese President Xi Jinping reviews the troops.", ("Xi Jinping", "President", "China")),
    ("Russian Foreign Minister Sergei Lavrov said so.", ("Sergei Lavrov", "Foreign Minister", "Russia")),
    ("White House press secretary Josh Earnest said so.", ("Josh Earnest", "Press Secretary", "United States")),
    ("John Smith, a professor at Harvard University, said so.", ("John Smith", "Professor", "Harvard University")),
]


@pytest.mark.parametrize("sentence,expected", CASES)
def test_affiliation_from_text(nlp, sentence, expected):
    doc = nlp(sentence)
    people = PersonIndex.from_mentions([], sentence)
    found = set()
    for aff in extract_affiliations(doc):
        person = canonicalize(aff.person_text, "PERSON", people, as_actor=True)
        org = canonicalize(aff.org_text, aff.org_label, people, as_actor=True)
        found.add((person.canonical_name, canonical_role(aff.role) if aff.role else "", org.canonical_name))
        assert doc.text[aff.person_start:aff.person_end] == aff.person_text
        assert doc.text[aff.org_start:aff.org_end] == aff.org_text
    assert expected in found


@pytest.mark.parametrize(
    "sentence",
    [
        "The man met Hillary Clinton on Monday.",  # no title, no apposition
        "Hillary Clinton, 68, said so.",  # an age is not an affiliation
        "Donald Trump, the Republican nominee's rival, spoke.",
    ],
)
def test_no_affiliation_without_an_organization(nlp, sentence):
    assert [a for a in extract_affiliations(nlp(sentence)) if a.person_text in sentence and a.org_label != "NORP"] == []


@pytest.mark.parametrize(
    "name,expected,country",
    [
        ("Chinese foreign ministry", "Ministry of Foreign Affairs of China", "CHN"),
        ("Russian defense ministry", "Ministry of Defense of Russia", "RUS"),
        ("Iranian government", "Iran", "IRN"),
        ("U.S. embassy", "Embassy of United States", "USA"),
    ],
)
def test_demonym_plus_institution(name, expected, country):
    ref = institution_of_country(name)
    assert (ref.canonical_name, ref.country_code) == (expected, country)


@pytest.mark.parametrize("name", ["foreign ministry", "Chinese restaurant", "Ministry of Truth"])
def test_not_an_institution_of_a_country(name):
    assert institution_of_country(name) is None


def test_acronym_defined_in_the_article_joins_its_long_name():
    body = "The Islamic Revolutionary Guard Corps (IRGC) denied it. Later the IRGC said more."
    people = PersonIndex.from_mentions([], body)
    assert canonicalize("IRGC", "ORG", people, True).canonical_name == "Islamic Revolutionary Guard Corps"
    # NATO spelled out maps to the alias table's canonical NATO
    people = PersonIndex.from_mentions([], "the North Atlantic Treaty Organization (NATO) met")
    assert canonicalize("NATO", "ORG", people, True).canonical_name == "NATO"
