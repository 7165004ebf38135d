"""End-to-end fixtures: a real `jobmatch serve` process on 127.0.0.1, and the node clients."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import ROOT, TEST_SECRET

HERE = Path(__file__).resolve().parent
NODE_MODULES = ROOT / "node_modules"
STARTUP_TIMEOUT_S = 120.0
PASSWORD = "correct-horse-1"
REGISTER = (
    "mutation($input: RegisterInput!) { register(input: $input) "
    "{ accessToken refreshToken user { id email } } }"
)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


@pytest.fixture(scope="session")
def server_url(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """http://127.0.0.1:PORT of a real server on the session's database, ready (model loaded)."""
    workdir = tmp_path_factory.mktemp("server")
    log_path = workdir / "server.log"
    port = _free_port()
    env = {
        **os.environ,
        "JOBMATCH_DATABASE_URL": database_url,
        "JOBMATCH_JWT_SECRET": TEST_SECRET,
        "JOBMATCH_ENV": "test",
        "JOBMATCH_DATA_DIR": str(workdir / "data"),
    }
    command = [str(Path(sys.executable).with_name("jobmatch")), "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--no-seed"]
    base = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_ready(process, base, log_path)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _wait_ready(process: subprocess.Popen[bytes], base: str, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited with {process.returncode}:\n{_tail(log_path)}")
        try:
            if httpx.get(f"{base}/readyz", timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    pytest.fail(f"server not ready after {STARTUP_TIMEOUT_S:.0f}s:\n{_tail(log_path)}")


@pytest.fixture(scope="session")
def graphql_url(server_url: str) -> str:
    return f"{server_url}/graphql"


def unique_email(prefix: str) -> str:
    """e2e tests share the session database with no truncation between them."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


def register(graphql_url: str, email: str | None = None) -> dict[str, Any]:
    """A fresh candidate over plain HTTP: {accessToken, refreshToken, user}."""
    variables = {"input": {"email": email or unique_email("e2e"), "password": PASSWORD}}
    body = httpx.post(
        graphql_url, json={"query": REGISTER, "variables": variables}, timeout=30
    ).json()
    assert "errors" not in body, body
    return dict(body["data"]["register"])


def run_node(script: str, *args: str, timeout: float = 60.0) -> Any:
    """Runs tests/e2e/<script> with node and returns the JSON it prints on stdout."""
    if not (NODE_MODULES / "graphql-ws").is_dir():
        pytest.fail("node test clients are missing: run `npm install` in the repository root")
    completed = subprocess.run(
        ["node", str(HERE / script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert completed.returncode == 0, f"{script} failed:\n{completed.stdout}\n{completed.stderr}"
    return json.loads(completed.stdout)
