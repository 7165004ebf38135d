"""Job imports for platform admins: importJobs (file upload or inline rows), importBatches, importBatch."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.file_uploads import Upload

from db.models import ImportBatch as ImportBatchRow
from db.paging import Page
from domain.errors import InvalidInput
from domain.imports import load_postings
from resolvers import imports
from schema.columns import column, node_id
from schema.context import Info
from schema.cursors import Keyset, decode_keyset
from schema.ids import expect_id
from schema.nodes import Node
from schema.pagination import Connection, Edge, PageInfo

MAX_UPLOAD_BYTES = 256 * 1024 * 1024


@strawberry.type(description="Why one row of an import failed.")
class ImportError_:
    row: int = strawberry.field(description="0-based index of the row in the file.")
    external_job_id: str | None = strawberry.field(
        description="The row's external id, when it had one."
    )
    reason: str = strawberry.field(description="What was wrong with it.")


@strawberry.type(name="ImportBatch", description="One import of postings and what became of each.")
class ImportBatch(Node):
    row: strawberry.Private[ImportBatchRow]

    id = node_id("ImportBatch")

    platform = column(str, "Source platform of the postings.")
    status = column(str, "RUNNING, COMPLETED or FAILED.")
    total = column(int, "Rows in the file.")
    created = column(int, "New jobs.")
    updated = column(int, "Existing jobs updated by a newer or changed posting.")
    unchanged = column(int, "Rows identical to (or older than) what was stored.")
    duplicates = column(int, "Rows collapsed into a newer row with the same external id.")
    failed = column(int, "Rows that could not be imported; see errors.")
    created_at = column(datetime, "When the import started.")
    finished_at = column(datetime | None, "When the import finished.")
    reason = column(str | None, "Why the import stopped, when status is FAILED.")

    @strawberry.field(description="One entry per failed row, in file order.")
    def errors(self) -> list[ImportError_]:
        return [
            ImportError_(row=e["row"], external_job_id=e.get("externalJobId"), reason=e["reason"])
            for e in self.row.errors
        ]


@strawberry.type(description="An import batch in a list.")
class ImportBatchEdge(Edge[ImportBatch]):
    cursor: str = strawberry.field(description="Opaque position of this edge.")
    node: ImportBatch = strawberry.field(description="The import batch.")


@strawberry.type(description="Import batches, newest first.")
class ImportBatchConnection(Connection[ImportBatch]):
    edges: list[ImportBatchEdge] = strawberry.field(description="The batches of this page.")
    page_info: PageInfo = strawberry.field(description="Paging state.")

    @classmethod
    def from_page(cls, page: Page[ImportBatchRow]) -> ImportBatchConnection:
        return cls.of_rows(page, ImportBatchEdge, ImportBatch, lambda r: Keyset(r.created_at, r.id))


@strawberry.input(description="One posting as scrapers send it (SPEC §9).")
class JobImportInput:
    external_job_id: str
    title: str
    company: str | None = None
    location: str | None = None
    salary: str | None = None
    description: str | None = None
    requirements: str | None = None
    posted_date: str | None = None
    job_url: str | None = None
    is_remote: bool | None = None
    job_type: str | None = None
    experience_required: str | None = None
    skills: list[str] | None = None


@strawberry.type
class ImportQuery:
    @strawberry.field(description="Import batches, newest first (platform admins).")
    async def import_batches(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> ImportBatchConnection:
        page = await imports.batches(
            info.context.services, info.context.require_viewer(), first, decode_keyset(after)
        )
        return ImportBatchConnection.from_page(page)

    @strawberry.field(description="One import batch (platform admins).")
    async def import_batch(self, info: Info, id: strawberry.ID) -> ImportBatch:
        row = await imports.batch(
            info.context.services, info.context.require_viewer(), expect_id(id, "ImportBatch")
        )
        return ImportBatch(row=row)


@strawberry.type
class ImportMutation:
    @strawberry.mutation(
        description="Import postings from a JSON (or .json.gz) file or inline rows; upserts by (platform, externalJobId)."
    )
    async def import_jobs(
        self,
        info: Info,
        platform: str,
        file: Upload | None = None,
        jobs: list[JobImportInput] | None = None,
    ) -> ImportBatch:
        imports.exactly_one_source(file is not None, jobs is not None)
        viewer = info.context.require_viewer()
        imports.require_admin(viewer)
        if file is not None:
            data = await file.read(MAX_UPLOAD_BYTES + 1)  # type: ignore[attr-defined]
            if len(data) > MAX_UPLOAD_BYTES:
                raise InvalidInput("the file is larger than 256 MB", field="file")
            rows = load_postings(data)
        else:
            rows = [{k: v for k, v in vars(job).items()} for job in jobs or []]
        row = await imports.import_jobs(info.context.services, viewer, platform, rows)
        return ImportBatch(row=row)
