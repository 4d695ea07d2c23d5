"""Maven, which fetches the servers from Maven Central: the system's `mvn`, or Apache Maven itself fetched once.

Without `mvn` on PATH, the Apache Maven binary distribution is downloaded from Maven Central, checked
against the SHA-512 pinned here (the Maven Wrapper's `distributionSha512Sum` convention: a pin in our
repository, not a checksum served beside the file, is what catches a tampered download) and kept under
the cache directory. Downloads show a progress line, because the first run fetches about 200 MB.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import threading
import urllib.request
from collections import deque
from pathlib import Path

from tqdm import tqdm

from deploy.local.java import Java
from deploy.local.truststore import PASSWORD as TRUSTSTORE_PASSWORD

MAVEN_CENTRAL = "https://repo.maven.apache.org/maven2"
MAVEN_VERSION = "3.9.16"
MAVEN_SHA512 = (
    "831a8591fe20c8243b1dbe7d71e3244f31d1665b0804b2e825e38cbbe5ce0cafb8338851f90780735568773e0a6cd07bbec107cda0b896b008b861075358b6f6"
)
MAVEN_TIMEOUT = 900
TRANSFER = re.compile(r"Download(ing|ed) from \S+: \S+/(\S+?)(?: \(([\d.]+) (B|kB|MB|GB) at|$)")
UNITS = {"B": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}


class MavenError(RuntimeError):
    """Maven could not be fetched, or a Maven command failed; the message carries its last lines."""


def maven_executable(cache: Path) -> tuple[Path, int]:
    """The `mvn` to run and the bytes downloaded to get it (0 when it was on PATH or already cached)."""
    on_path = shutil.which("mvn")
    if on_path:
        return Path(on_path), 0
    install = cache / f"apache-maven-{MAVEN_VERSION}"
    executable = install / "bin" / "mvn"
    if executable.exists():
        return executable, 0
    url = f"{MAVEN_CENTRAL}/org/apache/maven/apache-maven/{MAVEN_VERSION}/apache-maven-{MAVEN_VERSION}-bin.tar.gz"
    cache.mkdir(parents=True, exist_ok=True)
    archive = cache / f"apache-maven-{MAVEN_VERSION}-bin.tar.gz.partial"
    size = _download(url, archive, f"Apache Maven {MAVEN_VERSION} (no mvn on PATH)")
    digest = _sha512(archive)
    if digest != MAVEN_SHA512:
        archive.unlink()
        raise MavenError(
            f"{url} has SHA-512 {digest}, not the {MAVEN_SHA512} pinned in {__file__}: refused. "
            "A broken download: run again; if it repeats, a proxy or mirror is altering it"
        )
    staging = cache / "apache-maven.partial"
    shutil.rmtree(staging, ignore_errors=True)
    with tarfile.open(archive) as tar:
        tar.extractall(staging, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    (staging / install.name).rename(install)
    shutil.rmtree(staging)
    archive.unlink()
    return executable, size


def run_maven(mvn: Path, java: Java, args: list[str], label: str, truststore: Path | None = None) -> int:
    """Run Maven on the given Java (trusting `truststore`'s CAs when given) with a progress line of what it
    downloads; return the bytes downloaded."""
    env = dict(os.environ, JAVA_HOME=str(java.home))
    if truststore:
        trust = (f"-Djavax.net.ssl.trustStore={truststore} -Djavax.net.ssl.trustStoreType=JKS "
                 f"-Djavax.net.ssl.trustStorePassword={TRUSTSTORE_PASSWORD}")
        env["MAVEN_OPTS"] = f"{env.get('MAVEN_OPTS', '')} {trust}".strip()
    command = [str(mvn), "-B", *args]
    tail: deque[str] = deque(maxlen=25)
    downloaded = 0
    timed_out = threading.Event()
    with _progress(label, total=None) as bar, subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True, env=env,
    ) as process:
        watchdog = threading.Timer(MAVEN_TIMEOUT, lambda: (timed_out.set(), process.kill()))
        watchdog.start()
        try:
            for line in process.stdout:
                tail.append(line.rstrip())
                match = TRANSFER.search(line.rstrip())
                if match and match.group(1) == "ing":
                    bar.set_postfix_str(match.group(2), refresh=False)
                elif match and match.group(3):
                    size = int(float(match.group(3)) * UNITS[match.group(4)])
                    downloaded += size
                    bar.update(size)
            returncode = process.wait()
        finally:
            watchdog.cancel()
    if timed_out.is_set():
        raise MavenError(f"Maven did not finish within {MAVEN_TIMEOUT} s: {' '.join(command)}")
    if returncode != 0:
        errors = [line for line in tail if "[ERROR]" in line] or list(tail)
        raise MavenError(f"Maven failed ({returncode}): {' '.join(command)}\n" + "\n".join(errors))
    return downloaded


def _download(url: str, target: Path, label: str) -> int:
    with urllib.request.urlopen(url, timeout=60) as response, open(target, "wb") as out:
        total = int(response.headers.get("Content-Length") or 0) or None
        with _progress(label, total) as bar:
            while chunk := response.read(1 << 16):
                out.write(chunk)
                bar.update(len(chunk))
            return bar.n


def _progress(label: str, total: int | None) -> tqdm:
    """One line on stderr that updates in place on a terminal, and every 10 s in a log."""
    return tqdm(total=total, desc=f"fetching {label}", unit="B", unit_scale=True, file=sys.stderr,
                mininterval=0.5 if sys.stderr.isatty() else 10.0, leave=True)


def _sha512(path: Path) -> str:
    digest = hashlib.sha512()
    with open(path, "rb") as data:
        while chunk := data.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
