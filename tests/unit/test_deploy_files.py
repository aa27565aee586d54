"""deploy/ is sound and agrees with the app: HAProxy config, Docker Compose, Kubernetes.

No container engine or cluster runs in CI, so every file is parsed and checked against the
app's own facts: the Dockerfile's port, health check, user and command; the server's
config (upload limit); the README's image tag and secret command. The HAProxy config is
also checked by HAProxy itself (``haproxy -c``), and run for real by
``tests/unit/test_scale.py`` and ``python -m bench --only scale``.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import tomllib
from pathlib import Path

import pytest

from bench import balancer
from tests.unit.test_deployment_docs import DOCKERFILE, README, command_words, instructions, section

try:
    import yaml
except ImportError:
    if os.environ.get("CI"):
        raise  # requirements-dev.txt installs PyYAML: CI must check these files
    pytest.skip("PyYAML is not installed (requirements-dev.txt)", allow_module_level=True)

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
HAPROXY_CFG = (DEPLOY / "haproxy.cfg").read_text()
COMPOSE = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
K8S = {path.name: list(yaml.safe_load_all(path.read_text()))
       for path in sorted((DEPLOY / "k8s").glob("*.yaml"))}
SERVER_CONFIG = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
INSTRUCTIONS = instructions(DOCKERFILE)
needs_haproxy = pytest.mark.skipif(balancer.haproxy_path() is None and not os.environ.get("CI"),
                                   reason="haproxy is not installed")


def dockerfile(word: str) -> str:
    (found,) = [arguments for name, arguments in INSTRUCTIONS if name == word]
    return found


EXPOSED = int(dockerfile("EXPOSE"))
HEALTHCHECK = command_words(dockerfile("HEALTHCHECK").partition("CMD ")[2].strip())
HEALTH_PATH = re.search(r"127\.0\.0\.1:\d+(/\S+?)'", HEALTHCHECK[-1]).group(1)
IMAGE_TAG = re.search(r"docker build -t (\S+) \.", README).group(1)
UID = int(re.search(r"useradd\b.*--uid (\d+)", DOCKERFILE).group(1))


def kind(name: str) -> dict:
    (found,) = [doc for docs in K8S.values() for doc in docs if doc and doc["kind"] == name]
    return found


def replica_services() -> dict[str, dict]:
    return {name: service for name, service in COMPOSE["services"].items()
            if service.get("image") == IMAGE_TAG}


# ---- HAProxy ------------------------------------------------------------------------------
@needs_haproxy
def test_haproxy_accepts_the_deployed_config(tmp_path):
    path = tmp_path / "haproxy.cfg"
    path.write_text(HAPROXY_CFG)
    check = subprocess.run([balancer.haproxy_path(), "-c", "-f", str(path)],
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr
    # Compose's replica names do not resolve here: HAProxy must start anyway (init-addr).
    assert "could not resolve" in check.stderr


@needs_haproxy
def test_the_local_haproxy_is_the_version_compose_runs():
    version = subprocess.run([balancer.haproxy_path(), "-v"], capture_output=True, text=True,
                             check=True).stdout
    major_minor = re.search(r"version (\d+\.\d+)", version).group(1)
    assert COMPOSE["services"]["balancer"]["image"] == f"haproxy:{major_minor}"


def test_affinity_is_by_an_inserted_cookie_not_by_client_address():
    directives = [" ".join(words) for words in balancer.directives(HAPROXY_CFG, "backend")]
    cookie = next(line for line in directives if line.startswith("cookie "))
    assert {"insert", "indirect", "nocache", "httponly"} <= set(cookie.split())
    assert "domain" not in cookie  # one host; also keeps websocket-client's global jar out
    assert not any(re.match(r"balance (source|hdr\(|uri)", line) for line in directives)
    assert not any("stick" in line and "src" in line for line in directives)
    servers = balancer.servers(HAPROXY_CFG)
    assert [server["cookie"] for server in servers] == [server["name"] for server in servers]


def test_health_checks_ask_the_apps_health_endpoint():
    path, expected = balancer.health_check(HAPROXY_CFG)
    assert path == HEALTH_PATH == "/_stcore/health"
    assert expected == "ok"  # what Streamlit's health endpoint answers when ready
    default_server = next(words for words in balancer.directives(HAPROXY_CFG, "backend")
                          if words[0] == "default-server")
    assert "check" in default_server
    assert int(default_server[default_server.index("rise") + 1]) >= 2
    assert "option httpchk" in HAPROXY_CFG


def test_servers_are_the_compose_replicas_on_the_exposed_port():
    servers = balancer.servers(HAPROXY_CFG)
    assert [server["address"] for server in servers] == [
        f"{name}:{EXPOSED}" for name in replica_services()]


def seconds(duration: str) -> float:
    """An HAProxy duration (``1h``, ``60s``, ``5m``, ``500ms``; bare numbers are ms)."""
    number, unit = re.fullmatch(r"(\d+)([a-z]*)", duration).groups()
    return int(number) * {"": 1e-3, "ms": 1e-3, "s": 1, "m": 60, "h": 3600, "d": 86400}[unit]


def test_websockets_stay_open_and_a_dead_replica_is_skipped():
    directives = balancer.directives(HAPROXY_CFG, "defaults")
    tunnel = next(words[2] for words in directives if words[:2] == ["timeout", "tunnel"])
    assert seconds(tunnel) >= 3600  # a lecture
    assert seconds("500ms") == 0.5 and seconds("2m") == 120
    assert any(words[:2] == ["option", "redispatch"] for words in directives)
    assert int(next(words[1] for words in directives if words[0] == "retries")) >= 1


def test_the_balancer_listens_where_compose_publishes():
    bind = next(words for words in balancer.directives(HAPROXY_CFG, "frontend")
                if words[0] == "bind")
    port = bind[1].rsplit(":", 1)[1]
    published = COMPOSE["services"]["balancer"]["ports"]
    assert [mapping.split(":")[-1] for mapping in published] == [port]


# ---- Docker Compose -------------------------------------------------------------------------
def test_compose_runs_the_image_replicas_and_haproxy():
    replicas = replica_services()
    assert len(replicas) >= 2
    assert set(COMPOSE["services"]) == {*replicas, "balancer"}
    for service in replicas.values():
        # The image's own CMD (the README's command), not another one.
        assert "command" not in service and "entrypoint" not in service
        assert service["expose"] == [str(EXPOSED)]
        assert "ports" not in service  # only the balancer is reachable


def test_compose_health_check_is_the_dockerfiles():
    for service in replica_services().values():
        test = service["healthcheck"]["test"]
        assert test[0] == "CMD" and test[1:] == HEALTHCHECK


def test_every_replica_gets_the_same_required_cookie_secret():
    from streamlit import config

    variable = config.get_config_options()["server.cookieSecret"].env_var
    values = {service["environment"][variable] for service in replica_services().values()}
    (value,) = values
    # Taken from the environment, required (compose refuses to start without it).
    assert re.fullmatch(rf"\$\{{{variable}:\?[^}}]+\}}", value), value
    hosts = config.get_config_options()["server.allowedHosts"].env_var
    assert all(hosts in service["environment"] for service in replica_services().values())


def test_the_balancer_mounts_this_config_and_waits_for_healthy_replicas():
    balancer_service = COMPOSE["services"]["balancer"]
    source, target, *mode = balancer_service["volumes"][0].split(":")
    assert (DEPLOY / source).resolve() == DEPLOY / "haproxy.cfg"
    assert target == "/usr/local/etc/haproxy/haproxy.cfg" and mode == ["ro"]
    assert balancer_service["depends_on"] == {
        name: {"condition": "service_healthy"} for name in replica_services()}


def test_compose_header_commands_build_the_readmes_tag():
    header = (DEPLOY / "compose.yaml").read_text()
    assert f"docker build -t {IMAGE_TAG} ." in header
    assert "docker compose -f deploy/compose.yaml up" in header


# ---- Kubernetes -------------------------------------------------------------------------------
def test_every_manifest_parses_and_names_itself():
    assert {"deployment.yaml", "service.yaml", "ingress.yaml"} <= set(K8S)
    for docs in K8S.values():
        for doc in docs:
            assert {"apiVersion", "kind", "metadata"} <= set(doc), doc
            assert doc["metadata"]["name"] == "softmax-explorer"


def _container() -> dict:
    (container,) = kind("Deployment")["spec"]["template"]["spec"]["containers"]
    return container


def test_the_deployment_runs_the_image_as_its_user_on_its_port():
    deployment = kind("Deployment")
    pod = deployment["spec"]["template"]
    assert deployment["spec"]["selector"]["matchLabels"] == pod["metadata"]["labels"]
    assert pod["spec"]["securityContext"] == {"runAsNonRoot": True, "runAsUser": UID}
    container = _container()
    assert container["image"].rsplit("/", 1)[-1].split(":")[0] == IMAGE_TAG
    assert container["ports"] == [{"name": "http", "containerPort": EXPOSED}]
    assert "command" not in container and "args" not in container
    assert deployment["spec"]["replicas"] >= 2


@pytest.mark.parametrize("probe", ["startupProbe", "readinessProbe", "livenessProbe"])
def test_probes_ask_the_health_endpoint(probe):
    check = _container()[probe]["httpGet"]
    assert check == {"path": HEALTH_PATH, "port": "http"}


def test_the_cookie_secret_comes_from_the_secret_the_readme_creates():
    env = {item["name"]: item for item in _container()["env"]}
    reference = env["STREAMLIT_SERVER_COOKIE_SECRET"]["valueFrom"]["secretKeyRef"]
    command = (f"kubectl create secret generic {reference['name']} "
               f"--from-literal={reference['key']}=")
    assert command in " ".join(README.split())
    assert "value" not in env["STREAMLIT_SERVER_COOKIE_SECRET"]


def test_service_and_ingress_reach_the_pods_by_cookie():
    service, ingress = kind("Service"), kind("Ingress")
    assert service["spec"]["selector"] == kind("Deployment")["spec"]["selector"]["matchLabels"]
    (port,) = service["spec"]["ports"]
    assert port["targetPort"] == _container()["ports"][0]["name"]
    (rule,) = ingress["spec"]["rules"]
    (path,) = rule["http"]["paths"]
    backend = path["backend"]["service"]
    assert backend == {"name": service["metadata"]["name"], "port": {"name": port["name"]}}
    annotations = ingress["metadata"]["annotations"]
    prefix = "nginx.ingress.kubernetes.io/"
    assert annotations[prefix + "affinity"] == "cookie"
    assert annotations[prefix + "session-cookie-name"] == balancer.affinity_cookie(HAPROXY_CFG)
    assert int(annotations[prefix + "proxy-read-timeout"]) >= 3600
    body = annotations[prefix + "proxy-body-size"]
    assert int(body.rstrip("m")) > SERVER_CONFIG["server"]["maxUploadSize"]
    env = {item["name"]: item.get("value") for item in _container()["env"]}
    assert env["STREAMLIT_SERVER_ALLOWED_HOSTS"] == rule["host"]
    assert ingress["spec"]["tls"][0]["hosts"] == [rule["host"]]


# ---- README -------------------------------------------------------------------------------------
def test_the_readme_runs_these_files():
    deployment = section(README, "Deployment")
    commands = " ".join(deployment.split())
    for command in ("docker compose -f deploy/compose.yaml up", "kubectl apply -f deploy/k8s/",
                    "python -m bench --only scale", "apt-get install -y haproxy"):
        assert command in commands, command
    assert balancer.affinity_cookie(HAPROXY_CFG) in deployment


def test_the_compose_healthcheck_is_valid_json_like_the_dockerfiles():
    # The Dockerfile's HEALTHCHECK is exec form; compose's quotes must survive YAML.
    text = (DEPLOY / "compose.yaml").read_text()
    line = next(line for line in text.splitlines() if "test:" in line)
    assert json.loads(line.split("test:", 1)[1]) == ["CMD", *HEALTHCHECK]
    assert shlex.join(HEALTHCHECK).startswith("python -c ")
