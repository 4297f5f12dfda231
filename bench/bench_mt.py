"""Machine translation speed and memory: CTranslate2 (int8, float32) against PyTorch.

One run, the same model and the same input for every backend:

* the model: a Marian model of transformer-base size (6+6 layers, d=512, 8 heads, FFN 2048,
  a 32k vocabulary) built by the test-model builder and trained just enough (100 steps on
  the test pairs, about 5 minutes once, then cached) to end its sentences: speed does not
  depend on the quality of the weights, but an untrained model never stops and would send
  every sentence through the repetition guard; converted by CTranslate2's converter to int8
  and to float32;
* the input: the Khmer side of NTREX-128 (``corpora/``), sentences cut to 120 pieces;
* the work: every backend decodes exactly ``--length`` target tokens per sentence (minimum
  and maximum decoding length alike), beam ``--beam``, batches of ``--batch`` sentences,
  ``--threads`` threads;
* each backend runs in its own process, so its peak resident memory (``VmHWM``) is its
  own; the growth over the process after imports is shown too.

Then the batch translator (``termalign.Translator.translate_documents`` on the int8 model,
token batching) with 1 and then 2 worker threads (``inter_threads``), one intra thread each.

    .venv/bin/python bench/bench_mt.py [--sentences 256] [--length 32] [--beam 2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "translate"))


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """Peak resident memory of this process (VmHWM: ru_maxrss would carry the parent's over)."""
    return _status_mb("VmHWM")


def current_rss_mb() -> float:
    return _status_mb("VmRSS")


def bench_recipe():
    from mt_modelkit import Recipe

    return Recipe(
        "marian", layers=6, d_model=512, heads=8, ffn=2048, positions=256, vocab_pad=32000, steps=100, lr=1e-3
    )


def prepare(sentences: int) -> dict:
    """Build (or reuse) the models and write the input; returns paths for the workers."""
    from mt_modelkit import build

    from termalign import lang
    from termalign.translate.convert import convert_model
    from termalign.translate.models import TranslationModel

    int8 = build(bench_recipe(), log=lambda m: print(m, file=sys.stderr))
    checkpoint = int8.with_name(int8.name + ".hf")
    float32 = int8.with_name(int8.name + "-float32")
    if not (float32 / "termalign-model.json").is_file():
        convert_model(
            checkpoint,
            float32,
            family_name="marian",
            sources=["km"],
            targets=["en"],
            quantization="float32",
            name="bench-float32",
            licence="CC0-1.0",
            force=True,
        )
    model = TranslationModel(int8)
    khmer = lang.get("km")
    source = ROOT / "corpora" / "ntrex128" / "newstest2019-ref.khm.txt"
    lines = source.read_text(encoding="utf-8").splitlines() if source.is_file() else []
    if not lines:
        lines = [
            ln for p in sorted((ROOT / "seeds").glob("*.txt")) for ln in p.read_text(encoding="utf-8").splitlines()
        ]
    batch: list[list[str]] = []
    for line in lines:
        for s, e in khmer.split_sentences(line):
            pieces = model.encode(line[s:e])[:120]
            if len(pieces) >= 4:
                batch.append([*pieces, "</s>"])
        if len(batch) >= sentences:
            break
    while len(batch) < sentences:
        batch += batch[: sentences - len(batch)]
    tokens = ROOT / ".cache" / "bench-mt-input.json"
    tokens.write_text(json.dumps(batch[:sentences], ensure_ascii=False))
    texts = ROOT / ".cache" / "bench-mt-input.txt"
    texts.write_text("\n".join(model.source_spm.decode_pieces(t[:-1]) for t in batch[:sentences]), encoding="utf-8")
    return {
        "int8": str(int8),
        "float32": str(float32),
        "checkpoint": str(checkpoint),
        "tokens": str(tokens),
        "texts": str(texts),
    }


# -- workers (each in its own process) ------------------------------------------------------


def worker_ct2(model_dir: str, tokens_path: str, args) -> dict:
    import ctranslate2

    source = json.loads(Path(tokens_path).read_text())
    base = current_rss_mb()
    translator = ctranslate2.Translator(model_dir, inter_threads=1, intra_threads=args.threads)
    options = {
        "beam_size": args.beam,
        "min_decoding_length": args.length,
        "max_decoding_length": args.length,
        "max_batch_size": args.batch,
    }
    translator.translate_batch(source[: args.batch], **options)  # warm-up
    started = time.perf_counter()
    results = translator.translate_batch(source, **options)
    seconds = time.perf_counter() - started
    produced = sum(len(r.hypotheses[0]) for r in results)
    return {"seconds": seconds, "tokens": produced, "peak_mb": rss_mb(), "base_mb": base}


def worker_torch(checkpoint: str, tokens_path: str, args) -> dict:
    import torch
    import transformers

    torch.set_num_threads(args.threads)
    source = json.loads(Path(tokens_path).read_text())
    vocab = json.loads((Path(checkpoint) / "vocab.json").read_text())
    unk = vocab["<unk>"]
    pad = vocab["<pad>"]
    ids = [[vocab.get(t, unk) for t in s] for s in source]
    base = current_rss_mb()
    model = transformers.MarianMTModel.from_pretrained(checkpoint).eval()

    def run(rows):
        produced = 0
        for i in range(0, len(rows), args.batch):
            chunk = rows[i : i + args.batch]
            width = max(map(len, chunk))
            input_ids = torch.tensor([r + [pad] * (width - len(r)) for r in chunk])
            with torch.inference_mode():
                out = model.generate(
                    input_ids=input_ids,
                    attention_mask=(input_ids != pad).long(),
                    num_beams=args.beam,
                    min_new_tokens=args.length,
                    max_new_tokens=args.length,
                    do_sample=False,
                )
            produced += (out.shape[1] - 1) * out.shape[0]  # less the decoder start token
        return produced

    run(ids[: args.batch])  # warm-up
    started = time.perf_counter()
    produced = run(ids)
    return {"seconds": time.perf_counter() - started, "tokens": produced, "peak_mb": rss_mb(), "base_mb": base}


def worker_translator(model_dir: str, texts_path: str, args, inter: int) -> dict:
    from termalign import Translator

    lines = Path(texts_path).read_text(encoding="utf-8").splitlines()
    base = current_rss_mb()
    translator = Translator(
        model_dir,
        enforce=(),
        beam_size=args.beam,
        n_best=1,
        inter_threads=inter,
        intra_threads=1,
        max_decoding_length=args.length,
        max_batch_tokens=args.batch_tokens,
    )
    list(translator.translate_documents([("warm", lines[0])], "km", "en"))
    started = time.perf_counter()
    docs = list(translator.translate_documents(((str(i), line) for i, line in enumerate(lines)), "km", "en"))
    seconds = time.perf_counter() - started
    segments = sum(len(d.segments) for d in docs)
    produced = sum(len(translator.model.target_pieces(s.target)) for d in docs for s in d.segments)
    retried = sum(any("retried" in i for i in s.issues) for d in docs for s in d.segments)
    return {
        "seconds": seconds,
        "segments": segments,
        "tokens": produced,
        "retried": retried,
        "peak_mb": rss_mb(),
        "base_mb": base,
    }


def spawn(kind: str, paths: dict, args, inter: int = 1) -> dict:
    cmd = [
        sys.executable,
        __file__,
        "--worker",
        kind,
        "--paths",
        json.dumps(paths),
        "--inter",
        str(inter),
        *(
            f"--{k}={v}"
            for k, v in (
                ("length", args.length),
                ("beam", args.beam),
                ("batch", args.batch),
                ("threads", args.threads),
                ("batch-tokens", args.batch_tokens),
            )
        ),
    ]
    done = subprocess.run(
        cmd, capture_output=True, text=True, check=False, env={**os.environ, "TOKENIZERS_PARALLELISM": "false"}
    )
    if done.returncode != 0:
        raise SystemExit(f"worker {kind} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sentences", type=int, default=256)
    parser.add_argument("--length", type=int, default=32, help="target tokens decoded per sentence")
    parser.add_argument("--beam", type=int, default=2)
    parser.add_argument("--batch", type=int, default=16, help="sentences per batch (backend comparison)")
    parser.add_argument("--batch-tokens", type=int, default=1024, help="tokens per batch (batch translator)")
    parser.add_argument("--threads", type=int, default=2, help="threads per backend")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--paths", help=argparse.SUPPRESS)
    parser.add_argument("--inter", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        paths = json.loads(args.paths)
        if args.worker == "torch":
            result = worker_torch(paths["checkpoint"], paths["tokens"], args)
        elif args.worker == "translator":
            result = worker_translator(paths["int8"], paths["texts"], args, args.inter)
        else:
            result = worker_ct2(paths[args.worker], paths["tokens"], args)
        print(json.dumps(result))
        return

    paths = prepare(args.sentences)
    # Figures on a shared machine are only as good as its idleness: the load is printed.
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"model: Marian 6+6 layers, d=512, FFN 2048, 32k vocabulary; {args.sentences} Khmer sentences "
        f"(NTREX-128), {args.length} target tokens each, beam {args.beam}, batches of {args.batch}, "
        f"{args.threads} threads, {os.cpu_count()} cores"
    )
    rows = {kind: spawn(kind, paths, args) for kind in ("torch", "float32", "int8")}
    torch = rows["torch"]
    print(f"\n{'backend':<22}{'tokens/s':>10}{'peak MB':>10}{'+MB':>8}{'speed vs torch':>16}{'memory vs torch':>17}")
    for kind, label in (
        ("torch", "transformers/PyTorch"),
        ("float32", "CTranslate2 float32"),
        ("int8", "CTranslate2 int8"),
    ):
        r = rows[kind]
        rate = r["tokens"] / r["seconds"]
        grown = r["peak_mb"] - r["base_mb"]
        print(
            f"{label:<22}{rate:>10.0f}{r['peak_mb']:>10.0f}{grown:>8.0f}"
            f"{rate / (torch['tokens'] / torch['seconds']):>15.2f}x{r['peak_mb'] / torch['peak_mb']:>16.2f}x"
        )
    print("(peak MB: the process's peak resident memory; +MB: its growth after imports, i.e. model and decoding)")

    print(f"\nbatch translator (termalign.Translator, int8, token batches of {args.batch_tokens}, 1 intra thread each)")
    scaling = {inter: spawn("translator", paths, args, inter) for inter in (1, 2)}
    for inter, r in scaling.items():
        print(
            f"  inter_threads={inter}: {r['segments'] / r['seconds']:7.1f} segments/s, "
            f"{r['tokens'] / r['seconds']:7.0f} tokens/s, peak {r['peak_mb']:.0f} MB "
            f"({r['segments']} segments, {r['retried']} retried by the repetition guard)"
        )
    speedup = scaling[1]["seconds"] / scaling[2]["seconds"]
    print(f"  scaling 1 -> 2 threads: {speedup:.2f}x")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
