"""The worker of `make bench-extract` (bench/extract.py): one measurement in a process of its
own, so each reader starts cold and its peak memory is its own; the sandboxes serve from the
harness's process.

    python bench/extract_worker.py '<job as JSON>'   (prints one JSON line)
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def bare_module(gateway: str) -> ModuleType | str:
    """bench/<gateway>_bare.py, or why it cannot be measured."""
    path = ROOT / "bench" / f"{gateway}_bare.py"
    if not path.is_file():
        return f"no bench/{path.name}"
    spec = importlib.util.spec_from_file_location(f"bench_{gateway}_bare", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    missing = [f for f in ("sandbox", "bare_read") if not callable(getattr(module, f, None))]
    return f"bench/{path.name} lacks {', '.join(missing)}" if missing else module


def account_for(gateway: str, url: str, credentials: dict, rate_limits=None):
    from ledgerdesk.config import GatewayAccount

    names = {name: f"BENCH_{name.upper()}" for name in credentials}
    return GatewayAccount(
        gateway,
        "bench",
        credentials=names,
        secrets=credentials,
        api_base=url,
        rate_limits=rate_limits,
    )


def worker(job: dict) -> dict:
    from gateways.registry import gateway_modules

    modules = gateway_modules()
    started = time.perf_counter()
    if job["kind"] == "sdk":
        module = modules[job["gateway"]]
        reader = module.reader(account_for(job["gateway"], job["url"], job["credentials"]))
        objects = 0
        try:
            for entity in module.entities:
                for page in reader.read(entity):
                    objects += len(page.objects)
        finally:
            reader.close()
    elif job["kind"] == "fetch":  # every entity's listing side by side, nothing landed
        from concurrent.futures import ThreadPoolExecutor

        (gateway, served), *_ = job["gateways"].items()
        module = modules[gateway]
        account = account_for(gateway, served["url"], served["credentials"], served.get("limits"))

        def listing(entity: str) -> int:
            reader = module.reader(account)
            try:
                return sum(len(page.objects) for page in reader.read(entity))
            finally:
                reader.close()

        with ThreadPoolExecutor(len(module.entities)) as pool:
            objects = sum(pool.map(listing, module.entities))
    elif job["kind"] == "bare":
        objects = bare_module(job["gateway"]).bare_read(job["url"], job["credentials"])
    else:  # "land": full extractions through the parallel runner, one or several gateways
        from pipelines.extract.parallel import Task, extract_all

        tasks = [
            Task(modules[g], account_for(g, s["url"], s["credentials"], s.get("limits")), e)
            for g, s in job["gateways"].items()
            for e in modules[g].entities
        ]
        outcomes = extract_all(tasks, Path(job["db"]), full_refresh=True, log=lambda _m: None)
        failed = [o.error for o in outcomes if o.error]
        if failed:
            raise RuntimeError("; ".join(failed))
        objects = sum(o.result.objects_seen for o in outcomes)
    seconds = time.perf_counter() - started
    return {"objects": objects, "seconds": seconds, "peak_rss_mb": peak_rss_mb()}


def peak_rss_mb() -> float:
    """This process's own peak RSS (VmHWM; ru_maxrss would keep the parent's across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_worker(job: dict) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, json.dumps(job)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if done.returncode != 0:
        raise RuntimeError(f"worker {job['kind']} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    print(json.dumps(worker(json.loads(sys.argv[1]))))
