"""The torture folder: every kind of bad input the issue lists, side by side with good articles.

Built at test time in a temporary folder (nothing big is committed). One folder and ONE flow run
serve every bad-input assertion, because each flow run costs seconds.

Each bad input is a :class:`BadInput` (the quarantine row it must produce); each good one is a
:class:`GoodInput` (the ``dim_article.body`` it must load, verbatim).
"""

from __future__ import annotations

import codecs
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import SEED_ARTICLE

#: Bigger than ingest.MAX_BYTES (20 MB): must be refused from its size alone, without reading it.
HUGE_FILE_BYTES = 50 * 1024 * 1024

#: One sentence, no sentence end anywhere: spaCy parses it, but the quote rules slow down
#: quadratically on it (measured: 50k chars → 18 s, 200k chars → 267 s of extraction).
LONG_SENTENCE_CHARS = 200_000

#: The file whose read is made to fail with EACCES (see ``unreadable_by_permission``).
PERMISSION_DENIED_NAME = "permission_denied.txt"


@dataclass(frozen=True)
class BadInput:
    kind: str  # what the issue calls it
    uri: str  # quarantine.uri relative to the folder (``name`` or ``name#record``)
    reason: str  # the reason code it must get


@dataclass(frozen=True)
class GoodInput:
    kind: str
    uris: tuple[str, ...]  # every article_uri it must be recorded under, relative to the folder
    body: str  # dim_article.body, verbatim


@dataclass
class Torture:
    folder: Path
    bad: list[BadInput] = field(default_factory=list)
    good: list[GoodInput] = field(default_factory=list)

    def uri(self, relative: str) -> str:
        """The uri ingest records for a path relative to the folder."""
        return str(self.folder / relative)


# ---- good articles ------------------------------------------------------------------------------
COUNCIL = (
    "The mayor of Riverton, Ana Silva, accused the city council of hiding the true cost of the new bridge.\n"
    "\u201cThey misled the public about the budget,\u201d Silva said on Tuesday.\n"
    "Council leader Tom Becker denied the claim and said the figures had been published in full.\n"
)
HOSPITAL = (
    "Health Minister Priya Nair said on Monday that the hospital network would hire two thousand nurses.\n"
    "The opposition accused the government of cutting funding for rural clinics for three years in a row.\n"
    "Nair rejected the criticism. \u201cWe have increased spending every single year,\u201d she told reporters.\n"
)
#: An opening quote mark that never closes, and a stray closing one: real copy-editing accidents.
UNBALANCED_QUOTES = (
    "The union leader, Marta Kowalski, said \u201cthe company broke every promise it made to its workers.\n"
    "Managers at the plant said they had kept the agreement and accused the union of spreading rumours.\n"
    "A spokesman added that talks would resume on Friday\u201d and that no jobs were at risk.\n"
    'Kowalski said "we will strike if we must.\n'
)
UTF16_BODY = (
    "The port authority said on Wednesday that cargo traffic rose by nine percent, "
    "and its director, Lena M\u00fcller, accused shipping firms of under-reporting delays.\n"
    "\u201cThe numbers do not lie,\u201d M\u00fcller said.\n"
)
#: SQL, format strings, shell and terminal escapes, bidi overrides and other controls in the body:
#: stored verbatim and never executed. Enough English prose to be detected as English. (A NUL
#: byte would make a .txt file ``binary``; NUL characters travel in the JSON record below.)
INJECTION_BODY = (
    "Robert'); DROP TABLE dim_article;-- said on Monday that the council had lied about the budget.\n"
    "The treasurer, Maria Lopez, accused the auditors of hiding %s %d %n %(body)s {0} {body!r} "
    "{0.__class__.__mro__} ${HOME} $(rm -rf /) `id` from the public.\n"
    "\u201c'; DELETE FROM fact_quote WHERE 1=1; SELECT * FROM quarantine --,\u201d Lopez said.\n"
    "Control characters followed: bell\x07 escape\x1b[31mred\x1b[0m backspace\x08 form feed\x0c "
    "vertical tab\x0b carriage return\r delete\x7f right-to-left\u202eoverride\u202c "
    "zero width\u200bspace and a line separator\u2028in the middle of the paragraph.\n"
    "Rich markup [bold red]alarm[/] [/nonsense] and HTML <script>alert(1)</script> stayed as text.\n"
)
INJECTION_META = {
    "id": "'); DROP TABLE dim_article;--",
    "url": "https://example.com/news?id=1' OR '1'='1",
    "title": "Robert'); DROP TABLE etl_run;-- %s {0} \x1b[2J \x00 nul",
    "author": "{__import__('os').system('id')} %(author)s",
    "outlet": "[red]Outlet[/] \u202eevil\u202c",
    "published_at": "2024-06-25'; DROP TABLE dim_article;--",
    "body": (
        "The election commission said on Friday that the count was complete, and the governor, "
        "Daniel Reyes, accused his rival of spreading false claims about the ballots in three counties.\n"
        "\u201cEvery vote was counted twice,\u201d Reyes said.\x00 His rival did not respond to requests for comment.\n"
    ),
}
#: A file name that is itself an injection attempt (quote, semicolon, comment).
INJECTION_FILE_NAME = "o'brien'); DROP TABLE article_uri;--.txt"

