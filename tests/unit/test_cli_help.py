"""`jobmatch COMMAND --help` is enough to use a command: import-jobs describes the file format,
and the account and demo commands say what they do."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from domain.posting_format import POSTING_FIELDS

JOBMATCH = str(Path(sys.executable).with_name("jobmatch"))


def _help(*command: str) -> str:
    result = subprocess.run(
        [JOBMATCH, *command, "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return " ".join(result.stdout.split())


def test_import_jobs_help_describes_every_key_of_the_file_format() -> None:
    text = _help("import-jobs")
    assert "JSON array of postings" in text and ".json.gz" in text
    for key in POSTING_FIELDS:
        assert f" {key} " in text, key
    assert '"external_job_id": "abc-123"' in text  # an example row


def test_account_and_demo_commands_explain_themselves() -> None:
    assert "temporary password" in _help("reset-password")
    assert "--refresh" in _help("seed-demo")
