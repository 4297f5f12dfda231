"""The team's evaluation sets: extraction, alignment and glosses on articles nobody tuned to.

For each half of ``tests/data/eval/`` (``dev``: developers may look; ``test``: held out, report
its figures only) a fresh store is built from the half's articles with the CLI
(``termalign build DIR --db TMP --json``, offline), then printed:

- per language, extraction recall@20/50/100/200 and precision@20 against ``reference.tsv``
  (a reference term is found when its matching key is a candidate's key or one of its
  variants, as ``termalign evaluate extraction`` counts);
- the article pairs ``build`` linked as telling one story, judged by the halves' file names
  (``<story>_<lang>.txt``): precision, and recall over the same-story pairs there are;
- per language pair, alignment precision@1, the share of reference concepts grouped in one
  proposal, and every further table ``termalign evaluate alignment --json`` reports (the
  calibration table, figures over suggestions) when it reports them;
- the gloss detector's span-exact precision and recall against ``glosses.tsv``, when termalign
  exposes a detector as a CLI command (``termalign glosses``); skipped with a message otherwise.

``--tico DATA`` adds the comparable TICO-19 set of issue 14, read from DATA (a folder holding
``tico19-test-eng-khm/`` and ``tico19-terminology/google/``; nothing of it enters the repo):
the Khmer side is the first half of the test lines, the English side the second half, so the
two sides are comparable, not parallel; the reference is the Google en→km list, kept only
where its Khmer term occurs in the Khmer side (so only proposals holding a listed Khmer term
are judged). The base glossary's TICO-19 part is switched off with the most specific option
``termalign build`` offers (a TICO-19-only switch, else ``--no-base-glossary``); the bench says
which, or that none exists and the figure is not clean.

Only the CLI and its JSON outputs are used, so the bench keeps working while the extraction and
alignment internals change; the matching keys come from ``termalign.gold`` (the reader that
``evaluate`` itself uses).

    .venv/bin/python bench/bench_eval.py                      # dev half
    .venv/bin/python bench/bench_eval.py --half test          # the held-out figures
    .venv/bin/python bench/bench_eval.py --half both --tico /work/shared/data
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "tests" / "data" / "eval"
LANGS = ("km", "th", "vi", "en")
CUTOFFS = (20, 50, 100, 200)
# `extract --show-only --top` large enough to list every stored candidate (for --misses).
ALL_CANDIDATES = 1_000_000
PRECISION_AT = 20
# Lines per ingested TICO-19 document: the test text has no document breaks; 50 lines make
# about 20 documents a side, enough for document frequency to mean something.
TICO_DOC_LINES = 50


class BenchError(Exception):
    pass


def run_cli(cli: list[str], *args: str, json_out: bool = True):
    proc = subprocess.run([*cli, *args], capture_output=True, text=True, encoding="utf-8")
    if proc.returncode not in (0,):
        raise BenchError(f"`termalign {' '.join(args)}` exited {proc.returncode}: {proc.stderr.strip()[-400:]}")
    if not json_out:
        return proc.stdout
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise BenchError(f"`termalign {' '.join(args)}` printed no JSON ({exc}): {proc.stdout[:200]!r}") from None


def option_offered(cli: list[str], command: list[str], pattern: str) -> str | None:
    """The first option of ``termalign COMMAND --help`` matching ``pattern``, if any."""
    proc = subprocess.run([*cli, *command, "--help"], capture_output=True, text=True, encoding="utf-8")
    if proc.returncode != 0:
        return None
    found = re.findall(r"(--[a-z0-9-]+)", proc.stdout)
    return next((opt for opt in found if re.search(pattern, opt)), None)


def command_offered(cli: list[str], name: str) -> bool:
    proc = subprocess.run([*cli, "--help"], capture_output=True, text=True, encoding="utf-8")
    return bool(re.search(rf"^\s+{re.escape(name)}\s", proc.stdout, re.M))


# -- extraction -------------------------------------------------------------------------------

def extraction_figures(cli: list[str], db: Path, gold_path: Path, gold, misses: bool = False) -> dict[str, dict]:
    """Recall@k and P@20 per language: the CLI's own figures where `evaluate extraction`
    reports the cut-off, the rest from the ranked candidates (`extract --show-only --json`)
    counted the same way. With ``misses``, also the reference terms outside the top
    max(CUTOFFS) and the rank they have in the whole list (dev half only)."""
    from termalign import lang as languages

    reported = run_cli(cli, "evaluate", "extraction", "--gold", str(gold_path), "--db", str(db), "--json")
    top_n = ALL_CANDIDATES if misses else max(CUTOFFS)
    listed = run_cli(cli, "extract", "--show-only", "--json", "--top", str(top_n), "--db", str(db))
    out: dict[str, dict] = {}
    for code in LANGS:
        wanted = [g.keys(code) for g in gold if g.terms.get(code)]
        if not wanted:
            continue
        all_keys = set().union(*wanted)
        language = languages.get(code)
        by_rank: dict[int, set[str]] = defaultdict(set)
        for cand in listed.get("candidates", {}).get(code, []):
            keys = by_rank[cand["rank"]]
            keys.add(cand["key"])
            keys.update(language.key(v) for v in str(cand.get("variants") or "").split(" | ") if v.strip())
        ranks = sorted(by_rank)
        n_terms = sum(len(w) for w in wanted)
        row: dict = {"concepts": len(wanted), "terms": n_terms, "candidates": len(ranks)}
        cli_row = reported.get(code, {})
        for k in CUTOFFS:
            top = [by_rank[r] for r in ranks[:k]]
            found = set().union(*top) if top else set()
            mine = round(sum(1 for w in wanted for key in w if key in found) / n_terms, 4)
            row[f"R@{k}"] = cli_row.get(f"recall@{k}", mine)
            if f"recall@{k}" in cli_row and abs(cli_row[f"recall@{k}"] - mine) > 1e-3:
                row.setdefault("note", []).append(
                    f"R@{k}: evaluate says {cli_row[f'recall@{k}']}, candidates say {mine}")
        top = [by_rank[r] for r in ranks[:PRECISION_AT]]
        mine_p = round(sum(1 for t in top if t & all_keys) / len(top), 4) if top else 0.0
        row[f"P@{PRECISION_AT}"] = cli_row.get(f"precision@{PRECISION_AT}", mine_p)
        if misses:
            first_rank: dict[str, int] = {}
            for i, r in enumerate(ranks, 1):
                for key in by_rank[r]:
                    first_rank.setdefault(key, i)
            ranked = [(term, first_rank.get(language.key(term))) for g in gold for term in g.terms.get(code, ())]
            row["misses"] = sorted(((t, r) for t, r in ranked if r is None or r > max(CUTOFFS)),
                                   key=lambda tr: (tr[1] is None, tr[1] or 0))
        out[code] = row
    return out


# -- glosses ----------------------------------------------------------------------------------

def read_gloss_reference(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def gloss_figures(cli: list[str], db: Path, articles: Path, reference: list[dict]) -> dict:
    """Span-exact P/R of a gloss detector exposed as `termalign glosses` (JSON: a list of
    objects, or {"glosses": [...]}, each naming its article file and its two spans as
    ``native``/``term`` and ``gloss``). A gloss is right when its article and its two span
    strings (unordered) equal a reference instance's."""
    if not command_offered(cli, "glosses"):
        return {"skipped": "termalign exposes no gloss detector (no `glosses` command)"}
    result = run_cli(cli, "glosses", "--db", str(db), "--json")
    found = result.get("glosses", result) if isinstance(result, dict) else result

    def key(article: str, a: str, b: str) -> tuple[str, frozenset[str]]:
        return Path(article).name, frozenset((_norm(a), _norm(b)))

    gold = Counter(key(r["article"], r["native"], r["gloss"]) for r in reference)
    got: Counter[tuple[str, frozenset[str]]] = Counter()
    for g in found:
        article = g.get("article") or g.get("path") or g.get("document") or g.get("file") or ""
        got[key(str(article), str(g.get("native") or g.get("term") or ""), str(g.get("gloss") or ""))] += 1
    right = sum((gold & got).values())
    by_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (article, _), n in gold.items():
        lang = article.rsplit("_", 1)[-1].removesuffix(".txt")
        by_lang[lang][1] += n
    for k, n in (gold & got).items():
        by_lang[k[0].rsplit("_", 1)[-1].removesuffix(".txt")][0] += n
    return {
        "precision": round(right / sum(got.values()), 4) if got else 0.0,
        "recall": round(right / sum(gold.values()), 4) if gold else 0.0,
        "n_reference": sum(gold.values()), "n_found": sum(got.values()),
        "recall_by_lang": {c: round(h / n, 4) for c, (h, n) in sorted(by_lang.items()) if n},
    }


