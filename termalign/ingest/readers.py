"""Reading article files: formats, decoding and the checks that reject bad input."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from termalign import lang as languages
from termalign.corpus import RawDocument
from termalign.errors import InputError

EXTENSIONS = (".txt", ".md", ".html", ".htm", ".jsonl")
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def discover(paths: list[str | Path]) -> Iterator[Path]:
    """Files named, and files with a known extension under directories named (sorted)."""
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in EXTENSIONS)
        else:
            yield p


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("no such file", path=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", path=str(path)) from None
    if path.is_dir():
        raise InputError("is a directory", path=str(path))
    if size > max_bytes:
        raise InputError(f"file is {size:,} bytes, over the limit of {max_bytes:,} (--max-bytes)", path=str(path))
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", path=str(path)) from None


def decode(data: bytes, path: str) -> str:
    """Strict UTF-8 (a BOM is dropped); binary data and other encodings are refused."""
    if not data.strip():
        raise InputError("file is empty", path=path)
    if b"\x00" in data[:8192]:
        raise InputError("binary file, not text", path=path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 (invalid byte 0x{data[exc.start]:02x} at offset {exc.start}); convert it to UTF-8 first",
            path=path,
        ) from None
    # Line ends are normalized so that offsets mean the same on every platform.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_documents(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> list[RawDocument]:
    """The articles in one file. Raises :class:`InputError` naming the file and the problem."""
    if not path.exists():
        raise InputError("no such file", path=str(path))
    suffix = path.suffix.lower()
    if suffix not in EXTENSIONS:
        expected = ", ".join(EXTENSIONS)
        raise InputError(f"unknown file type {suffix or '(none)'!r}; expected one of {expected}", path=str(path))
    text = decode(read_bytes(path, max_bytes), str(path))
    # A document is known by its absolute path: `a.txt` and `./a.txt` are one document.
    ident = str(path.resolve())
    if suffix in (".html", ".htm"):
        return [_from_html(text, ident)]
    if suffix == ".jsonl":
        return list(_from_jsonl(text, ident))
    if suffix == ".md":
        return [RawDocument(ident, _markdown_to_text(text))]
    return [RawDocument(ident, text)]


_BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption", "td", "th", "pre", "div")
_DROP_TAGS = (
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button", "template",
)


def _from_html(html: str, path: str) -> RawDocument:
    # lxml.html is loaded only when an HTML article is read (most corpora are text or JSONL).
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"cannot parse HTML ({exc})", path=path) from None
    for bad in root.xpath("//" + " | //".join(_DROP_TAGS)):
        bad.drop_tree()
    title_el = root.find(".//title")
    title = title_el.text_content().strip() if title_el is not None else None
    url_el = root.xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content")
    body = root.find("body")
    blocks: list[str] = []
    for el in (body if body is not None else root).iter(*_BLOCK_TAGS):
        # Only innermost blocks, so nested <div><p> text is not taken twice.
        if any(child.tag in _BLOCK_TAGS for child in el.iterdescendants()):
            continue
        line = " ".join(el.text_content().split())
        if line:
            blocks.append(line)
    text = "\n\n".join(blocks)
    if not text.strip():
        raise InputError("HTML has no text content", path=path)
    return RawDocument(path, text, title=title or None, url=url_el[0] if url_el else None)


def _from_jsonl(text: str, path: str) -> Iterator[RawDocument]:
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"line {lineno}: not JSON ({exc.msg})", path=path) from None
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or not obj["text"].strip():
            raise InputError(f"line {lineno}: needs a non-empty string field 'text'", path=path)
        for name in ("title", "url", "lang"):
            if obj.get(name) is not None and not isinstance(obj[name], str):
                raise InputError(f"line {lineno}: field {name!r} must be a string", path=path)
        lang = obj.get("lang", "").strip().lower() or None
        if lang is not None and lang not in languages.CODES:
            raise InputError(f"line {lineno}: unknown language {obj['lang']!r} (use km, th, vi or en)", path=path)
        yield RawDocument(
            f"{path}#{lineno}",
            obj["text"].replace("\r\n", "\n"),
            title=obj.get("title"),
            url=obj.get("url"),
            lang=lang,
        )


_MD_RULES = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.M), ""),  # heading marks
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),  # quotes
    (re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # emphasis, code
    (re.compile(r"^\s*[-*+]\s+", re.M), "• "),  # list items
]


def _markdown_to_text(md: str) -> str:
    for pattern, repl in _MD_RULES:
        md = pattern.sub(repl, md)
    return md
