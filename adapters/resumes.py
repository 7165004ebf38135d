"""Resume files (PDF, DOCX, text) read into plain text in capped worker processes."""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import io
import json
import logging
import re
import struct
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from domain.errors import InvalidInput
from domain.resumes import MAX_RESUME_CHARS, normalize_resume_text

log = logging.getLogger("jobmatch.resumes")

MAX_RESUME_BYTES = 10 * 1024 * 1024
MAX_PAGES = 30
MAX_DOCX_EXPANDED = 50 * 1024 * 1024
MAX_DOCX_ENTRIES = 1_000
NOT_A_RESUME = "not a PDF, DOCX or text file"
_ROOT = Path(__file__).resolve().parent.parent
_FRAME = struct.Struct(">Q")
# Executables (PE, ELF, Mach-O, wasm) and OLE .doc: never taken for text, whatever the name says.
_BINARY_MAGIC = (
    b"MZ",
    b"\x7fELF",
    b"\xca\xfe\xba\xbe",
    b"\xcf\xfa\xed\xfe",
    b"\xce\xfa\xed\xfe",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\x00asm",
    b"\xd0\xcf\x11\xe0",
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
# A tab between words lays out columns (skills side by side, a title and its dates): a line each.
_COLUMN_TAB = re.compile(r"(?<=\w)[ \t]*\t[ \t]*(?=\w)")


@dataclass(frozen=True)
class ResumeFile:
    text: str
    format: str  # "pdf" | "docx" | "text"
    pages: int | None


class ResumeReader(Protocol):
    """Reads an uploaded file; raises InvalidInput(reason, field="file") for every bad one."""

    async def read(self, data: bytes, file_name: str | None) -> ResumeFile: ...

    async def aclose(self) -> None:
        """Stops whatever the reader started (worker processes); called once, at shutdown."""


class _Refused(Exception):
    def __init__(self, reason: str, *, fatal: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fatal = fatal


def sniff(data: bytes) -> str:
    """The format by content, never by name: "pdf", "zip" or "text"; refuses the rest."""
    if not data:
        raise _Refused("the file is empty")
    if len(data) > MAX_RESUME_BYTES:
        raise _Refused("the file is over 10 MB")
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.startswith(_BINARY_MAGIC) and b"\x00" in data[:64]:
        raise _Refused(NOT_A_RESUME)
    return "text"


# ---- in the worker process ------------------------------------------------------------------


def _read_pdf(data: bytes) -> ResumeFile:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _Refused("encrypted PDFs are not supported")
        pages = len(reader.pages)
    except _Refused:
        raise
    except Exception as exc:  # pypdf raises many types on hostile input; all mean "corrupt"
        raise _Refused("the PDF is corrupt or unreadable") from exc
    if pages == 0:
        raise _Refused("the PDF is corrupt or unreadable")
    if pages > MAX_PAGES:
        raise _Refused(f"the PDF has {pages} pages; at most {MAX_PAGES} are read")
    try:
        # Plain mode follows the content stream, which keeps a column together; layout mode
        # interleaves two-column lines (measured on the 48 dev PDFs: bench/bench_resumes.py).
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except MemoryError:
        raise
    except Exception as exc:
        raise _Refused("the PDF is corrupt or unreadable") from exc
    if not text.strip():
        raise _Refused("the PDF has no text layer; OCR is not supported")
    return ResumeFile(text, "pdf", pages)


def _check_zip(archive: zipfile.ZipFile) -> None:
    entries = archive.infolist()
    if len(entries) > MAX_DOCX_ENTRIES:
        raise _Refused(f"the DOCX holds {len(entries)} entries; at most {MAX_DOCX_ENTRIES}")
    if sum(entry.file_size for entry in entries) > MAX_DOCX_EXPANDED:
        raise _Refused("the DOCX expands past 50 MB")
    if "word/document.xml" not in archive.namelist():
        raise _Refused(NOT_A_RESUME)
    # Declared sizes can lie: decompress everything once, counting what really comes out.
    left = MAX_DOCX_EXPANDED
    for entry in entries:
        with archive.open(entry) as member:
            while chunk := member.read(1 << 16):
                left -= len(chunk)
                if left < 0:
                    raise _Refused("the DOCX expands past 50 MB")


def _docx_blocks(parent: Any, document: Any) -> list[str]:
    """Paragraphs and table cells in document order, each cell and each tab-separated column on
    lines of its own, so that a row of cells never reads as one item."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    for child in parent.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.extend(_COLUMN_TAB.split(Paragraph(child, document).text))
            # Text boxes; mc:Fallback repeats the same box as VML.
            for box in child.xpath(".//w:txbxContent[not(ancestor::mc:Fallback)]"):
                lines.extend(_docx_blocks(box, document))
        elif tag == "tbl":
            for row in Table(child, document).rows:
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) not in seen:  # a merged cell repeats across its span
                        seen.add(id(cell._tc))
                        lines.extend(_docx_blocks(cell._tc, document))
        elif tag == "sdt":
            for content in child.iterchildren():
                if content.tag.endswith("}sdtContent"):
                    lines.extend(_docx_blocks(content, document))
    return lines


def _read_docx(data: bytes) -> ResumeFile:
    import docx

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_zip(archive)
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        header = document.sections[0].header if document.sections else None
        if header is not None and not header.is_linked_to_previous:
            lines.extend(_docx_blocks(header._element, document))
        lines.extend(_docx_blocks(document.element.body, document))
    except (_Refused, MemoryError):
        raise
    except Exception as exc:  # zipfile, lxml and python-docx errors on a broken archive
        raise _Refused("the DOCX is corrupt or unreadable") from exc
    return ResumeFile("\n".join(lines), "docx", None)


def _decode_text(data: bytes) -> ResumeFile:
    head = data[:4096]
    if data.startswith(codecs.BOM_UTF8):
        text = data[3:].decode("utf-8", "replace")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", "replace")
    elif head[1::2].count(0) > len(head) // 4 and head[0::2].count(0) < len(head) // 16:
        text = data.decode("utf-16-le", "replace")
    elif head[0::2].count(0) > len(head) // 4 and head[1::2].count(0) < len(head) // 16:
        text = data.decode("utf-16-be", "replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", "replace")
    # Binary renamed .txt decodes to a soup of control characters and replacement marks.
    if len(_CONTROL.findall(text)) > len(text) // 100:
        raise _Refused(NOT_A_RESUME)
    return ResumeFile(text.replace("\r\n", "\n").replace("\r", "\n"), "text", None)


def extract(data: bytes) -> ResumeFile:
    """Blocking and CPU-bound: only ever called inside a worker process."""
    kind = sniff(data)
    if kind == "pdf":
        raw = _read_pdf(data)
    elif kind == "zip":
        raw = _read_docx(data)
    else:
        raw = _decode_text(data)
    text = raw.text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
    text = normalize_resume_text(text)
    if not text.strip():
        raise _Refused("no text found in the file")
    if len(text) > MAX_RESUME_CHARS:
        raise _Refused(f"the text is over {MAX_RESUME_CHARS:,} characters")
    return ResumeFile(text, raw.format, raw.pages)


def _answer(data: bytes) -> dict[str, Any]:
    try:
        found = extract(data)
    except _Refused as refused:
        return {"error": refused.reason, "fatal": refused.fatal}
    except MemoryError:
        return {"error": "the file needs too much memory to read", "fatal": True}
    except RecursionError:
        return {"error": "the file is corrupt or unreadable", "fatal": False}
    return {"text": found.text, "format": found.format, "pages": found.pages}


def serve_worker(memory_bytes: int) -> None:
    """The worker's loop: length-prefixed bytes in on stdin, a JSON answer out on stdout."""
    import resource

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    import docx  # noqa: F401  (imported before the cap and before the first file)
    import pypdf  # noqa: F401

    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but answers may reach the pipe
    sink.write(b"R")
    sink.flush()
    while len(head := source.read(_FRAME.size)) == _FRAME.size:
        data = source.read(_FRAME.unpack(head)[0])
        body = json.dumps(_answer(data)).encode()
        sink.write(_FRAME.pack(len(body)) + body)
        sink.flush()


# ---- in the server process ------------------------------------------------------------------


@dataclass
class _Worker:
    process: asyncio.subprocess.Process

    @classmethod
    async def start(cls, memory_bytes: int) -> _Worker:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            f"from adapters.resumes import serve_worker; serve_worker({int(memory_bytes)})",
            cwd=_ROOT,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        worker = cls(process)
        assert process.stdout is not None
        try:
            if await process.stdout.readexactly(1) != b"R":
                raise RuntimeError("the resume worker did not start")
        except BaseException:
            await worker.kill()
            raise
        return worker

    async def call(self, data: bytes) -> dict[str, Any]:
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        stdin.write(_FRAME.pack(len(data)) + data)
        await stdin.drain()
        size = _FRAME.unpack(await stdout.readexactly(_FRAME.size))[0]
        answer: dict[str, Any] = json.loads(await stdout.readexactly(size))
        return answer

    async def kill(self) -> None:
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
        await self.process.wait()


@dataclass
class ProcessResumeReader:
    """A small pool of worker processes, each capped in address space; a parse past
    `timeout_s` is killed with its worker and the pool starts a fresh one on demand."""

    workers: int = 2
    timeout_s: float = 20.0
    memory_bytes: int = 1 << 30
    _idle: list[_Worker] = field(default_factory=list)
    _slots: asyncio.Semaphore | None = None

    async def read(self, data: bytes, file_name: str | None = None) -> ResumeFile:
        try:
            sniff(data)  # the cheap refusals need no worker
        except _Refused as refused:
            raise InvalidInput(refused.reason, field="file") from None
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.workers)
        async with self._slots:
            worker = self._idle.pop() if self._idle else await _Worker.start(self.memory_bytes)
            try:
                async with asyncio.timeout(self.timeout_s):
                    answer = await worker.call(data)
            except TimeoutError:
                await worker.kill()
                log.warning("resume %r took over %.1f s; worker killed", file_name, self.timeout_s)
                raise InvalidInput("the file took too long to read", field="file") from None
            except (asyncio.IncompleteReadError, ConnectionError) as exc:
                await worker.kill()
                log.warning("resume worker died on %r: %r", file_name, exc)
                raise InvalidInput("the file could not be read", field="file") from None
            except BaseException:  # cancelled mid-call: the pipe is out of step, drop the worker
                await worker.kill()
                raise
            if answer.get("fatal"):
                await worker.kill()
            else:
                self._idle.append(worker)
        if "error" in answer:
            raise InvalidInput(str(answer["error"]), field="file")
        return ResumeFile(str(answer["text"]), str(answer["format"]), answer["pages"])

    async def aclose(self) -> None:
        idle, self._idle = self._idle, []
        for worker in idle:
            await worker.kill()
