"""Import files: decoding a JSON (or gzipped JSON) array of postings, and batch bookkeeping."""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass, field
from typing import Any

from domain.errors import InvalidInput
from domain.inputs import PLATFORM, cap

MAX_DECOMPRESSED_BYTES = 512 * 1024 * 1024
MAX_ROWS = 200_000
_PLATFORM = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,99}$")


def validate_platform(platform: str) -> str:
    value = cap(platform, "platform", PLATFORM * 2) or ""  # before whitespace is trimmed
    value = value.strip().lower()
    if not _PLATFORM.match(value):
        raise InvalidInput(
            "platform must be 1-100 characters of a-z, 0-9, '.', '_' or '-'", field="platform"
        )
    return value


def _gunzip(data: bytes) -> bytes:
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = decompressor.decompress(data, MAX_DECOMPRESSED_BYTES + 1)
    except zlib.error as exc:
        raise InvalidInput(
            f"the file looks gzipped but cannot be decompressed: {exc}", field="file"
        ) from None
    if len(out) > MAX_DECOMPRESSED_BYTES or decompressor.unconsumed_tail:
        raise InvalidInput("the decompressed file is larger than 512 MB", field="file")
    return out


def load_postings(data: bytes) -> list[Any]:
    """The rows of an import file; InvalidInput (and nothing written) when it is unreadable."""
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("the file is not UTF-8 text", field="file") from None
    try:
        rows = json.loads(text)
    except (json.JSONDecodeError, RecursionError, ValueError) as exc:
        raise InvalidInput(f"the file is not valid JSON: {str(exc)[:200]}", field="file") from None
    if not isinstance(rows, list):
        raise InvalidInput(
            f"the file must hold a JSON array of postings, not a {type(rows).__name__}",
            field="file",
        )
    if len(rows) > MAX_ROWS:
        raise InvalidInput(f"at most {MAX_ROWS:,} postings per import", field="file")
    return rows


@dataclass
class BatchTally:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    failed: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def fail(self, row: int, external_id: Any, reason: str) -> None:
        self.failed += 1
        ident = (
            external_id
            if isinstance(external_id, str | int) and not isinstance(external_id, bool)
            else None
        )
        self.errors.append(
            {
                "row": row,
                "externalJobId": str(ident)[:300] if ident is not None else None,
                "reason": reason,
            }
        )
