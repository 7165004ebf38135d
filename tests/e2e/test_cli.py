"""The `jobmatch` command line as an operator uses it: help, migrate, admins, imports, serve on embedded data."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, SHARED, TEST_SECRET
from tests.e2e.conftest import _free_port, unique_email

JOBMATCH = str(Path(sys.executable).with_name("jobmatch"))


def _run(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [JOBMATCH, *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _on(database_url: str) -> dict[str, str]:
    return {
        "JOBMATCH_DATABASE_URL": database_url,
        "JOBMATCH_JWT_SECRET": TEST_SECRET,
        "JOBMATCH_ENV": "test",
    }


def test_help_explains_every_command() -> None:
    result = _run("--help")
    assert result.returncode == 0
    for command in ("serve", "migrate", "seed-demo", "create-admin", "import-jobs", "expire-jobs"):
        assert command in result.stdout
        sub = _run(command, "--help")
        assert sub.returncode == 0 and "--data-dir" in sub.stdout, command
    assert _run("python-is-not-a-command").returncode == 2


def test_migrate_and_create_admin_work_on_a_running_servers_database(database_url: str) -> None:
    env = _on(database_url)
    assert "latest migration" in _run("migrate", env=env).stdout
    email = unique_email("ops")
    created = _run("create-admin", email, "--password", "operator-pass-1", env=env)
    assert created.returncode == 0 and "PLATFORM_ADMIN" in created.stdout
    again = _run("create-admin", email, "--password", "operator-pass-1", env=env)
    assert again.returncode == 1 and "already exists" in again.stdout
    weak = _run("create-admin", unique_email("ops"), "--password", "short", env=env)
    assert weak.returncode == 1 and "at least 8" in weak.stdout
    prompted = _run("create-admin", unique_email("ops"), env=env, stdin="operator-pass-2\n")
    assert prompted.returncode == 0, prompted.stderr


def test_import_jobs_reports_progress_and_reimport_adds_nothing(
    database_url: str, tmp_path: Path
) -> None:
    rows = json.loads(
        gzip.decompress((SHARED / "data" / "jobs" / "ashby_jobs.json.gz").read_bytes())
    )[1000:1030]
    path = tmp_path / "jobs.json.gz"
    path.write_bytes(gzip.compress(json.dumps(rows).encode()))
    env = _on(database_url)
    first = _run("import-jobs", str(path), "--platform", "cli-test", env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "30 rows, 30 new" in first.stdout and "rows/s" in first.stdout
    second = _run("import-jobs", str(path), "--platform", "cli-test", env=env)
    assert "0 new, 0 updated, 30 unchanged" in second.stdout
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "a list"}')
    refused = _run("import-jobs", str(bad), "--platform", "cli-test", env=env)
    assert refused.returncode == 1 and "nothing was imported" in refused.stdout
    assert "jobs expired" in _run("expire-jobs", env=env).stdout


def test_production_refuses_to_start_without_a_secret(tmp_path: Path) -> None:
    result = _run(
        "serve",
        "--data-dir",
        str(tmp_path),
        env={
            "JOBMATCH_ENV": "production",
            "JOBMATCH_JWT_SECRET": "",
            "JOBMATCH_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/x",
        },
    )
    assert result.returncode != 0
    assert "JOBMATCH_JWT_SECRET" in result.stdout + result.stderr


def _serve(data_dir: Path, port: int) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JOBMATCH_")}
    return subprocess.Popen(
        [JOBMATCH, "serve", "--data-dir", str(data_dir), "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait(process: subprocess.Popen[str], url: str, limit: float = 240) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read() if process.stdout else ""
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    pytest.fail("server did not become ready")


def _stop(process: subprocess.Popen[str]) -> str:
    process.terminate()
    output, _ = process.communicate(timeout=60)
    return output


def test_serve_on_a_fresh_data_dir_seeds_once_and_reuses_the_data(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    first = _serve(data_dir, port)
    try:
        _wait(first, url)
        login = httpx.post(
            f"{url}/graphql",
            json={
                "query": 'mutation { login(input: {email: "ada@demo.jobmatch.dev", password: "demo-password-1"}) { accessToken } }'
            },
        ).json()
        token = login["data"]["login"]["accessToken"]
        jobs = httpx.post(
            f"{url}/graphql",
            json={"query": "{ jobs(first: 5) { edges { node { title } } } }"},
            headers={"Authorization": f"Bearer {token}"},
        ).json()
        assert len(jobs["data"]["jobs"]["edges"]) == 5
    finally:
        output = _stop(first)
    assert "Demo accounts" in output
    assert (data_dir / "pg" / "PG_VERSION").exists() and (data_dir / "jwt_secret").exists()
    second = _serve(data_dir, port)
    try:
        _wait(second, url)
        # The same secret and data: the token issued before the restart is still valid.
        me = httpx.post(
            f"{url}/graphql",
            json={"query": "{ me { email } }"},
            headers={"Authorization": f"Bearer {token}"},
        ).json()
        assert me["data"]["me"]["email"] == "ada@demo.jobmatch.dev"
    finally:
        output = _stop(second)
    assert "Demo accounts" not in output
