"""The Dockerfile is sound, and its commands are the README's, so they cannot drift.

No container engine runs in CI, so the image is checked statically, hadolint-style: a slim
Python 3.11 base, an unprivileged user, a health check on ``/_stcore/health`` without curl,
the server's config copied in, no secrets, and a ``.dockerignore`` that keeps tests and
secrets out but lets in everything the app imports. The README's "Deployment" section must
quote the Dockerfile's install and run commands verbatim, and those must be the README's
own first command; every Streamlit option and environment variable it names must exist.
"""

from __future__ import annotations

import ast
import fnmatch
import json
import re
import shlex
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = (REPO / "Dockerfile").read_text()
README = (REPO / "README.md").read_text()
DOCKERIGNORE = (REPO / ".dockerignore").read_text()


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined, comments dropped."""
    logical, current = [], ""
    for line in text.splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1].rstrip() + " "
            continue
        current += stripped
        logical.append(current)
        current = ""
    out = []
    for line in logical:
        word, _, rest = line.partition(" ")
        out.append((word.upper(), rest.strip()))
    return out


def command_words(arguments: str) -> list[str]:
    """The words of a RUN/CMD in exec form (JSON) or shell form."""
    if arguments.startswith("["):
        return json.loads(arguments)
    return shlex.split(arguments)


INSTRUCTIONS = instructions(DOCKERFILE)


def only(name: str) -> str:
    found = [arguments for word, arguments in INSTRUCTIONS if word == name]
    assert len(found) == 1, f"expected one {name}, found {found}"
    return found[0]


def section(markdown: str, title: str) -> str:
    """The text of the level-2 section ``title`` (up to the next level-2 heading)."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", markdown, re.M | re.S)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


def code_lines(markdown: str) -> list[str]:
    """Every line inside fenced code blocks."""
    lines = []
    for block in re.findall(r"^```[^\n]*\n(.*?)^```", markdown, re.M | re.S):
        lines += [line.strip() for line in block.splitlines() if line.strip()]
    return lines


# ----------------------------------------------------------------------------------------
# The parser itself


def test_the_dockerfile_parser_joins_continuations_and_skips_comments():
    parsed = instructions("# c\nFROM a\nRUN x \\\n    && y\n\nCMD [\"s\", \"t\"]\n")
    assert parsed == [("FROM", "a"), ("RUN", "x && y"), ("CMD", '["s", "t"]')]
    assert command_words('["s", "t u"]') == ["s", "t u"] and command_words("a 'b c'") == [
        "a", "b c"]


# ----------------------------------------------------------------------------------------
# The Dockerfile, hadolint-style


def test_base_image_is_python_3_11_slim():
    assert INSTRUCTIONS[0][0] == "FROM"
    assert only("FROM") == "python:3.11-slim"


def test_the_app_runs_as_an_unprivileged_user_created_in_the_image():
    users = [(index, arguments) for index, (word, arguments) in enumerate(INSTRUCTIONS)
             if word == "USER"]
    assert users, "no USER: the app would run as root"
    index, user = users[-1]
    assert user.split(":")[0] not in {"root", "0"}
    assert re.search(rf"useradd\b[^&]*\b{re.escape(user)}\b", DOCKERFILE), "user not created"
    later = [word for word, _ in INSTRUCTIONS[index:]]
    assert "RUN" not in later, "a RUN after USER: installation should happen as root"
    assert later.index("CMD") > 0


def test_health_check_asks_the_health_endpoint_with_python_not_curl():
    check = only("HEALTHCHECK")
    options, _, command = check.partition("CMD ")
    words = command_words(command.strip())
    assert words[0] == "python" and "urllib.request" in words[-1]
    assert "/_stcore/health" in words[-1]
    commands = " ".join(arguments for _, arguments in INSTRUCTIONS)
    assert not re.search(r"\b(curl|wget)\b", commands), "slim images have neither"
    assert "--interval=" in options and "--timeout=" in options
    port = re.search(r"127\.0\.0\.1:(\d+)/_stcore/health", words[-1]).group(1)
    assert port == only("EXPOSE") == "8501"


def test_the_server_listens_on_every_interface_on_the_exposed_port():
    words = command_words(only("CMD"))
    assert words[:3] == ["streamlit", "run", "app.py"]
    assert "--server.address=0.0.0.0" in words
    assert f"--server.port={only('EXPOSE')}" in words


def test_requirements_are_installed_from_the_file_before_the_code_is_copied():
    copies = [arguments for word, arguments in INSTRUCTIONS if word == "COPY"]
    assert copies[0].split()[0] == "requirements.txt"
    runs = [arguments for word, arguments in INSTRUCTIONS if word == "RUN"]
    assert "python -m pip install -r requirements.txt" in runs


