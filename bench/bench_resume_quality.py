"""Resume extraction quality on the 1,237 LiveCareer dev resumes, and the acc@1 harness for the
embedding text: which of 48 category postings is nearest to each resume (issue 10, item 5)."""

from __future__ import annotations

import gzip
import json
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np

from bench.common import DATA, Timer, model, report
from domain.errors import InvalidInput
from domain.resumes import ParsedResume, parse_resume, resume_profile_text
from domain.skills import default_normalizer

RESUMES = DATA / "resumes" / "livecareer_dev.jsonl.gz"
# The resumes were written up to 2018; "Present" resolves to this day.
TODAY = date(2018, 6, 1)
WORST = int(os.environ.get("BENCH_RESUME_WORST", "8"))
SKIP_ACC = os.environ.get("BENCH_RESUME_SKIP_ACC") == "1"

# An independent check of which sections a text has: a line equal to one of these headings.
SECTION_HEADINGS = {
    "summary": ("summary", "professional summary", "executive profile", "career overview",
                "objective", "profile", "professional profile", "executive summary"),
    "experience": ("experience", "work history", "professional experience", "work experience",
                   "employment history"),
    "education": ("education", "education and training", "educational background"),
    "skills": ("skills", "highlights", "skill highlights", "core qualifications",
               "technical skills", "qualifications"),
    "certifications": ("certifications", "certification", "licenses"),
}  # fmt: skip

