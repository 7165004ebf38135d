"""Reading a profile out of resume text: sections, headline, skills, years, education, contacts."""

from __future__ import annotations

from datetime import date

import pytest

from domain.enums import Seniority
from domain.errors import InvalidInput
from domain.resume_dates import date_ranges, merged_months
from domain.resumes import (
    MAX_RESUME_CHARS,
    ParsedResume,
    normalize_resume_text,
    parse_resume,
    resume_profile_text,
    split_sections,
)
from domain.skills import default_normalizer

TODAY = date(2025, 6, 15)

RESUME = """Jane Doe
Senior Software Engineer
Austin, TX 78701 | jane.doe@example.com | (512) 555-0142

PROFESSIONAL SUMMARY:
Backend engineer building data platforms in Python and PostgreSQL for fintech companies.

Technical Skills
Python, PostgreSQL, Kubernetes, Team leadership

Work History
Senior Software Engineer, Acme Corp, Jan 2019 - Present
- Led a team of five engineers on the payments platform.
Software Engineer | Initech | 03/2015 to 12/2018
- Built ETL pipelines.

Education
B.S. in Computer Science, University of Texas at Austin, 2014

Certifications
AWS Certified Solutions Architect
"""


def _parse(text: str) -> ParsedResume:
    return parse_resume(text, default_normalizer(), today=TODAY)


def test_a_conventional_resume_gives_every_field_and_its_source() -> None:
    resume = _parse(RESUME)
    assert resume.name == "Jane Doe"
    assert resume.headline == "Senior Software Engineer"
    assert resume.email == "jane.doe@example.com"
    assert resume.phone == "(512) 555-0142"
    assert resume.location is not None and resume.location.startswith("Austin, TX")
    assert resume.summary is not None and resume.summary.startswith("Backend engineer")
    assert resume.skills[:3] == ("Python", "PostgreSQL", "Kubernetes")
    assert "Team leadership" in resume.skills
    assert resume.seniority == Seniority.SENIOR
    assert resume.recent_titles == ("Senior Software Engineer", "Software Engineer")
    # 03/2015..12/2018 is 46 months, Jan 2019..Jun 2025 is 78: 124 months.
    assert resume.years_of_experience == 10.3
    assert resume.education[0].degree == "Bachelor of Science"
    assert resume.education[0].field == "Computer Science"
    assert resume.education[0].institution == "University of Texas at Austin"
    assert resume.education[0].year == 2014
    assert [s.name for s in resume.sections] == [
        "summary", "skills", "experience", "education", "certifications",
    ]  # fmt: skip
    assert resume.sources["headline"] == "second line"
    assert resume.sources["years_of_experience"] == "experience date ranges"
    assert resume.sources["skills"] == "skills section + text"


@pytest.mark.parametrize(
    "heading",
    ["Experience", "EXPERIENCE", "Work Experience:", "— Employment History —", "## Work history",
     "*** PROFESSIONAL EXPERIENCE ***", "Experience & Employment"],
)  # fmt: skip
def test_headings_are_found_whatever_their_case_and_decoration(heading: str) -> None:
    _, sections = split_sections(f"Title\n{heading}\nCook at Diner, 2010 - 2012")
    assert [s.name for s in sections] == ["experience"]


def test_a_long_line_that_mentions_a_heading_word_is_not_a_heading() -> None:
    _, sections = split_sections("Title\nExperience with many kinds of kitchens and teams\nx")
    assert sections == ()


def test_a_heading_with_its_content_on_the_same_line_opens_the_section() -> None:
    _, sections = split_sections("Title\nSkills: Python, SQL")
    assert [(s.name, s.text) for s in sections] == [("skills", "Python, SQL")]


def test_normalizing_repairs_bullets_spaces_hyphenation_and_mojibake() -> None:
    raw = "  •  Managed   a team\n● Built\ta system\n* Ran the manage-\nment meetings\n\n\n\nEnd â€“ ok"
    assert normalize_resume_text(raw) == (
        "- Managed a team\n- Built a system\n- Ran the management meetings\n\nEnd – ok"
    )


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("January 2015 to January 2016", 13),
        ("Jan 2015 - Present", 126),
        ("03/2010 to 05/2013", 39),
        ("2012 - 2016", 48),
        ("2016-2016", 6),
        ("August 2011\n\nto\nCurrent", 167),
        ("08/2012\n:\nCurrent", 155),
        ("Sept. 2020 – now", 58),
    ],
)
def test_date_range_formats(text: str, months: int) -> None:
    ranges = date_ranges(text, TODAY)
    assert merged_months([(r.first, r.last) for r in ranges]) == months


