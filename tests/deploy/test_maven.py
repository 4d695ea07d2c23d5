"""Maven's downloads are counted from its own output, and a failure reports Maven's errors."""

from __future__ import annotations

import functools
import os
import hashlib
import http.server
import tarfile
import threading
from pathlib import Path

import pytest

from deploy.local import maven
from deploy.local.java import find_java
from deploy.local.maven import MAVEN_VERSION, MavenError, maven_executable, run_maven


def script(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return path


def test_counts_what_maven_reports_downloaded_and_passes_the_truststore(tmp_path):
    seen_opts = tmp_path / "maven-opts"
    mvn = script(tmp_path / "mvn", f"""echo "$MAVEN_OPTS" > {seen_opts}
echo '[INFO] Downloading from central: https://repo.example/org/a/a-1.pom'
echo '[INFO] Downloaded from central: https://repo.example/org/a/a-1.pom (1.5 kB at 20 kB/s)'
echo '[INFO] Downloaded from central: https://repo.example/org/a/a-1.jar (2.5 MB at 9.1 MB/s)'
echo '[INFO] BUILD SUCCESS'
""")
    downloaded = run_maven(mvn, find_java(17), ["validate"], "a test artifact", truststore=tmp_path / "cas.jks")
    assert downloaded == 1_500 + 2_500_000
    assert f"-Djavax.net.ssl.trustStore={tmp_path / 'cas.jks'}" in seen_opts.read_text()


def test_a_failed_maven_run_raises_with_its_error_lines(tmp_path):
    mvn = script(tmp_path / "mvn", "echo '[INFO] Scanning'\necho '[ERROR] Could not resolve org.a:a:1'\nexit 1\n")
    with pytest.raises(MavenError, match=r"Maven failed \(1\).*\n\[ERROR\] Could not resolve org.a:a:1"):
        run_maven(mvn, find_java(17), ["validate"], "a test artifact")


def test_a_maven_that_hangs_is_killed_at_the_timeout(tmp_path, monkeypatch):
    monkeypatch.setattr(maven, "MAVEN_TIMEOUT", 1)
    mvn = script(tmp_path / "mvn", "echo '[INFO] Scanning'\nexec sleep 60\n")
    with pytest.raises(MavenError, match="did not finish within 1 s"):
        run_maven(mvn, find_java(17), ["validate"], "a test artifact")


def test_uses_the_mvn_on_path_or_a_cached_apache_maven_without_downloading(tmp_path, monkeypatch):
    on_path = tmp_path / "bin"
    on_path.mkdir()
    script(on_path / "mvn", "exit 0\n")
    monkeypatch.setenv("PATH", str(on_path))
    assert maven_executable(tmp_path / "cache") == (on_path / "mvn", 0)
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    cached = tmp_path / "cache" / f"apache-maven-{MAVEN_VERSION}" / "bin"
    cached.mkdir(parents=True)
    script(cached / "mvn", "exit 0\n")
    assert maven_executable(tmp_path / "cache") == (cached / "mvn", 0)


@pytest.fixture
def maven_repository(tmp_path, monkeypatch):
    """A Maven repository on 127.0.0.1 serving an Apache Maven tarball of our making; no mvn on PATH."""
    served = tmp_path / "repository"
    tarball = served / f"org/apache/maven/apache-maven/{MAVEN_VERSION}/apache-maven-{MAVEN_VERSION}-bin.tar.gz"
    tarball.parent.mkdir(parents=True)
    mvn = script(tmp_path / "mvn", "echo 'Apache Maven'\n")
    with tarfile.open(tarball, "w:gz") as tar:
        tar.add(mvn, arcname=f"apache-maven-{MAVEN_VERSION}/bin/mvn")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(maven, "MAVEN_CENTRAL", f"http://127.0.0.1:{server.server_address[1]}")
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    yield tarball
    server.shutdown()
    thread.join(timeout=10)


def test_a_download_whose_checksum_differs_from_the_pin_is_refused(maven_repository, tmp_path):
    cache = tmp_path / "cache"
    with pytest.raises(MavenError, match="SHA-512 .*, not the .* pinned in .*: refused"):
        maven_executable(cache)
    assert list(cache.iterdir()) == []


def test_a_download_matching_the_pin_is_unpacked_into_the_cache_and_reused(maven_repository, tmp_path, monkeypatch):
    monkeypatch.setattr(maven, "MAVEN_SHA512", hashlib.sha512(maven_repository.read_bytes()).hexdigest())
    cache = tmp_path / "cache"
    executable, downloaded = maven_executable(cache)
    assert executable == cache / f"apache-maven-{MAVEN_VERSION}" / "bin" / "mvn"
    assert downloaded == maven_repository.stat().st_size and os.access(executable, os.X_OK)
    assert [path.name for path in cache.iterdir()] == [f"apache-maven-{MAVEN_VERSION}"]
    assert maven_executable(cache) == (executable, 0)