POSTINGS: dict[str, tuple[str, str]] = {
    "ACCOUNTANT": (
        "Staff Accountant: general ledger, journal entries, month-end close, account "
        "reconciliations, accounts payable and receivable, GAAP, QuickBooks.",
        "Senior Accountant, CPA preferred: financial statements, tax preparation, audits, "
        "accruals and balance sheet reconciliations.",
    ),
    "ADVOCATE": (
        "Client Advocate: support clients and families, case management, connect people with "
        "community resources, crisis intervention, social services.",
        "Patient and victim advocate: represent clients' rights, legal aid, court accompaniment, "
        "counseling referrals and outreach.",
    ),
    "AGRICULTURE": (
        "Agricultural Specialist: crop production, soil and irrigation management, farm "
        "operations, pest control, livestock.",
        "Agronomist / farm manager: field trials, harvest planning, agricultural extension, "
        "USDA programs and food safety.",
    ),
    "APPAREL": (
        "Apparel Merchandiser: fashion retail, clothing assortments, visual merchandising, "
        "store sales floor and inventory.",
        "Fashion Designer, apparel: garment design, textiles, patterns, sourcing, production "
        "with factories, trend research.",
    ),
    "ARTS": (
        "Arts Program Coordinator: art education, exhibitions, museum and gallery programs, "
        "community arts events.",
        "Artist and art instructor: painting, drawing, sculpture, theater and music programs, "
        "teaching art classes.",
    ),
    "AUTOMOBILE": (
        "Automotive Technician: car repair, vehicle diagnostics, engine, brakes, maintenance, "
        "dealership service department.",
        "Automobile sales and service advisor: car dealership, vehicle sales, parts, warranty, "
        "auto body and inspections.",
    ),
    "AVIATION": (
        "Aviation Maintenance Technician: aircraft inspection and repair, FAA regulations, "
        "airframe and powerplant, flight line.",
        "Pilot / aviation operations: flight operations, air traffic, airport ground crew, "
        "aircraft safety and military aviation.",
    ),
    "BANKING": (
        "Personal Banker: bank branch, customer accounts, loans, deposits, teller operations, "
        "cross-selling financial products.",
        "Banking Operations Specialist: credit analysis, lending, compliance, anti-money "
        "laundering, branch management.",
    ),
    "BPO": (
        "BPO Customer Support Associate: call center, inbound and outbound calls, outsourcing "
        "process, customer service metrics.",
        "BPO Team Lead: process outsourcing operations, voice and non-voice processes, quality "
        "and SLA management, agents' shifts.",
    ),
    "BUSINESS-DEVELOPMENT": (
        "Business Development Manager: new business, lead generation, partnerships, client "
        "acquisition, negotiating deals, growth strategy.",
        "Business Development Representative: prospecting, market research, proposals, "
        "pipeline and CRM, building client relationships.",
    ),
    "CHEF": (
        "Executive Chef: kitchen management, menu development, food preparation, cooking, food "
        "cost and sanitation, line cooks.",
        "Sous Chef / Line Cook: restaurant kitchen, culinary arts, prep, catering, food safety "
        "and plating.",
    ),
    "CONSTRUCTION": (
        "Construction Superintendent: job site supervision, building projects, subcontractors, "
        "safety (OSHA), schedules and estimates.",
        "Construction worker / carpenter: framing, concrete, heavy equipment, blueprints, "
        "renovation and building trades.",
    ),
    "CONSULTANT": (
        "Management Consultant: client engagements, business process improvement, strategy, "
        "analysis and recommendations to executives.",
        "Consultant: advise clients, implement solutions, project delivery, requirements "
        "gathering, change management.",
    ),
    "DESIGNER": (
        "Graphic Designer: Adobe Photoshop, Illustrator, InDesign, branding, layouts, print "
        "and web design.",
        "Interior / product designer: design concepts, drawings, CAD, materials, client "
        "presentations and creative direction.",
    ),
    "DIGITAL-MEDIA": (
        "Digital Media Specialist: social media, content creation, video production, digital "
        "marketing campaigns, SEO and analytics.",
        "Digital Media Producer: online content, web and video editing, multimedia, digital "
        "advertising and audience growth.",
    ),
    "ENGINEERING": (
        "Mechanical Engineer: design, CAD, SolidWorks, testing, manufacturing processes and "
        "engineering analysis.",
        "Engineering Manager: lead engineers, technical projects, electrical and systems "
        "engineering, specifications and quality.",
    ),
    "FINANCE": (
        "Financial Analyst: financial modeling, forecasting, budgeting, variance analysis, "
        "Excel, reporting to management.",
        "Finance Manager: corporate finance, FP&A, cash flow, investments, financial planning "
        "and controls.",
    ),
    "FITNESS": (
        "Personal Trainer: fitness training, exercise programs, gym members, strength and "
        "conditioning, nutrition, health coaching.",
        "Fitness Instructor: group exercise classes, yoga, wellness programs, CPR certified, "
        "fitness center operations.",
    ),
    "HEALTHCARE": (
        "Registered Nurse: patient care, hospital, clinical assessments, medications, "
        "healthcare team, medical records.",
        "Healthcare Administrator: medical office, patient services, HIPAA, health care "
        "operations, clinic management.",
    ),
    "HR": (
        "HR Generalist: recruiting, onboarding, employee relations, benefits administration, "
        "payroll, HR policies and compliance.",
        "Human Resources Manager: talent acquisition, performance management, training and "
        "development, HRIS, labor law.",
    ),
    "INFORMATION-TECHNOLOGY": (
        "IT Specialist: help desk, desktop support, networks, servers, troubleshooting "
        "hardware and software, Active Directory.",
        "Information Technology Manager: IT infrastructure, systems administration, security, "
        "databases, IT projects.",
    ),
    "PUBLIC-RELATIONS": (
        "Public Relations Specialist: media relations, press releases, communications "
        "strategy, events and publicity.",
        "PR and Communications Manager: public relations campaigns, journalists, brand "
        "reputation, social media and messaging.",
    ),
    "SALES": (
        "Sales Representative: sell products, meet quotas, customer accounts, retail and "
        "outside sales, closing deals.",
        "Sales Associate / Sales Manager: store sales, customer service, sales targets, "
        "merchandising and cash register.",
    ),
    "TEACHER": (
        "Teacher: classroom instruction, lesson plans, students, curriculum, elementary or "
        "high school education, grading.",
        "Teacher / educator: teaching, classroom management, special education, parent "
        "communication, state standards.",
    ),
}


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float, float]:
    """The share and its 95% Wilson score interval."""
    if n == 0:
        return 0.0, 0.0, 0.0
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return p, max(0.0, centre - half), min(1.0, centre + half)


def _figure(successes: int, n: int) -> str:
    p, low, high = wilson(successes, n)
    return f"{p:.3f} [{low:.3f}, {high:.3f}] ({successes}/{n})"