@pytest.mark.parametrize(
    "text", ["2016 - 2012", "Jan 2030 - Present", "1900 - 1910", "phone 2012-2016x"]
)
def test_implausible_or_reversed_ranges_are_ignored(text: str) -> None:
    assert date_ranges(text, TODAY) == []


def test_overlapping_jobs_count_each_month_once() -> None:
    text = "Title\nExperience\nChef, A, 2010 - 2014\nCook, B, 2012 - 2016\nWaiter, C, 2020 - 2021"
    assert _parse(text).years_of_experience == 7.0


def test_years_are_capped_at_fifty() -> None:
    text = "Title\nExperience\nFarmer, 1950 - Present"
    assert _parse(text).years_of_experience == 50.0


def test_without_dates_a_stated_number_of_years_counts() -> None:
    resume = _parse("Cook\nSummary\nLine cook with 7+ years of experience in busy kitchens.")
    assert resume.years_of_experience == 7.0
    assert resume.sources["years_of_experience"] == "stated in summary"
    decade = _parse("Accountant\nSummary\nAccountant with over a decade of experience in tax.")
    assert decade.years_of_experience == 10.0


def test_without_dates_or_a_statement_years_are_unknown() -> None:
    resume = _parse("Cook\nSummary\nI like cooking for people.")
    assert resume.years_of_experience is None
    assert "years_of_experience" not in resume.sources


def test_seniority_comes_from_the_title_else_from_the_years() -> None:
    assert _parse("Lead Cook\nExperience\nCook, 2020 - 2021").seniority == Seniority.LEAD
    assert _parse("Marketing Intern\nSummary\nx").seniority == Seniority.ENTRY
    from_years = _parse("Accountant\nExperience\nAccountant, A, 2019 - 2021")
    assert from_years.seniority == Seniority.JUNIOR
    assert from_years.sources["seniority"] == "years of experience"


def test_a_first_line_that_is_a_heading_leaves_the_headline_to_the_latest_title() -> None:
    text = "Experience\nCompany Name\n01/2016 to Current\nExecutive Chef\nCity, State\n- Cooked."
    resume = _parse(text)
    assert resume.headline == "Executive Chef"
    assert resume.sources["headline"] == "most recent title"


def test_an_all_caps_title_reads_in_title_case_with_acronyms_kept() -> None:
    assert _parse("HR GENERALIST AND PAYROLL\nSummary\nx").headline == "HR Generalist and Payroll"


def test_no_name_is_guessed_without_contact_details() -> None:
    resume = _parse("Sales Associate\nSummary\nSelling shoes.")
    assert resume.name is None
    assert resume.headline == "Sales Associate"


@pytest.mark.parametrize(
    "contacts", ["", "sam.rivera@example.com\n", "Chicago, IL | (312) 555-0199\n"]
)
def test_a_name_line_then_a_title_line_give_the_name_and_the_headline(contacts: str) -> None:
    resume = _parse(f"Sam Rivera\nHead Chef\n{contacts}Summary\nChef running busy kitchens.")
    assert (resume.name, resume.headline) == ("Sam Rivera", "Head Chef")
    assert resume.sources["headline"] == "second line"


def test_skills_from_table_cells_stay_apart_when_other_cells_hold_commas() -> None:
    cells = "Menu planning\nFood safety\nInventory, ordering\nCatering; events"
    skills = _parse(f"Head Chef\nSkills\n{cells}").skills
    assert skills[:6] == (
        "Menu planning",
        "Food safety",
        "Inventory",
        "ordering",
        "Catering",
        "events",
    )


