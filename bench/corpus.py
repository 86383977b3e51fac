"""Benchmark corpora: PolNeAR articles as they are, and a ×N corpus recombined from their paragraphs.

The ×N corpus exists to measure how cost and memory grow with corpus size on realistic text
(real sentences, quotes and names, in realistic article lengths) without needing a bigger licensed
corpus. It is generated deterministically (fixed seed) into a temporary folder and never committed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

SPLITS = ("train", "dev")
#: where the corpus lives: ``../shared`` beside the project root
DEFAULT_POLNEAR = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "polnear"
SEED = 20160901


@dataclass(frozen=True)
class Article:
    name: str
    body: str

    @property
    def paragraphs(self) -> list[str]:
        return split_paragraphs(self.body)


def split_paragraphs(body: str) -> list[str]:
    """Blank-line separated paragraphs (PolNeAR's layout: title, blank line, paragraphs)."""
    return [p.strip() for p in body.split("\n\n") if p.strip()]


def polnear_text_files(polnear_dir: Path) -> list[Path]:
    """Every ``<split>/text/*.txt`` of train and dev, sorted so runs see the same order."""
    files: list[Path] = []
    for split in SPLITS:
        files.extend(sorted((polnear_dir / split / "text").glob("*.txt")))
    return files


def load_articles(polnear_dir: Path, limit: int | None = None, seed: int = SEED) -> list[Article]:
    """All PolNeAR articles, or a deterministic sample of ``limit`` of them (spread over outlets
    and dates rather than the alphabetically first, which would all be one outlet)."""
    files = polnear_text_files(polnear_dir)
    if limit is not None and limit < len(files):
        files = sorted(random.Random(seed).sample(files, limit))
    return [Article(f.name, f.read_bytes().decode("utf-8")) for f in files]  # bytes: no newline translation


def recombine(articles: list[Article], factor: int, seed: int = SEED) -> list[Article]:
    """``factor × len(articles)`` synthetic articles: the i-th copies the shape of source article
    ``i mod n`` (its number of paragraphs) with a title and body paragraphs drawn at random from the
    whole corpus, so total length scales by ``factor`` and every body is distinct (the article key
    is the body hash: duplicates would collapse into one article and shrink the corpus)."""
    rng = random.Random(seed)
    titles = [a.paragraphs[0] for a in articles if a.paragraphs]
    body_pool = [p for a in articles for p in a.paragraphs[1:]]
    if not titles or not body_pool:
        raise ValueError("cannot recombine: the source articles have no paragraphs")
    out: list[Article] = []
    seen: set[str] = set()
    for i in range(factor * len(articles)):
        n_body = max(1, len(articles[i % len(articles)].paragraphs) - 1)
        for _attempt in range(1000):
            body = "\n\n".join([rng.choice(titles), *rng.choices(body_pool, k=n_body)]) + "\n"
            if body not in seen:
                break
        else:
            raise ValueError(f"cannot draw {factor * len(articles)} distinct articles from {len(body_pool)} paragraphs")
        seen.add(body)
        out.append(Article(f"synthetic_{i:05d}.txt", body))
    return out


def write_corpus(articles: list[Article], folder: Path) -> Path:
    """One ``.txt`` per article (whosaid reads a .txt file's text unchanged as the body), written
    as bytes so the base corpus is byte-identical to PolNeAR's files."""
    folder.mkdir(parents=True, exist_ok=True)
    for art in articles:
        (folder / art.name).write_bytes(art.body.encode("utf-8"))
    return folder


def n_words(articles: list[Article]) -> int:
    return sum(len(a.body.split()) for a in articles)
