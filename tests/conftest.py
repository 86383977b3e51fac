"""Shared fixtures: the seed article, the PolNeAR corpus (skipped when absent), one spaCy model."""

from __future__ import annotations

from pathlib import Path

import pytest

from whosaid.settings import quiet_third_party_defaults

ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = ROOT / "seeds" / "articles"
SEED_ARTICLE = SEED_DIR / "000_f6532a6c366c085a.txt"
POLNEAR = ROOT.parent / "shared" / "corpora" / "polnear"

quiet_third_party_defaults()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def polnear_dir() -> Path:
    if not (POLNEAR / "dev" / "text").is_dir():
        pytest.skip(f"PolNeAR corpus not found at {POLNEAR} (it lives in ../shared beside the repo)")
    return POLNEAR


@pytest.fixture(scope="session")
def nlp():
    from whosaid.nlp.pipeline import load_nlp
    from whosaid.settings import Settings

    return load_nlp(Settings().spacy_model)