def test_the_image_holds_the_app_and_the_server_config():
    copied = {arguments.split()[0] for word, arguments in INSTRUCTIONS if word == "COPY"}
    assert {"app.py", ".streamlit/config.toml", "requirements.txt"} <= copied
    assert any(source.rstrip("/") == "explorer" for source in copied)
    for source in copied:
        assert (REPO / source).exists(), source


def test_the_copied_code_imports_nothing_left_out_of_the_image():
    """app.py and explorer/ may import the standard library, requirements and explorer."""
    for path in [REPO / "app.py", *sorted((REPO / "explorer").rglob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in {"tests", "bench", "torch", "pytest"}, (
                    f"{path.relative_to(REPO)} imports {name}, which is not in the image"
                )


SECRET_WORDS = re.compile(r"secret|passw|token|api[_-]?key|private", re.I)


def test_no_secret_is_baked_into_the_image():
    for word, arguments in INSTRUCTIONS:
        if word in ("ENV", "ARG", "LABEL"):
            assert not SECRET_WORDS.search(arguments), f"{word} {arguments}"
        if word in ("COPY", "ADD"):
            assert not re.search(r"secrets\.toml|\.env\b|\.pem|\.key\b|id_rsa", arguments)
        if word in ("RUN", "CMD", "ENTRYPOINT"):
            assert "cookieSecret" not in arguments and "COOKIE_SECRET" not in arguments
    assert only("CMD").count("--server.enableXsrfProtection") == 0
    assert "showErrorDetails" not in DOCKERFILE and "maxUploadSize" not in DOCKERFILE
    assert not any(word == "ADD" for word, _ in INSTRUCTIONS), "ADD fetches; use COPY"


def _ignored(path: str) -> bool:
    patterns = [line.strip() for line in DOCKERIGNORE.splitlines()
                if line.strip() and not line.startswith("#")]
    ignored = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").rstrip("/")
        parts = path.split("/")
        hit = any(fnmatch.fnmatch("/".join(parts[:i]), pattern) or
                  fnmatch.fnmatch("/".join(parts[:i]), pattern.removeprefix("**/"))
                  or fnmatch.fnmatch(parts[i - 1], pattern.removeprefix("**/"))
                  for i in range(1, len(parts) + 1))
        if hit:
            ignored = not negate
    return ignored


@pytest.mark.parametrize("path", [".streamlit/secrets.toml", ".env", ".git/config",
                                  "tests/unit/test_settings.py", "screenshots/a.png",
                                  "explorer/__pycache__/x.pyc", "bench/run.py"])
def test_dockerignore_keeps_secrets_tests_and_clutter_out(path):
    assert _ignored(path)


@pytest.mark.parametrize("path", ["app.py", "requirements.txt", ".streamlit/config.toml",
                                  "explorer/settings/specs.py", "explorer/pages/controls.py"])
def test_dockerignore_lets_the_app_in(path):
    assert not _ignored(path)


# ----------------------------------------------------------------------------------------
# The README quotes the Dockerfile


def test_the_readme_deployment_section_quotes_the_dockerfile_commands():
    deployment = code_lines(section(README, "Deployment"))
    install = next(arguments for word, arguments in INSTRUCTIONS
                   if word == "RUN" and "pip install" in arguments)
    run = shlex.join(command_words(only("CMD")))
    assert install in deployment, f"README does not show the image's install: {install}"
    assert run in deployment, f"README does not show the image's command: {run}"


def test_the_images_commands_are_the_readmes_first_command():
    first = code_lines(README.split("\n## ", 1)[0])[0]
    install, run = first.split(" && ")
    assert ("RUN", install) in INSTRUCTIONS
    assert shlex.join(command_words(only("CMD"))).startswith(run + " ")


def test_the_readme_names_real_streamlit_options_and_variables():
    from streamlit import config

    deployment = section(README, "Deployment")
    options = set(re.findall(r"`((?:server|client|browser|runner)\.[A-Za-z]+)", deployment))
    assert {"server.cookieSecret", "server.allowedHosts",
            "server.enableXsrfProtection", "server.maxUploadSize"} <= options
    known = config.get_config_options()  # the options this Streamlit defines
    for option in options:
        assert option in known, f"README names {option}, which this Streamlit lacks"
    variables = set(re.findall(r"\bSTREAMLIT_[A-Z_]+", deployment))
    env_names = {opt.env_var for opt in known.values()}
    assert {"STREAMLIT_SERVER_COOKIE_SECRET", "STREAMLIT_SERVER_ALLOWED_HOSTS"} <= variables
    assert variables <= env_names, variables - env_names


def test_the_readme_explains_running_several_replicas():
    deployment = section(README, "Deployment").lower()
    for words in ("sticky", "websocket", "same", "load balancer", "/_stcore/health",
                  "docker run", "docker build"):
        assert words in deployment, words
    tag = re.search(r"docker build -t (\S+) \.", deployment).group(1)
    assert re.search(rf"docker run .*\b{re.escape(tag)}\b", deployment)
