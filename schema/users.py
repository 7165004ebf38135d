"""Users and accounts: the User type, sign-up/sign-in/token mutations, `me` and `updateMe`."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.utils.str_converters import to_camel_case

from db.models import User as UserRow
from domain import enums
from domain.accounts import search_radius
from domain.candidates import fields_from_resume
from resolvers import auth, passwords, profiles
from schema.columns import column, node_id
from schema.context import Info
from schema.enums import CompanyKind, RemotePreference, Role, Seniority
from schema.inputs import given
from schema.nodes import Node

if TYPE_CHECKING:
    from schema.companies import Company


@strawberry.type(description="A person using jobmatch: candidate, recruiter or operator.")
class User(Node):
    row: strawberry.Private[UserRow]

    id = node_id("User")

    email = column(str, "Sign-in email address.")
    role = column(Role, "What this user may do.")
    headline = column(str | None, "One-line professional headline.")
    skills = column(list[str], "Skills, normalized to canonical names.")
    preferred_locations = column(list[str], "Cities or regions the candidate wants to work in.")
    preferred_roles = column(
        list[str], "Roles the candidate is looking for; they feed the scrape queue."
    )
    remote_preference = column(RemotePreference | None, "Remote work preference.")
    seniority = column(Seniority | None, "Career level.")

    @strawberry.field(
        description="Kilometres around each preferred location the feed searches first "
        "(0 = the named places only; 25 unless set)."
    )
    def search_radius_km(self) -> int:
        return search_radius(self.row.search_radius_km)

    years_of_experience = column(float | None, "Years of professional experience.")
    salary_min = column(float | None, "Lowest acceptable annual salary.")
    salary_max = column(float | None, "Upper end of the expected annual salary.")
    salary_currency = column(str | None, "ISO 4217 currency of the salary expectation.")
    open_to_recruiters = column(bool, "Whether recruiters may find this candidate.")
    digest_opt_in = column(
        bool, "Whether the candidate gets the daily digest (stored, and e-mailed) of new jobs."
    )

    @strawberry.field(description="Whether the profile has an embedding yet (set by updateMe).")
    def has_profile_embedding(self) -> bool:
        return self.row.base_embedding is not None

    @strawberry.field(
        description="Profile fields filled by the last uploadResume (fields set with updateMe "
        "are never among them), e.g. headline, yearsOfExperience."
    )
    def fields_from_resume(self) -> list[str]:
        return [to_camel_case(name) for name in fields_from_resume(self.row.profile_sources)]

    created_at = column(datetime, "When the account was created.")
    password_change_required = column(
        bool,
        "True after a temporary password (addRecruiter, an operator's reset): every operation "
        "but me, changePassword and logout answers PASSWORD_CHANGE_REQUIRED until it is changed.",
    )

    @strawberry.field(description="The recruiter's company; null for candidates.")
    async def company(
        self, info: Info
    ) -> Annotated[Company, strawberry.lazy("schema.companies")] | None:
        from schema.companies import Company

        if self.row.company_id is None:
            return None
        row = await info.context.loaders.company_by_id.load(self.row.company_id)
        return Company(row=row) if row is not None else None


@strawberry.type(description="Tokens for a signed-in session and the user they belong to.")
class AuthPayload:
    access_token: str = strawberry.field(description="Bearer token, valid 15 minutes by default.")
    refresh_token: str = strawberry.field(description="Single-use token for refreshToken.")
    user: User = strawberry.field(description="The signed-in user.")

    @classmethod
    def from_result(cls, result: auth.AuthResult) -> AuthPayload:
        return cls(
            access_token=result.access_token,
            refresh_token=result.refresh_token,
            user=User(row=result.user),
        )


@strawberry.input(description="A new account. Recruiters name their company and become its admin.")
class RegisterInput:
    email: str
    password: str = strawberry.field(
        description="At least 8 characters; not a common password, not the email's name."
    )
    role: Role = enums.Role.CANDIDATE
    company_name: str | None = strawberry.field(default=None, description="Required for RECRUITER.")
    company_kind: CompanyKind | None = strawberry.field(
        default=CompanyKind.EMPLOYER,
        description="The kind of company a recruiter registers: EMPLOYER (its own jobs) or "
        "AGENCY (places its pool of candidates into jobs posted anywhere).",
    )


@strawberry.input(description="Email and password.")
class LoginInput:
    email: str
    password: str


@strawberry.input(description="Profile fields to change; omitted fields stay as they are.")
class UpdateMeInput:
    headline: str | None = strawberry.UNSET
    skills: list[str] | None = strawberry.UNSET
    preferred_locations: list[str] | None = strawberry.UNSET
    preferred_roles: list[str] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Roles you are looking for, e.g. Python Developer (at most 20); the scrape "
        "queue looks for jobs of these roles.",
    )
    remote_preference: RemotePreference | None = strawberry.UNSET
    search_radius_km: int | None = strawberry.field(
        default=strawberry.UNSET,
        description="Kilometres around each preferred location the feed searches first "
        "(0 = the named places only, at most 3000, null = the default 25).",
    )
    seniority: Seniority | None = strawberry.UNSET
    years_of_experience: float | None = strawberry.UNSET
    salary_min: float | None = strawberry.UNSET
    salary_max: float | None = strawberry.UNSET
    salary_currency: str | None = strawberry.UNSET
    open_to_recruiters: bool | None = strawberry.UNSET
    digest_opt_in: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Candidates: true to get the daily digest of new jobs (off by default); "
        "every digest e-mail also has a one-click unsubscribe link.",
    )


@strawberry.type
class UserQuery:
    @strawberry.field(description="The signed-in user.")
    async def me(self, info: Info) -> User:
        viewer = info.context.require_viewer(pending_password_ok=True)
        return User(row=await profiles.me(info.context.services, viewer))


@strawberry.type
class UserMutation:
    @strawberry.mutation(description="Create an account and sign in.")
    async def register(self, info: Info, input: RegisterInput) -> AuthPayload:
        result = await auth.register(
            info.context.services,
            input.email,
            input.password,
            input.role,
            input.company_name,
            info.context.client_address,
            input.company_kind,
        )
        return AuthPayload.from_result(result)

    @strawberry.mutation(description="Sign in with email and password.")
    async def login(self, info: Info, input: LoginInput) -> AuthPayload:
        result = await auth.login(
            info.context.services, input.email, input.password, info.context.client_address
        )
        return AuthPayload.from_result(result)

    @strawberry.mutation(description="Exchange a refresh token (once) for a new token pair.")
    async def refresh_token(self, info: Info, refresh_token: str) -> AuthPayload:
        result = await auth.refresh(
            info.context.services, refresh_token, info.context.client_fingerprint
        )
        return AuthPayload.from_result(result)

    @strawberry.mutation(
        description="End this sign-in: revokes the refresh family and access token."
    )
    async def logout(self, info: Info, refresh_token: str) -> bool:
        return await auth.logout(info.context.services, refresh_token, info.context.viewer)

    @strawberry.mutation(
        description="Change the signed-in user's password (same rules as register). Every other "
        "sign-in of the account is revoked; this one stays. A wrong current password is "
        "BAD_USER_INPUT (field current) and counts like a failed sign-in."
    )
    async def change_password(
        self,
        info: Info,
        current: Annotated[str, strawberry.argument(description="The password in use now.")],
        new: Annotated[str, strawberry.argument(description="The new password.")],
    ) -> bool:
        viewer = info.context.require_viewer(pending_password_ok=True)
        return await passwords.change_password(info.context.services, viewer, current, new)

    @strawberry.mutation(
        description="E-mail a single-use password reset token to this address. Always answers "
        "true, whether or not an account uses the address; rate limited per client address."
    )
    async def request_password_reset(
        self,
        info: Info,
        email: Annotated[str, strawberry.argument(description="The account's e-mail address.")],
    ) -> bool:
        ctx = info.context
        return await passwords.request_password_reset(ctx.services, email, ctx.client_address)

    @strawberry.mutation(
        description="Set a new password with the token from a reset e-mail (once, before it "
        "expires); every sign-in of the account is revoked. Sign in again afterwards."
    )
    async def reset_password(
        self,
        info: Info,
        token: Annotated[str, strawberry.argument(description="The token from the e-mail.")],
        new_password: Annotated[str, strawberry.argument(description="The new password.")],
    ) -> bool:
        ctx = info.context
        return await passwords.reset_password(ctx.services, token, new_password, ctx.client_address)

    @strawberry.mutation(
        description="Edit the signed-in user's profile; candidates are re-embedded."
    )
    async def update_me(self, info: Info, input: UpdateMeInput) -> User:
        row = await profiles.update_me(
            info.context.services, info.context.require_viewer(), given(input)
        )
        return User(row=row)
