"""Password rules: length, common passwords (zxcvbn's breach-derived list), the email's name."""

from __future__ import annotations

import pytest

from domain.accounts import common_passwords, validate_password
from domain.errors import InvalidInput


def _refused(password: str, email: str | None = None) -> str:
    with pytest.raises(InvalidInput) as refused:
        validate_password(password, email)
    assert refused.value.field == "password"
    return refused.value.message


def test_the_list_holds_the_ten_thousand_most_common_passwords() -> None:
    assert len(common_passwords()) == 10_000
    assert {"password", "123456789", "iloveyou", "qwerty123"} <= common_passwords()


@pytest.mark.parametrize("password", ["password1", "Password1", "iloveyou", "qwertyuiop"])
def test_common_passwords_are_refused_in_any_case(password: str) -> None:
    assert "common" in _refused(password)


def test_passwords_built_from_the_email_name_are_refused() -> None:
    assert "email" in _refused("margaret", "Margaret@example.com")
    assert "email" in _refused("my-MARGARET-2026", "margaret@example.com")


def test_short_email_names_and_other_passwords_pass() -> None:
    validate_password("al-horse-battery", "al@example.com")
    validate_password("correct-horse-1", "ada@example.com")
    validate_password("correct-horse-1")
