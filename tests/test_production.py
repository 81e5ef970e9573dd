"""The production shape, run for real: the README's commands, gunicorn, the mode, the deploy check.

These tests start processes (manage.py, gunicorn) with a production environment of their own: a
throwaway SQLite database and static folder, no cache server, nothing shared with the suite.
"""

from __future__ import annotations

import http.client
import os
import re
import runpy
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

from tests.servers import free_port

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SEED_URL = "/more/health/recovery/sudden-muscle-twitches-during-sleep/"

PRODUCTION_SECRETS = {
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "example.com",
    "EMAIL_URL": "smtp://localhost",
}


def environment_without_settings() -> dict[str, str]:
    """This process's environment less everything that picks the settings, the mode or a server."""
    chosen = {
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DJANGO_SETTINGS_MODULE",
        "DATABASE_URL",
        "REDIS_URL",
        "EMAIL_URL",
        "ENV_FILE",
        "STATIC_ROOT",
        "COLLOQUY_MANAGE_PY",
        "DJANGO_ALLOW_ASYNC_UNSAFE",  # the browser tests' (tests/browser/conftest.py)
    }
    return {
        k: v
        for k, v in os.environ.items()
        if k not in chosen and not k.startswith(("SECURE_", "GUNICORN_", "FORWARDED_"))
    }