GERMAN = (
    "Die Bundesregierung hat am Dienstag erklärt, dass die Opposition die Wähler über das "
    "Haushaltsdefizit getäuscht habe. Der Finanzminister sagte, die Zahlen seien korrekt und "
    "vollständig veröffentlicht worden. Die Opposition warf der Regierung vor, die wahren Kosten "
    "der Energiewende zu verschweigen, und forderte einen Untersuchungsausschuss im Bundestag.\n"
)

ENTITY_BOMB = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>Bomb</title>
<item><title>&lol9;</title><description>&lol9;</description></item>
</channel></rss>
"""

TRUNCATED_HTML = (
    "<!DOCTYPE html><html><head><title>Budget row</title></head><body><article>"
    "<p>The finance minister said on Tuesday that the opposition had misled voters about the deficit.</p>"
    "<p>Opposition leaders rejected the claim and accused the government of hiding the real fig"
)
SCRIPT_ONLY_HTML = (
    "<!DOCTYPE html><html><head><script>window.dataLayer=[];function gtag(){dataLayer.push(arguments)}"
    "</script></head><body><script src='/app.js'></script><script>document.write('<p>'"
    "+'The article is rendered by JavaScript'+'</p>')</script><noscript></noscript></body></html>"
)


def build(folder: Path) -> Torture:
    """Write every good and bad input into ``folder``; return what each must become."""
    folder.mkdir(parents=True, exist_ok=True)
    t = Torture(folder)
    _good_articles(t)
    _bad_files(t)
    _bad_records(t)
    _bad_file_system_entries(t)
    return t


def _write(t: Torture, name: str, data: bytes | str) -> Path:
    path = t.folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _good_articles(t: Torture) -> None:
    seed = SEED_ARTICLE.read_text(encoding="utf-8")
    _write(t, "seed.txt", seed)
    _write(t, "copies/same_article_other_name.txt", seed)
    t.good.append(GoodInput("duplicate article under two names", ("seed.txt", "copies/same_article_other_name.txt"), seed))
    _write(t, "council.txt", COUNCIL)
    t.good.append(GoodInput("good article", ("council.txt",), COUNCIL))
    _write(t, "hospital.md", HOSPITAL)
    t.good.append(GoodInput("good article (.md)", ("hospital.md",), HOSPITAL))
    _write(t, "unbalanced_quotes.txt", UNBALANCED_QUOTES)
    t.good.append(GoodInput("unbalanced quote marks", ("unbalanced_quotes.txt",), UNBALANCED_QUOTES))
    _write(t, "utf16_bom.txt", UTF16_BODY.encode("utf-16"))  # BOM + UTF-16-LE
    t.good.append(GoodInput("UTF-16 with BOM", ("utf16_bom.txt",), UTF16_BODY))
    _write(t, INJECTION_FILE_NAME, INJECTION_BODY)
    t.good.append(GoodInput("SQL/format/control characters in text and file name", (INJECTION_FILE_NAME,), INJECTION_BODY))
    _write(t, "injection_meta.json", json.dumps(INJECTION_META))
    t.good.append(GoodInput("SQL/format/control characters in metadata", (INJECTION_META["url"],), INJECTION_META["body"]))


def _bad_files(t: Torture) -> None:
    def bad(kind: str, name: str, reason: str, data: bytes | str) -> None:
        _write(t, name, data)
        t.bad.append(BadInput(kind, name, reason))

    bad("empty file", "empty.txt", "empty", b"")
    bad("only a UTF-8 byte-order mark", "bom_only.txt", "empty", codecs.BOM_UTF8)
    bad("whitespace only", "whitespace.txt", "whitespace_only", " \n\t\r\n  \u3000\n")
    bad("binary: a PNG named .txt", "screenshot.txt", "binary", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    bad("binary: a PNG", "photo.png", "unsupported_type", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    bad("NUL bytes in a text file", "nul_bytes.txt", "binary", b"The mayor said\x00\x00\x00 nothing.")
    bad("invalid UTF-8", "invalid_utf8.txt", "undecodable", "café au lait, said the chef.".encode("latin-1"))
    bad("truncated HTML", "truncated.html", "truncated", TRUNCATED_HTML)
    bad("HTML that is all script", "all_script.html", "no_main_text", SCRIPT_ONLY_HTML)
    bad("RSS with an XML entity bomb", "entity_bomb.rss", "unsafe_xml", ENTITY_BOMB)
    bad("XML that is not a feed", "config.xml", "no_entries", "<?xml version='1.0'?><config><a>1</a></config>")
    bad("CSV without a body/text column", "missing_columns.csv", "missing_column", "id,title,author\n1,A,B\n")
    bad("a non-English article", "german.txt", "non_english", GERMAN)
    bad("JSON nested 100,000 deep", "deep.json", "parse_error", "[" * 100_000 + "]" * 100_000)
    bad("JSON top level is a number", "scalar.json", "wrong_type", "42")
    bad("JSON empty list", "empty_list.json", "no_records", "[]")
    bad("JSON string with a lone surrogate", "surrogate.json", "undecodable", '{"body": "bad \\ud800 half"}')
    with open(t.folder / "huge_50mb.txt", "wb") as handle:  # real text, not a sparse file
        line = b"All work and no play makes the parser a dull boy.\n"
        handle.write(line * (HUGE_FILE_BYTES // len(line) + 1))
    t.bad.append(BadInput("a 50 MB text file", "huge_50mb.txt", "too_large"))
    sentence = ("the minister said that the council had misled voters about the roads and the budget, " * 3000)
    _write(t, "one_sentence_200k.txt", "The " + sentence[:LONG_SENTENCE_CHARS] + "and nobody disagreed.\n")
    t.bad.append(BadInput("a single 200k-character sentence", "one_sentence_200k.txt", "sentence_too_long"))


def _bad_records(t: Torture) -> None:
    """Files with good and bad records mixed: the bad records are quarantined one by one."""
    good_line = {"id": "ok-1", "title": "Good line", "body": HOSPITAL.replace("Monday", "Sunday")}
    _write(
        t,
        "malformed.jsonl",
        "\n".join(
            [
                json.dumps(good_line),
                '{"id": "broken", "body": "unterminated',
                json.dumps(["an", "array", "not", "an", "object"]),
                json.dumps({"id": "no-body", "title": "Nothing here"}),
                "",
            ]
        ),
    )
    t.good.append(GoodInput("good line in a malformed JSONL file", ("malformed.jsonl#1",), good_line["body"]))
    t.bad += [
        BadInput("malformed JSON line", "malformed.jsonl#2", "parse_error"),
        BadInput("JSON line that is not an object", "malformed.jsonl#3", "wrong_type"),
        BadInput("JSON record without a body", "malformed.jsonl#4", "missing_body"),
    ]
    wrong_types_good = {
        "title": 2024,
        "published_at": ["not", "a", "date"],
        "author": {"name": "Ann"},
        "outlet": 3.5,
        "id": None,
        "body": COUNCIL.replace("Tuesday", "Wednesday"),
    }
    _write(
        t,
        "wrong_types.json",
        json.dumps([{"body": 12345}, {"body": ["a", "list"]}, {"text": {"an": "object"}}, wrong_types_good]),
    )
    t.bad += [
        BadInput("JSON body is a number", "wrong_types.json#1", "wrong_type"),
        BadInput("JSON body is a list", "wrong_types.json#2", "wrong_type"),
        BadInput("JSON text is an object", "wrong_types.json#3", "wrong_type"),
    ]
    t.good.append(GoodInput("JSON record with wrong-typed metadata", ("wrong_types.json#4",), wrong_types_good["body"]))
    csv_good = HOSPITAL.replace("Monday", "Thursday")
    _write(t, "short_rows.csv", 'id,title,body\r\n1,Good,"' + csv_good.replace('"', '""') + '"\r\n2,Short row\r\n')
    t.good.append(GoodInput("good CSV row", ("short_rows.csv#2",), csv_good))
    # The good row's body spans lines 2-5 (newlines inside the quoted field): the short row starts on line 6.
    t.bad.append(BadInput("CSV row missing the body cell", "short_rows.csv#6", "missing_body"))


def _bad_file_system_entries(t: Torture) -> None:
    """Symlink loops, dangling links, FIFOs and unreadable files. Tests run as root, which
    ignores permission bits, so "unreadable" is made two other ways (see below)."""
    loop = t.folder / "symlink_loop.txt"
    loop.symlink_to(loop)  # a link to itself: stat fails with ELOOP
    t.bad.append(BadInput("symlink loop (file)", loop.name, "symlink_loop"))
    cycle = t.folder / "cycle"
    cycle.mkdir()
    (cycle / "back_to_top").symlink_to(t.folder, target_is_directory=True)  # walked once, no quarantine
    (t.folder / "dangling.txt").symlink_to(t.folder / "does_not_exist.txt")
    t.bad.append(BadInput("dangling symlink", "dangling.txt", "unreadable"))
    os.mkfifo(t.folder / "named_pipe.txt")  # reading it would block the run forever
    t.bad.append(BadInput("FIFO named like an article", "named_pipe.txt", "not_regular_file"))
    # Root reads any file whatever its mode bits, but the kernel still refuses to read address 0
    # of a process's memory: a real unreadable regular file (EIO), no simulation involved.
    (t.folder / "kernel_refuses.txt").symlink_to("/proc/self/mem")
    t.bad.append(BadInput("unreadable file (EIO from the kernel)", "kernel_refuses.txt", "unreadable"))
    # The common case, EACCES, is simulated at the open() call (see unreadable_by_permission).
    _write(t, PERMISSION_DENIED_NAME, COUNCIL.replace("Tuesday", "Saturday"))
    t.bad.append(BadInput("unreadable file (permission denied)", PERMISSION_DENIED_NAME, "unreadable"))


def unreadable_by_permission(monkeypatch, path: Path) -> None:
    """Make opening ``path`` fail with EACCES, as for a file mode 000 read by a normal user.

    Why a patch: tests run as root, and root (CAP_DAC_OVERRIDE) reads files whatever their mode,
    so chmod 000 cannot make a file unreadable here. The patch is at the io.open boundary (what
    ``Path.open`` calls), so ingest's own error handling is what is exercised.
    """
    import errno
    import io

    real_open = io.open
    denied = os.path.realpath(path)

    def open_or_deny(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and os.path.realpath(file) == denied:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", open_or_deny)
