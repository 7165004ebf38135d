"""Job imports for platform admins: importJobs (file upload or inline rows), importBatches, importBatch."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.file_uploads import Upload

from db.models import ImportBatch as ImportBatchRow
from domain.errors import InvalidInput
from domain.imports import load_postings
from domain.skills import default_normalizer
from resolvers import imports
from schema.context import Info
from schema.ids import expect_id, to_global_id
from schema.nodes import Node
from schema.pagination import PageInfo, decode_keyset, encode_keyset

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

    @strawberry.field(description="Opaque global id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("ImportBatch", self.row.id))

    @strawberry.field(description="Source platform of the postings.")
    def platform(self) -> str:
        return self.row.platform

    @strawberry.field(description="RUNNING, COMPLETED or FAILED.")
    def status(self) -> str:
        return self.row.status

    @strawberry.field(description="Rows in the file.")
    def total(self) -> int:
        return self.row.total

    @strawberry.field(description="New jobs.")
    def created(self) -> int:
        return self.row.created

    @strawberry.field(description="Existing jobs updated by a newer or changed posting.")
    def updated(self) -> int:
        return self.row.updated

    @strawberry.field(description="Rows identical to (or older than) what was stored.")
    def unchanged(self) -> int:
        return self.row.unchanged

    @strawberry.field(description="Rows collapsed into a newer row with the same external id.")
    def duplicates(self) -> int:
        return self.row.duplicates

    @strawberry.field(description="Rows that could not be imported; see errors.")
    def failed(self) -> int:
        return self.row.failed

    @strawberry.field(description="When the import started.")
    def created_at(self) -> datetime:
        return self.row.created_at

    @strawberry.field(description="When the import finished.")
    def finished_at(self) -> datetime | None:
        return self.row.finished_at

    @strawberry.field(description="Why the import stopped, when status is FAILED.")
    def reason(self) -> str | None:
        return self.row.reason

    @strawberry.field(description="One entry per failed row, in file order.")
    def errors(self) -> list[ImportError_]:
        return [
            ImportError_(row=e["row"], external_job_id=e.get("externalJobId"), reason=e["reason"])
            for e in self.row.errors
        ]


@strawberry.type(description="An import batch in a list.")
class ImportBatchEdge:
    cursor: str
    node: ImportBatch


@strawberry.type(description="Import batches, newest first.")
class ImportBatchConnection:
    edges: list[ImportBatchEdge]
    page_info: PageInfo


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
        rows, more = await imports.batches(
            info.context.services, info.context.require_viewer(), first, decode_keyset(after)
        )
        edges = [
            ImportBatchEdge(cursor=encode_keyset(r.created_at, r.id), node=ImportBatch(row=r))
            for r in rows
        ]
        return ImportBatchConnection(
            edges=edges,
            page_info=PageInfo(has_next_page=more, end_cursor=edges[-1].cursor if edges else None),
        )

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
        row = await imports.import_jobs(
            info.context.services, viewer, platform, rows, default_normalizer()
        )
        return ImportBatch(row=row)
