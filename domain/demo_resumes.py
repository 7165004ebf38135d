"""Resumes for the demo candidates, as plain text the resume parser reads like any other."""

from __future__ import annotations

from domain.demo import COMPANIES, DemoCandidate

# For the demo resumes: name, current title, earlier title, degree and school, phone.
RESUMES = {
    "ada@demo.jobmatch.dev": (
        "Ada Lovelace",
        "Senior Backend Engineer",
        "Backend Engineer",
        "B.Sc. Computer Science, University of California, Berkeley",
        "+1 415 555 0101",
    ),
    "grace@demo.jobmatch.dev": (
        "Grace Hopper",
        "Frontend Developer",
        "Junior Frontend Developer",
        "B.A. Interaction Design, New York University",
        "+1 212 555 0102",
    ),
    "linus@demo.jobmatch.dev": (
        "Linus Torvalds",
        "Senior Machine Learning Engineer",
        "Machine Learning Engineer",
        "M.Sc. Computer Science, University of Helsinki",
        "+1 206 555 0103",
    ),
    "katherine@demo.jobmatch.dev": (
        "Katherine Johnson",
        "Data Analyst",
        "Junior Data Analyst",
        "B.Sc. Mathematics, Boston University",
        "+1 617 555 0104",
    ),
    "margaret@demo.jobmatch.dev": (
        "Margaret Hamilton",
        "Lead Site Reliability Engineer",
        "Site Reliability Engineer",
        "B.Sc. Mathematics, Earlham College",
        "+1 206 555 0105",
    ),
}


def resume_text(candidate: DemoCandidate, year: int) -> str:
    """A plain-text resume for a demo candidate, its dates counted back from `year`."""
    name, title, earlier, school, phone = RESUMES[candidate.email]
    employers = [c.name for c in COMPANIES]
    current_start = year - min(candidate.years, 3) + 1
    lines = [
        name,
        title,
        f"{candidate.locations[0]} | {candidate.email} | {phone}",
        "",
        "Summary",
        f"{candidate.headline}. {candidate.years} years of experience with "
        f"{', '.join(candidate.skills[:-1])} and {candidate.skills[-1]}.",
        "",
        "Experience",
        f"{title}, {employers[len(name) % len(employers)]}",
        f"Jan {current_start} - Present",
        f"- Own production systems built with {candidate.skills[0]} and {candidate.skills[1]}.",
    ]
    if candidate.years > 3:
        lines += [
            f"{earlier}, {employers[(len(name) + 1) % len(employers)]}",
            f"Jan {year - candidate.years + 1} - Dec {current_start - 1}",
            f"- Shipped features with {candidate.skills[2]} and {candidate.skills[-1]}.",
        ]
    lines += [
        "",
        "Education",
        f"{school}, {year - candidate.years}",
        "",
        "Skills",
        ", ".join(candidate.skills),
    ]
    return "\n".join(lines) + "\n"
