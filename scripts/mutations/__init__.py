"""`make test-mutations`: the suite must fail when a business rule is broken.

Each mutation below is a deliberate wrong rule: in one file, an exact text replaced by a wrong
one, and the pytest node ids that must then fail. The check copies the git-tracked (and new,
not ignored) files to temporary directories (one per job, `--jobs`, default 2: the machine's
two cores), symlinks `.venv`, runs the baseline (every named test, unmutated, in the jobs'
pytest workers), then applies each mutation alone to a copy no other mutation holds, runs only
its tests (`-x -q`, PYTHONPATH = the copy), and restores the file. It fails when:
- a mutation's find text does not occur exactly once in its file (checked for every mutation
  before anything runs, so the list cannot rot silently when the code changes),
- the named tests do not pass on the unmutated copy (a red baseline proves nothing),
- a mutation leaves its tests passing (the rule is unguarded),
- a mutation marked `known_gap` is now caught (remove the mark: the gap is closed).
The baseline can instead only collect the named tests in the copy (`--baseline collect`: each
id exists and imports there), for a run right after the whole suite passed on the same tree:
`.ci/run` runs `make test` first and stops if it fails, so running the same tests again
unmutated would prove nothing more (it was a third of the check's time).
A mutation whose tests time out counts as caught (a wrong rule that hangs is still noticed).
A mutation of an opt-in suite (`opt_in`: its variable, LEDGERDESK_SPARK_TESTS) is checked only
when that variable is 1 (`LEDGERDESK_SPARK_TESTS=1 python -m scripts.mutations --only NAME`);
otherwise it is printed as not run and the check does not count it.

    python -m scripts.mutations [--only NAME ...] [--list] [--baseline run|collect|skip]
                                [--skip-baseline] [--verbose] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import queue
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from scripts.mutations import (
    all_gateways,
    braintree,
    engines,
    extraction,
    incremental,
    money,
    paypal,
    revenue,
    serving,
    transform,
)
from scripts.mutations.check import (
    BASELINE_TIMEOUT_SECONDS,
    ROOT,
    TIMEOUT_SECONDS,
    _indent,
    check_find_texts,
    copy_project,
    run_tests,
)
from scripts.mutations.mutation import Mutation

__all__ = ["MUTATIONS", "ROOT", "Mutation", "check_find_texts", "copy_project", "main"]

# In the order the check runs them (the order of the one list this package once was).
MUTATIONS: tuple[Mutation, ...] = (
    *revenue.MUTATIONS,
    *extraction.MUTATIONS,
    *money.MINOR_UNITS,
    *braintree.MUTATIONS,
    *paypal.MUTATIONS,
    *money.DECIMAL_TEXT,
    *all_gateways.MUTATIONS,
    *engines.MUTATIONS,
    *transform.MUTATIONS,
    *incremental.MUTATIONS,
    *serving.MUTATIONS,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.mutations", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--only", action="append", help="run only this mutation (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    parser.add_argument(
        "--baseline", choices=("run", "collect", "skip"), default="run",
        help="run the named tests unmutated first (default); only collect them (right after "
        "the whole suite passed on this tree: .ci/run); or skip",
    )  # fmt: skip
    parser.add_argument("--skip-baseline", action="store_true", help="--baseline skip")
    parser.add_argument("-v", "--verbose", action="store_true", help="show how each failed")
    parser.add_argument(
        "-j", "--jobs", type=int, default=min(2, os.cpu_count() or 1),
        help="mutations checked at once, each in its own copy of the project (default 2)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    mutations = MUTATIONS
    if args.only:
        unknown = set(args.only) - {m.name for m in MUTATIONS}
        if unknown:
            print(f"unknown mutation(s): {sorted(unknown)}", file=sys.stderr)
            return 2
        mutations = tuple(m for m in MUTATIONS if m.name in args.only)
    if args.list:
        for m in mutations:
            gap = f"  [known gap: {m.known_gap}]" if m.known_gap else ""
            opt_in = f"  [only with {m.opt_in}=1]" if m.opt_in else ""
            print(f"{m.name}: {m.file} -> {', '.join(m.tests)}{gap}{opt_in}")
        return 0
    problems = check_find_texts(ROOT, MUTATIONS)
    if problems:
        print("MUTATION LIST IS STALE:\n" + "\n".join(problems), file=sys.stderr)
        return 2
    not_asked = [m for m in mutations if m.opt_in and os.environ.get(m.opt_in) != "1"]
    for m in not_asked:
        print(f"{m.name}: not run (its tests are an opt-in suite: {m.opt_in}=1 runs it)")
    mutations = tuple(m for m in mutations if m not in not_asked)
    if not mutations:
        return 0
    jobs = max(1, min(args.jobs, len(mutations)))
    with tempfile.TemporaryDirectory(
        prefix="ledgerdesk-mutations-", ignore_cleanup_errors=True
    ) as tmp:
        copies: queue.Queue[Path] = queue.Queue()
        for i in range(jobs):
            copy = Path(tmp) / f"project-{i}"
            copy_project(copy)
            copies.put(copy)
        baseline = "skip" if args.skip_baseline else args.baseline
        if baseline != "skip":
            union = tuple(dict.fromkeys(t for m in mutations for t in m.tests))
            if baseline == "collect":
                options: tuple[str, ...] = ("--collect-only",)
            else:
                options = ("-n", str(jobs), "--dist", "loadgroup") if jobs > 1 else ()
            timeout = max([BASELINE_TIMEOUT_SECONDS, *(m.timeout_seconds or 0 for m in mutations)])
            status, seconds, tail = run_tests(copies.queue[0], union, *options, timeout=timeout)
            done = "collected" if baseline == "collect" else "run"
            print(f"baseline ({len(union)} tests {done}): {status} in {seconds:.0f}s", flush=True)
            if status != "passed":
                print(f"the named tests must pass unmutated first:\n{tail}", file=sys.stderr)
                return 1
        failures: list[str] = []
        printing = threading.Lock()

        def check(m: Mutation) -> None:
            copy = copies.get()  # a copy no other mutation is applied to meanwhile
            try:
                path = copy / m.file
                original = path.read_text()
                path.write_text(original.replace(m.find, m.replace, 1))
                try:
                    status, seconds, tail = run_tests(
                        copy, m.tests, timeout=m.timeout_seconds or TIMEOUT_SECONDS
                    )
                finally:
                    path.write_text(original)
            finally:
                copies.put(copy)
            caught = status in ("failed", "timeout")
            with printing:
                if m.known_gap:
                    verdict = "KNOWN GAP, still not caught" if not caught else "CAUGHT (gap closed)"
                    if caught:
                        failures.append(f"{m.name}: now caught; remove its known_gap mark")
                else:
                    verdict = "caught" if caught else "NOT CAUGHT"
                    if not caught:
                        failures.append(f"{m.name}: {', '.join(m.tests)} still pass")
                print(f"{m.name}: {verdict} ({status}, {seconds:.0f}s)", flush=True)
                if caught and args.verbose:
                    print(_indent(tail), flush=True)

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(check, mutations))  # (re-raises a worker's exception)
        if failures:
            print("\nMUTATION CHECK FAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
            return 1
    skipped = f" ({len(not_asked)} of opt-in suites not run)" if not_asked else ""
    print(f"\nall {len(mutations)} mutations behave as listed{skipped}")
    return 0
