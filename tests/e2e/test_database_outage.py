"""A real server whose own embedded PostgreSQL is stopped and restarted: 503 with
SERVICE_UNAVAILABLE while it is down, and the same requests succeed once it is back."""

from __future__ import annotations

import os
import shlex
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pgserver
import pytest

from tests.e2e.conftest import _serve, register

PG_CTL = Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_ctl"
RECOVERY_S = 30.0
ME = "{ me { email } }"


class Postgres:
    """pg_ctl on the server's data directory, as the user that owns it (pgserver runs
    PostgreSQL as an unprivileged user when the tests run as root)."""

    def __init__(self, pgdata: Path) -> None:
        self.pgdata = pgdata
        opts = shlex.split((pgdata / "postmaster.opts").read_text())
        self.socket_dir = opts[opts.index("-k") + 1]
        self.user = pgdata.owner() if os.geteuid() == 0 else None

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run(
            [str(PG_CTL), "-D", str(self.pgdata), "-w", *args],
            check=True,
            user=self.user,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=30,
        )

    def stop(self) -> None:
        self._pg_ctl("-m", "fast", "stop")

    def start(self) -> None:
        log = self.pgdata / "restart.log"
        self._pg_ctl("-o", '-h ""', "-o", f"-k {self.socket_dir}", "-l", str(log), "start")


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Postgres]]:
    workdir = tmp_path_factory.mktemp("outage")
    with _serve(None, workdir, {}) as base:
        yield base, Postgres(workdir / "data" / "pg")


def _me(graphql_url: str, token: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"}
    return httpx.post(graphql_url, json={"query": ME}, headers=headers, timeout=30)


def test_an_unreachable_database_answers_503_and_the_server_recovers_by_itself(
    own_server: tuple[str, Postgres],
) -> None:
    base, postgres = own_server
    graphql_url = f"{base}/graphql"
    account = register(graphql_url)
    assert _me(graphql_url, account["accessToken"]).status_code == 200

    postgres.stop()
    try:
        down = _me(graphql_url, account["accessToken"])
        assert down.status_code == 503, down.text
        error = down.json()["errors"][0]
        assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
        anonymous = httpx.post(
            graphql_url,
            json={
                "query": 'mutation { login(input: {email: "a@b.co", password: "x"}) { accessToken } }'
            },
            timeout=30,
        )
        assert anonymous.status_code == 503, anonymous.text
        assert anonymous.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
        ready = httpx.get(f"{base}/readyz", timeout=30)
        assert ready.status_code == 503
        assert ready.json()["database"] is False
    finally:
        postgres.start()

    deadline = time.monotonic() + RECOVERY_S
    while (back := _me(graphql_url, account["accessToken"])).status_code != 200:
        assert time.monotonic() < deadline, back.text
        time.sleep(0.2)  # polling an observable recovery, bounded by the deadline
    assert back.json() == {"data": {"me": {"email": account["user"]["email"]}}}
    assert httpx.get(f"{base}/readyz", timeout=30).status_code == 200