def test_a_comma_list_wrapped_across_lines_is_joined_back() -> None:
    listed = (
        "Account reconciliations, accruals, budget forecasting, cash\nflow, payroll, month-end "
        "close, variance analysis, fixed assets, General\nLedger, Tax preparation, Sage, and\nQuickBooks"
    )
    skills = _parse(f"Accountant\nSkills\n{listed}").skills
    assert {"cash flow", "General Ledger", "QuickBooks"} <= {*skills, *map(str.lower, skills)}
    assert "cash" not in skills and "Ledger" not in skills


def test_skills_section_ranks_first_and_go_needs_a_technical_context() -> None:
    text = (
        "Engineer\nSummary\nReady to go the extra mile. Used Docker, Python and Docker again "
        "with Docker.\nSkills\nPostgreSQL, Go, Terraform"
    )
    skills = _parse(text).skills
    assert skills[:3] == ("PostgreSQL", "Go", "Terraform")
    assert skills.index("Docker") < skills.index("Python")
    plain = _parse("Waiter\nSummary\nWilling to go the extra mile for guests.").skills
    assert "Go" not in plain


def test_international_and_us_phone_forms() -> None:
    for phone in ("+44 20 7946 0958", "512-555-0142", "(512) 555 0142", "+1 512.555.0142"):
        text = f"Ann Lee\nNurse\n{phone} · ann@example.org\nSummary\nx"
        assert _parse(text).phone == phone


def test_a_year_range_in_the_header_is_not_a_phone_number() -> None:
    assert _parse("Ann Lee\nNurse\nann@example.org 2012 - 2016\nSummary\nx").phone is None


def test_an_unknown_city_or_a_placeholder_is_not_a_location() -> None:
    assert _parse("Nurse\nCity, State\nSummary\nx").location is None
    assert _parse("Nurse\nSeattle, Washington\nSummary\nx").location == "Seattle, Washington"


def test_education_laid_out_institution_first_as_exports_do() -> None:
    text = (
        "Accountant\nEducation\nColorado State University\nMay 2005\nM.S\n:\nAccounting\n"
        "City, State\nRegis University\nMay 2003\nB.S\n:\nFinance\nCity, State\n"
    )
    education = _parse(text).education
    assert [(e.degree, e.field, e.institution, e.year) for e in education] == [
        ("Master of Science", "Accounting", "Colorado State University", 2005),
        ("Bachelor of Science", "Finance", "Regis University", 2003),
    ]


def test_degrees_in_words_and_a_state_is_not_a_degree() -> None:
    text = (
        "Teacher\nEducation\nMaster of Arts in English Literature, Boston College, Boston, MA, "
        "2010\nHigh School Diploma, Lincoln High School, 2004\n"
    )
    degrees = [(e.degree, e.field, e.year) for e in _parse(text).education]
    assert degrees == [
        ("Master of Arts", "English Literature", 2010),
        ("High School Diploma", None, 2004),
    ]


def test_a_text_without_any_section_still_yields_a_headline_and_skills() -> None:
    resume = _parse("Data Analyst\nI analyse data with SQL and Tableau every day.")
    assert resume.headline == "Data Analyst"
    assert resume.sections == ()
    assert {"SQL", "Tableau"} <= set(resume.skills)
    assert resume.sources["skills"] == "text"


def test_garbage_yields_no_fields_and_no_error() -> None:
    resume = _parse("%%%% 12345 ;;;; \x00\x01 ~~~~ 9/9/9999 @@@ ::::")
    assert resume.skills == ()
    assert resume.years_of_experience is None
    assert resume.education == ()
    assert resume.email is None and resume.phone is None


@pytest.mark.parametrize("text", ["", "   \n\t  \n", "\u200b\ufeff"])
def test_empty_text_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="no text"):
        _parse(text)


def test_text_over_the_limit_is_refused() -> None:
    with pytest.raises(InvalidInput, match="at most"):
        _parse("x" * (MAX_RESUME_CHARS + 1))


def test_profile_text_puts_headline_and_summary_first() -> None:
    resume = _parse(RESUME)
    text = resume_profile_text(resume)
    assert text.startswith("Senior Software Engineer. Backend engineer building data platforms")
    assert text.index("Skills: Python") > text.index("fintech")
    assert "Recent roles: Software Engineer" in text


def test_profile_text_of_an_empty_parse_is_empty() -> None:
    resume = _parse("%%%%")
    assert resume_profile_text(resume) == ""