def manage(*args: str, env: dict[str, str], cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def settings_seen_by_manage_py(env: dict[str, str], *names: str) -> list[str]:
    code = "from django.conf import settings; " + "; ".join(
        f"print(settings.{name})" for name in names
    )
    result = manage("shell", "-v0", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


# --- Development or production ----------------------------------------------------------------


@pytest.mark.parametrize(
    "secrets, debug",
    [({}, "True"), (PRODUCTION_SECRETS, "False")],
    ids=["a checkout without secrets: development", "a server with SECRET_KEY: production"],
)
def test_manage_py_picks_its_mode_from_the_secrets_it_is_given(secrets, debug):
    assert settings_seen_by_manage_py(environment_without_settings() | secrets, "DEBUG") == [debug]


def test_a_server_with_its_secrets_in_a_dotenv_file_runs_commands_in_production(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("".join(f"{name}={value}\n" for name, value in PRODUCTION_SECRETS.items()))
    env = environment_without_settings() | {"ENV_FILE": str(env_file)}
    seen = settings_seen_by_manage_py(
        env, "DEBUG", "EDITORS_REQUIRE_MFA", "ACCOUNT_DEFAULT_HTTP_PROTOCOL", "SECRET_KEY"
    )
    assert seen == ["False", "True", "https", PRODUCTION_SECRETS["SECRET_KEY"]]


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = environment_without_settings() | PRODUCTION_SECRETS
    del env[missing]
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; settings.SECRET_KEY",
        ],
        cwd=ROOT,
        env=env | {"DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert missing in result.stderr


# --- The deploy check ---------------------------------------------------------------------------

# The README's production environment, as its configuration table documents it.
DOCUMENTED_PRODUCTION = PRODUCTION_SECRETS | {
    "SECRET_KEY": "k3y-" + "Zq8#vT2!pL9@wX4$mN7%rB1^cF6&hJ3*" * 2,
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
}


def test_the_deploy_check_is_silent_under_the_documented_production_environment(tmp_path):
    env = environment_without_settings() | DOCUMENTED_PRODUCTION
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    result = manage("check", "--deploy", "--fail-level", "DEBUG", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_hsts_covers_subdomains_and_preload_only_when_asked(tmp_path):
    env = environment_without_settings() | PRODUCTION_SECRETS
    names = ("SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD")
    assert settings_seen_by_manage_py(env, *names) == ["False", "False"]
    asked = env | {"SECURE_HSTS_INCLUDE_SUBDOMAINS": "1", "SECURE_HSTS_PRELOAD": "1"}
    assert settings_seen_by_manage_py(asked, *names) == ["True", "True"]


# --- Gunicorn -----------------------------------------------------------------------------------


def test_gunicorn_listens_on_loopback_and_believes_forwarding_headers_only_from_there():
    settings = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))
    assert settings["bind"] == "127.0.0.1:8000" or "GUNICORN_BIND" in os.environ
    assert settings["forwarded_allow_ips"] == "127.0.0.1,::1" or "FORWARDED_ALLOW_IPS" in os.environ


def fetch(port: int, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def production_section() -> list[str]:
    """The commands of the README's "Production" section, one per line, as written."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Production\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, flags=re.S)
    assert block, "The README's production section has no ```sh block."
    return [line for line in block.group(1).splitlines() if line.strip()]


@pytest.fixture
def production_env(tmp_path) -> dict[str, str]:
    """A production environment with its own database and static folder; the venv's programs."""
    return environment_without_settings() | {
        "SECRET_KEY": "production-test-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_URL": "consolemail://",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "GUNICORN_BIND": f"127.0.0.1:{free_port()}",
        "SECURE_HSTS_SECONDS": "31536000",
        "LOG_LEVEL": "WARNING",
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }


@contextmanager
def serving(command: str, env: dict[str, str], log: Path) -> Iterator[int]:
    """Run `command` (the server) in a shell; yield its port once /healthz/ answers."""
    port = int(env["GUNICORN_BIND"].rsplit(":", 1)[1])
    with log.open("w") as out:
        server = subprocess.Popen(  # noqa: S602  (the README's line, run as a reader would)
            command,
            shell=True,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the shell and gunicorn stop together
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, f"The server stopped:\n{log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"No answer in time:\n{log.read_text()[-3000:]}"
            try:
                if fetch(port, "/healthz/").status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        # The shell is only the group's leader: gunicorn and its workers get the signal too.
        with suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def test_the_readmes_production_section_runs_as_written_and_serves_pages(production_env, tmp_path):
    *setup, serve = production_section()
    # The first line installs the locked runtime dependencies: this virtualenv holds them already
    # (requirements-dev.lock includes requirements.lock), so it is the one line not run here.
    assert setup[0] == "pip install --require-hashes -r requirements.lock"
    for line in setup[1:]:
        result = subprocess.run(  # noqa: S602
            line, shell=True, cwd=ROOT, env=production_env, capture_output=True, text=True
        )
        assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
    assert serve.startswith("gunicorn -c config/gunicorn.conf.py config.wsgi")

    with serving(serve, production_env, tmp_path / "gunicorn.log") as port:
        # Behind the proxy (on loopback, so believed): HTTPS, the page and its stylesheet.
        secure = {"X-Forwarded-Proto": "https"}
        page = fetch(port, SEED_URL, secure)
        assert page.status == 200
        assert "script-src 'self'" in page.headers["Content-Security-Policy"]
        assert page.headers["Strict-Transport-Security"] == "max-age=31536000"
        assert fetch(port, "/", secure).status == 200
        # Plain HTTP is sent to HTTPS, except the load balancer's health check.
        plain = fetch(port, SEED_URL)
        assert plain.status == 301
        assert plain.headers["Location"] == f"https://127.0.0.1{SEED_URL}"
        assert fetch(port, "/healthz/").status == 200


def test_gunicorn_ignores_x_forwarded_proto_from_an_address_it_was_not_told_to_trust(
    production_env, tmp_path
):
    *setup, serve = production_section()
    for line in setup[1:2]:  # the database (static files are not needed for this)
        subprocess.run(line.split("&&")[0], shell=True, cwd=ROOT, env=production_env, check=True)  # noqa: S602
    env = production_env | {"FORWARDED_ALLOW_IPS": "192.0.2.10", "GUNICORN_WORKERS": "1"}
    with serving(serve, env, tmp_path / "gunicorn.log") as port:
        forged = fetch(port, "/", {"X-Forwarded-Proto": "https"})
        assert forged.status == 301
        assert forged.headers["Location"] == "https://127.0.0.1/"
