"""`newswatch run --demo`, the README's first command: demo feeds in, alerts out through the log and a webhook."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.integration.pipeline import REPO

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

DEMO_ALERTS = 6  # Pakistan, Quetta radius, Somalia, Lake Chad (Maiduguri, and Bosso in French), Kabul: one new-incident alert each


def test_demo_prints_alerts_delivered_to_the_webhook(services):
    result = subprocess.run(
        [sys.executable, "-m", "streams.cli", "run", "--demo", "--exit-after-alerts", str(DEMO_ALERTS), "--timeout", "300"],
        cwd=REPO, capture_output=True, text=True, timeout=420,
    )
    output = result.stdout
    assert result.returncode == 0, output + result.stderr
    alerts = [line for line in output.splitlines() if line.startswith("ALERT ")]
    received = [line for line in output.splitlines() if line.startswith("WEBHOOK received")]
    assert len(alerts) >= DEMO_ALERTS and len(received) >= DEMO_ALERTS
    assert all("signature verified" in line for line in received)
    assert any("[Pakistan, every attack]" in line and "Quetta" in line and "at least 17 killed" in line for line in alerts)
    assert any("[Lake Chad basin]" in line and "Bosso" in line for line in alerts), "the French demo article is read"
    assert "bad signature" not in output
