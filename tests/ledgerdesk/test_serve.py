"""`make serve` (scripts/serve.py): serves what exists, rebuilds and replaces nothing, and
needs no API key."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import httpx

from pipelines.lib.publish import snapshot_path

ROOT = Path(__file__).resolve().parents[2]


def _config(folder: Path) -> Path:
    path = folder / "ledgerdesk.yaml"
    path.write_text(
        "warehouse: {path: data/warehouse.duckdb, published_dir: data/published}\n"
        "dagster_home: data/dagster\n"
        "accounts: [{gateway: stripe, name: main, api_key_env: UNSET_SERVE_TEST_KEY}]\n"
    )
    return path


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LEDGERDESK_WAREHOUSE", "DAGSTER_HOME")}
    return {**env, "PYTHONPATH": str(ROOT)}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_without_a_snapshot_it_says_what_to_run(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "scripts.serve", "--config", str(_config(tmp_path)), "--no-dagster"],
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "no published snapshot" in proc.stderr and "make pipeline" in proc.stderr


def test_serves_the_existing_snapshot_without_touching_it_or_any_key(tmp_path):
    config = _config(tmp_path)
    data = tmp_path / "data"
    snapshot = snapshot_path(data / "published")
    snapshot.parent.mkdir(parents=True)
    con = duckdb.connect(str(snapshot))
    con.execute("create schema marts; create table marts.sentinel as select 42 as answer")
    con.close()
    warehouse = data / "warehouse.duckdb"
    warehouse.write_bytes(b"not rebuilt")
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in (snapshot, warehouse)}
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "scripts.serve", "--config", str(config), "--no-dagster",
         "--port", str(port)],
        cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, proc.stdout.read()
            try:
                if httpx.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=1).is_success:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "streamlit did not answer within 90s"
            time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:  # the test failed early: let serve stop its children first
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    assert proc.returncode == 0, output
    assert "not rebuilt" in output
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in before} == before
    assert sorted(p.name for p in (data / "published").iterdir()) == [snapshot.name]