def _rows() -> list[dict[str, str]]:
    with gzip.open(RESUMES, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _parse_all(rows: list[dict[str, str]]) -> list[ParsedResume | None]:
    normalizer = default_normalizer()
    parsed: list[ParsedResume | None] = []
    for row in rows:
        try:
            parsed.append(parse_resume(row["text"], normalizer, today=TODAY))
        except InvalidInput:
            parsed.append(None)
    return parsed


def _present_sections(text: str) -> set[str]:
    lines = {line.strip().lower() for line in text.splitlines()}
    return {name for name, headings in SECTION_HEADINGS.items() if lines & set(headings)}


def _extraction(rows: list[dict[str, str]], parsed: list[ParsedResume | None]) -> dict[str, Any]:
    n = len(rows)
    checks: dict[str, Callable[[ParsedResume], object]] = {
        "headline": lambda p: p.headline,
        "summary": lambda p: p.summary,
        "skills": lambda p: p.skills,
        "years_of_experience": lambda p: p.years_of_experience is not None,
        "seniority": lambda p: p.seniority,
        "education": lambda p: p.education,
        "recent_titles": lambda p: p.recent_titles,
    }
    figures: dict[str, Any] = {"resumes": n}
    misses: dict[str, list[str]] = {}
    for field, check in checks.items():
        hits = [p is not None and bool(check(p)) for p in parsed]
        figures[f"share_{field}"] = _figure(sum(hits), n)
        misses[field] = [rows[i]["id"] for i, hit in enumerate(hits) if not hit]
    for name in SECTION_HEADINGS:
        present = [i for i, row in enumerate(rows) if name in _present_sections(row["text"])]
        found = [
            i
            for i in present
            if (p := parsed[i]) is not None and any(s.name == name for s in p.sections)
        ]
        figures[f"section_recall_{name}"] = _figure(len(found), len(present))
        misses[f"section_{name}"] = [rows[i]["id"] for i in present if i not in set(found)]
    with_edu = [p for p in parsed if p is not None and p.education]
    figures["education_with_degree_field_institution_year"] = _figure(
        sum(
            1
            for p in with_edu
            if all(e.degree and e.field and e.institution and e.year for e in p.education[:1])
        ),
        len(with_edu),
    )
    years = sorted(p.years_of_experience for p in parsed if p and p.years_of_experience)
    figures["years_median"] = years[len(years) // 2] if years else None
    skills = sorted(len(p.skills) for p in parsed if p)
    figures["skills_median_count"] = skills[len(skills) // 2] if skills else 0
    for field, ids in misses.items():
        if ids:
            print(f"  missing {field}: {len(ids)}, e.g. {ids[:WORST]}")
    return figures


def _embed(texts: Sequence[str]) -> Any:
    return model().encode(
        list(texts), batch_size=64, normalize_embeddings=True, convert_to_numpy=True
    )


def _acc_at_1(rows: list[dict[str, str]], parsed: list[ParsedResume | None]) -> dict[str, Any]:
    labels = [category for category, pair in POSTINGS.items() for _ in pair]
    postings = _embed([text for pair in POSTINGS.values() for text in pair])
    kept = [(row, p) for row, p in zip(rows, parsed, strict=True) if p is not None]
    variants = {
        "profile_text": [resume_profile_text(p) for _, p in kept],
        "raw_text": [row["text"] for row, _ in kept],
        "profile_text_without_headline": [
            resume_profile_text(replace(p, headline=None)) for _, p in kept
        ],
    }
    figures: dict[str, Any] = {"acc_postings": len(labels), "acc_resumes": len(kept)}
    correct: dict[str, np.ndarray[Any, Any]] = {}
    for name, texts in variants.items():
        with Timer() as timer:
            vectors = _embed(texts)
        best = np.argmax(vectors @ postings.T, axis=1)
        correct[name] = np.array(
            [labels[b] == row["category"] for b, (row, _) in zip(best, kept, strict=True)]
        )
        figures[f"acc@1_{name}"] = _figure(int(correct[name].sum()), len(kept))
        figures[f"embed_seconds_{name}"] = timer.seconds
    a, b = correct["profile_text"], correct["raw_text"]
    figures["profile_only_right"] = int((a & ~b).sum())
    figures["raw_only_right"] = int((~a & b).sum())
    return figures


async def main() -> None:
    rows = _rows()
    with Timer() as timer:
        parsed = _parse_all(rows)
    figures = _extraction(rows, parsed)
    figures["parse_seconds_total"] = timer.seconds
    if not SKIP_ACC:
        figures |= _acc_at_1(rows, parsed)
    report("resume_quality", figures)
