"""A seeded generator of large synthetic interview corpora and field notes, for benchmarks.

The text is nonsense, but shaped like the real thing: words drawn with their frequencies from
the Riverside example corpus (so the tokeniser meets a realistic mix of common and rare words,
contractions, numbers and punctuation), plus invented rare words that defeat any cache; a
header; alternating interviewer and participant turns with ``[HH:MM:SS]`` timestamps; answers
of several sentences, some split into paragraphs. The same seed writes the same files.
"""

from __future__ import annotations

import argparse
import random
import string
from collections import Counter
from functools import lru_cache
from pathlib import Path

RIVERSIDE = Path(__file__).resolve().parents[1] / "corpora" / "riverside"


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[list[str], list[int]]:
    """White-space words of the example field notes and text transcripts, with counts."""
    counts: Counter[str] = Counter()
    for path in [*RIVERSIDE.glob("fieldnotes/*.md"), *RIVERSIDE.glob("interviews/*.txt")]:
        counts.update(path.read_text(encoding="utf-8-sig").split())
    words = [w for w in counts if ":" not in w]
    return words, [counts[w] for w in words]


def _sentence(rng: random.Random) -> str:
    words, weights = _vocabulary()
    chosen = rng.choices(words, weights, k=rng.randint(6, 22))
    if rng.random() < 0.05:  # a rare word: a name, a code, a number nobody said before
        chosen[rng.randrange(len(chosen))] = "".join(
            rng.choices(string.ascii_letters + string.digits, k=rng.randint(3, 9)))
    chosen[0] = chosen[0].capitalize()
    return " ".join(chosen).rstrip(".,;?!") + rng.choice([".", ".", ".", "?", "!"])


def transcript(rng: random.Random, number: int, target_words: int) -> str:
    """One transcript of about ``target_words`` words."""
    parts = [f"Synthetic interview {number:05d}, 2025-05-01\n\n"]
    words, seconds, turn = 0, 0, 0
    while words < target_words:
        speaker = "Interviewer" if turn % 2 == 0 else f"P{number % 100:02d}"
        n_sentences = rng.randint(1, 3) if turn % 2 == 0 else rng.randint(3, 12)
        sentences = [_sentence(rng) for _ in range(n_sentences)]
        body = " ".join(sentences)
        if len(sentences) > 6:
            cut = len(sentences) // 2
            body = " ".join(sentences[:cut]) + "\n\n" + " ".join(sentences[cut:])
        clock = f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
        parts.append(f"[{clock}] {speaker}: {body}\n\n")
        count = len(body.split())
        words += count
        seconds += max(1, count * 2 // 5)
        turn += 1
    return "".join(parts)


def field_note(rng: random.Random, date: str, ward: str, shift: str, paragraphs: int) -> str:
    """One field note with front matter (``date``, ``ward``, ``shift``), shaped like Riverside's:
    a title, then ``paragraphs`` paragraphs of two to six sentences, half of them jottings
    that open with a clock time inside the shift (``07:35 - ...``)."""
    first = 7 if shift == "day" else 19
    parts = [f"---\ndate: {date}\nward: {ward}\nshift: {shift}\nobserver: R1\n---\n",
             f"# Observation on {ward}, {shift} shift\n"]
    for _ in range(paragraphs):
        body = " ".join(_sentence(rng) for _ in range(rng.randint(2, 6)))
        if rng.random() < 0.5:
            hour = (first + rng.randrange(12)) % 24
            body = f"{hour:02d}:{rng.randrange(60):02d} - {body}"
        parts.append(body + "\n")
    return "\n".join(parts)


def write_corpus(folder: Path, n_documents: int, words_each: int, seed: int = 7) -> int:
    """Write ``n_documents`` transcripts into ``folder``; return the total word count."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for number in range(n_documents):
        text = transcript(rng, number, words_each)
        total += len(text.split())
        (folder / f"synthetic_{number:05d}.txt").write_text(text, encoding="utf-8")
    return total


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(write_corpus(args.folder, args.documents, args.words, args.seed), "words written")
