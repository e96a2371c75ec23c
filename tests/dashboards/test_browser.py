"""The app as a person meets it: `streamlit run` on loopback, Debian's Chromium driven by
Playwright, on the published snapshot of a real pipeline run."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(e2e_run, tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (make test installs Debian's chromium as root)")
    port = free_port()
    log = (tmp_path_factory.mktemp("streamlit") / "streamlit.log").open("w")
    env = {**os.environ, "LEDGERDESK_CONFIG": str(e2e_run["settings"].config_path)}
    proc = subprocess.Popen(
        [Path(sys.executable).with_name("streamlit"), "run", ROOT / "dashboards/streamlit_app.py",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/_stcore/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, "streamlit exited"
            assert time.monotonic() < deadline, "streamlit did not become healthy in 60s"
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        log.close()


def test_agent_looks_a_customer_up_in_a_real_browser(app_url, e2e_business, tmp_path):
    from playwright.sync_api import sync_playwright

    customer = next(c for c in e2e_business.customers if c.email and c.name)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"],
        )  # fmt: skip
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(app_url, wait_until="networkidle")
            page.get_by_text("Look a customer up").wait_for(timeout=30_000)
            box = page.get_by_role("textbox", name="Email or any gateway id")
            box.fill(f" {customer.email.upper()} ")
            box.press("Enter")
            page.get_by_text("Open disputes").wait_for(timeout=30_000)
            page.get_by_role("heading", name=customer.name.strip()).wait_for(timeout=30_000)
            page.screenshot(path=str(tmp_path / "customer_lookup.png"), full_page=True)
        finally:
            browser.close()
    assert (tmp_path / "customer_lookup.png").stat().st_size > 10_000