def document_link_figures(articles: Path, links: list[dict]) -> dict:
    """How many of the article pairs ``build`` linked tell one story, and how many such pairs
    exist: the team's articles are named ``<story>_<lang>.txt``, so two articles of
    different languages tell one story when their stems agree up to the language."""
    def story(path: str) -> str:
        return Path(path).stem.rsplit("_", 1)[0]

    by_story = Counter(story(str(p)) for p in articles.glob("*.txt"))
    possible = sum(n * (n - 1) // 2 for n in by_story.values())
    right = sum(story(link["a"]) == story(link["b"]) for link in links)
    return {"linked": len(links), "right": right, "same_story_pairs": possible,
            "precision": round(right / len(links), 4) if links else None,
            "recall": round(right / possible, 4) if possible else None}


# -- one corpus -------------------------------------------------------------------------------

def evaluate_corpus(cli: list[str], name: str, articles: Path, gold_path: Path, work: Path,
                    build_options: list[str], glosses: list[dict] | None, misses: bool = False,
                    stories_named: bool = True) -> dict:
    from termalign.gold import read_gold

    gold = read_gold(gold_path)
    db = work / f"{name}.db"
    if db.exists():
        db.unlink()
    began = time.perf_counter()
    built = run_cli(cli, "build", str(articles), "--db", str(db), "-o", str(work / f"{name}-out"), "--json",
                    *build_options)
    seconds = round(time.perf_counter() - began, 1)
    alignment = run_cli(cli, "evaluate", "alignment", "--gold", str(gold_path), "--db", str(db), "--json")
    named = dict(Counter(p.stem.rsplit("_", 1)[-1] for p in articles.glob("*.txt")))
    identified = {c: v.get("documents") for c, v in built.get("by_language", {}).items() if isinstance(v, dict)}
    result = {
        "articles": named,
        "concepts": len(gold),
        "build": {"seconds": seconds, "options": build_options,
                  **{k: built[k] for k in ("candidates", "proposals", "attested", "suggestions") if k in built}},
        "extraction": extraction_figures(cli, db, gold_path, gold, misses),
        "alignment": alignment,
    }
    if "linked_documents" in built:
        # Judged where file names say the story (the team's halves); elsewhere only counted.
        result["documents"] = (
            document_link_figures(articles, built["linked_documents"]) if stories_named
            else {"linked": len(built["linked_documents"])}
        )
    if identified and any(identified.get(c) != n for c, n in named.items()):
        # The file name says the language; ingest identifies it from the text.
        result["warning"] = f"ingest identified documents per language as {identified}, the file names say {named}"
    if glosses is not None:
        result["glosses"] = gloss_figures(cli, db, articles, glosses)
    return result


def tico_corpus(data: Path, work: Path) -> tuple[Path, Path, dict]:
    """Write the comparable TICO-19 set into ``work``: km documents from the first half of the
    lines, en documents from the second; a reference TSV of the Google en→km list restricted to
    entries whose Khmer term occurs in the Khmer side."""
    from termalign import lang as languages

    test = data / "tico19-test-eng-khm"
    listing = data / "tico19-terminology" / "google" / "en_km.csv"
    for path in (test / "tico19-test.khm", test / "tico19-test.eng", listing):
        if not path.is_file():
            raise BenchError(f"{path}: not found (--tico wants the folder holding tico19-test-eng-khm/ "
                             "and tico19-terminology/)")
    km_lines = (test / "tico19-test.khm").read_text(encoding="utf-8").splitlines()
    en_lines = (test / "tico19-test.eng").read_text(encoding="utf-8").splitlines()
    if len(km_lines) != len(en_lines):
        raise BenchError(f"{test}: {len(km_lines)} Khmer lines but {len(en_lines)} English lines")
    half = len(km_lines) // 2
    sides = {"km": km_lines[:half], "en": en_lines[half:]}
    docs = work / "tico-articles"
    docs.mkdir(parents=True, exist_ok=True)
    for code, lines in sides.items():
        for i in range(0, len(lines), TICO_DOC_LINES):
            chunk = "\n".join(lines[i:i + TICO_DOC_LINES]) + "\n"
            (docs / f"tico_{i // TICO_DOC_LINES:03d}_{code}.txt").write_text(chunk, encoding="utf-8")
    km, en = languages.get("km"), languages.get("en")

    def words(text: str) -> str:
        return " ".join(re.findall(r"\w+(?:[-'’]\w+)*", en.key(text)))

    km_text = "\n".join(km.key(line) for line in sides["km"])
    en_text = f" {words(' '.join(sides['en']))} "
    concepts: dict[str, dict[str, list[str]]] = {}
    with open(listing, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            src, tgt = row["sourceString"].strip(), row["targetString"].strip()
            if not src or not tgt or not km.key(tgt) or km.key(tgt) not in km_text:
                continue  # judged only where the Khmer term is in the list and in the Khmer side
            entry = concepts.setdefault(src.lower(), {"en": [], "km": []})
            if src not in entry["en"] and f" {words(src)} " in en_text:
                entry["en"].append(src)  # English slot: only terms the English side attests
            if tgt not in entry["km"]:
                entry["km"].append(tgt)
    gold_path = work / "tico-reference.tsv"
    with open(gold_path, "w", encoding="utf-8") as fh:
        fh.write("id\ten\tvi\tkm\tth\n")
        for i, (_, entry) in enumerate(sorted(concepts.items()), 1):
            fh.write(f"tico-{i:03d}\t{' | '.join(entry['en'])}\t\t{' | '.join(entry['km'])}\t\n")
    both = sum(1 for e in concepts.values() if e["en"])
    info = {"km_lines": half, "en_lines": len(km_lines) - half, "concepts": len(concepts), "with_en_in_en_side": both}
    return docs, gold_path, info


# -- printing ---------------------------------------------------------------------------------

def _count(value) -> str:
    # `build --json` may report a number or an object such as {"waiting": n, "by_origin": {...}}.
    if isinstance(value, dict):
        head = value.get("waiting", value.get("total", value.get("terms")))
        rest = {k: v for k, v in value.items() if k not in ("waiting", "total", "terms")}
        return f"{head if head is not None else ''} {json.dumps(rest, ensure_ascii=False) if rest else ''}".strip()
    return str(value)


def print_result(name: str, result: dict) -> None:
    arts = result["articles"]
    print(f"\n== {name}: {sum(arts.values())} articles ({', '.join(f'{c} {arts[c]}' for c in LANGS if c in arts)}); "
          f"{result['concepts']} reference concepts")
    if "warning" in result:
        print(f"warning: {result['warning']}")
    b = result["build"]
    extra = "".join(f"; {k} {_count(b[k])}" for k in ("attested", "suggestions") if k in b)
    cands = ", ".join(f"{c} {n}" for c, n in b.get("candidates", {}).items())
    print(f"build {b['seconds']} s {' '.join(b['options'])}: candidates {cands}; proposals {b.get('proposals')}{extra}")
    if "documents" in result:
        d = result["documents"]
        if "right" in d:
            print(f"documents: {d['linked']} article pairs linked, {d['right']} tell one story (precision "
                  f"{d['precision']}); {d['same_story_pairs']} same-story pairs exist (recall {d['recall']})")
        else:
            print(f"documents: {d['linked']} article pairs linked (not judged: the file names tell no story)")
    print(f"{'extraction':<11}{'concepts':>9}{'terms':>7}" + "".join(f"{'R@' + str(k):>8}" for k in CUTOFFS)
          + f"{'P@' + str(PRECISION_AT):>8}")
    for code, row in result["extraction"].items():
        print(f"{code:<11}{row['concepts']:>9}{row['terms']:>7}" + "".join(f"{row[f'R@{k}']:>8.2f}" for k in CUTOFFS)
              + f"{row[f'P@{PRECISION_AT}']:>8.2f}")
        for note in row.get("note", []):
            print(f"  note: {note}")
        if "misses" in row:
            print(f"  outside the top {max(CUTOFFS)}: "
                  + "; ".join(f"{t} ({r if r else 'absent'})" for t, r in row["misses"]))
    al = result["alignment"]
    print(f"{'alignment':<11}{'p@1':>8}{'n':>5}")
    for pair, row in al.get("pairs", {}).items():
        if row.get("n"):
            print(f"{pair:<11}{row['p@1']:>8.2f}{row['n']:>5}")
    grouped = al.get("grouped", {})
    print(f"grouped: {grouped.get('share', 0):.2f} of {grouped.get('n', 0)} reference concepts in one proposal")
    if "calibration" in al:
        print("calibration (score bin → share correct, n, Wilson lower bound):")
        bins = al["calibration"]
        rows = bins if isinstance(bins, list) else [
            {"bin": k, **v} if isinstance(v, dict) else {"bin": k, "value": v} for k, v in bins.items()]
        for row in rows:
            print("  " + "  ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in row.items()))
    else:
        print("calibration: `termalign evaluate alignment --json` reports no calibration table today")
    for key in sorted(set(al) - {"pairs", "grouped", "calibration"}):
        print(f"{key}: {json.dumps(al[key], ensure_ascii=False)}")
    if "glosses" in result:
        g = result["glosses"]
        if "skipped" in g:
            print(f"glosses: skipped — {g['skipped']}")
        else:
            print(f"glosses: span-exact P {g['precision']:.2f} R {g['recall']:.2f} "
                  f"({g['n_found']} found, {g['n_reference']} in the reference; "
                  f"recall by language {g['recall_by_lang']})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", choices=("dev", "test", "both"), default="dev")
    parser.add_argument("--tico", type=Path, metavar="DATA",
                        help="folder with tico19-test-eng-khm/ and tico19-terminology/")
    parser.add_argument("--only-tico", action="store_true", help="with --tico: skip the team's halves")
    parser.add_argument("--misses", action="store_true",
                        help="dev half only: list the reference terms outside the top 200 with their rank")
    parser.add_argument("--work", type=Path, help="keep the stores here (default: a temporary folder)")
    parser.add_argument("--termalign", default=f"{sys.executable} -m termalign", help="how to run the CLI")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    args = parser.parse_args()
    if args.misses and args.half != "dev":
        sys.exit("bench_eval: --misses lists items of the dev half only; the test half is held out")
    cli = args.termalign.split()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-eval-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict] = {}
    try:
        if not args.only_tico:
            for half in (("dev", "test") if args.half == "both" else (args.half,)):
                folder = EVAL / half
                results[half] = evaluate_corpus(cli, half, folder / "articles", folder / "reference.tsv", work, [],
                                                read_gloss_reference(folder / "glosses.tsv"),
                                                misses=args.misses and half == "dev")
        if args.tico:
            docs, gold_path, info = tico_corpus(args.tico, work)
            # Only switches that turn something off: `--with-tico-glossary` would turn it on.
            tico_only = option_offered(cli, ["build"], r"^--(no|without|exclude)-.*tico")
            no_base = option_offered(cli, ["build"], r"^--(no|without)-base")
            if tico_only:
                options, base_note = [tico_only], f"base glossary's TICO-19 part off ({tico_only})"
            elif no_base:
                options, base_note = [no_base], f"no TICO-19-only switch: whole base glossary off ({no_base})"
            else:
                options, base_note = [], ("build offers no option to switch the base glossary's TICO-19 part off: "
                                          "it is ON and grades its own terms (figures are optimistic)")
            # The Khmer and English chunks are different halves of the test set: no story is shared.
            results["tico"] = evaluate_corpus(cli, "tico", docs, gold_path, work, options, None, stories_named=False)
            results["tico"]["set"] = info | {"base_glossary": base_note}
    except BenchError as exc:
        sys.exit(f"bench_eval: {exc}")
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return
    for name, result in results.items():
        print_result(name, result)
        if name == "tico":
            s = result["set"]
            print(f"TICO-19 comparable: km side {s['km_lines']} lines, en side {s['en_lines']} lines; "
                  f"{s['concepts']} Google-list concepts with their km term in the km side, "
                  f"{s['with_en_in_en_side']} also with their en term in the en side; {s['base_glossary']}")
    print(f"\nstores in {work}")


if __name__ == "__main__":
    main()
