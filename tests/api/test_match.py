"""Job.match and whatIf through the API: SPEC §4 worked examples on the real model."""

from __future__ import annotations

from decimal import Decimal

from tests.api.conftest import GraphQLClient
from tests.api.feed_support import EXPLANATION, candidate, post, recruiter

MATCH = f"query($id: ID!, $preset: ScoringPreset) {{ job(id: $id) {{ match(preset: $preset) {{ {EXPLANATION} }} }} }}"
WHAT_IF = f"""
mutation($jobId: ID!, $add: [String!], $years: Float, $preset: ScoringPreset) {{
  whatIf(jobId: $jobId, addSkills: $add, yearsOfExperience: $years, preset: $preset) {{
    previousScore delta explanation {{ {EXPLANATION} }}
  }}
}}
"""
ADA = {
    "headline": "Senior full-stack engineer",
    "skills": ["Python", "Amazon Web Services", "k8s", "ReactJS"],
    "seniority": "SENIOR",
    "yearsOfExperience": 6,
    "preferredLocations": ["Austin, TX"],
    "remotePreference": "ONSITE",
    "salaryMin": 120000,
    "salaryMax": 150000,
    "salaryCurrency": "USD",
}
FULL_STACK = {
    "description": "Build our product with Python on AWS, Kubernetes, React and PostgreSQL.",
    "skills": ["Python", "AWS", "Kubernetes", "React", "PostgreSQL"],
    "seniority": "SENIOR",
    "location": "Austin, TX",
    "experienceMin": 5,
    "experienceMax": 8,
    "salaryMin": 130000,
    "salaryMax": 160000,
    "salaryCurrency": "USD",
}


def _values(explanation: dict) -> dict[str, float]:
    return {f["name"]: f["value"] for f in explanation["factors"]}


def _contributions_add_up(explanation: dict) -> None:
    total = sum(Decimal(str(f["contribution"])) for f in explanation["factors"])
    assert total == Decimal(str(explanation["score"]))


async def _setup(gql: GraphQLClient) -> tuple[str, str]:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    job = await post(gql, boss, "Senior Full-Stack Engineer", **FULL_STACK)
    return await candidate(gql, "ada@example.com", ADA), job


async def test_five_factor_match_of_the_worked_example(gql: GraphQLClient) -> None:
    ada, job = await _setup(gql)
    match = (await gql.ok(MATCH, {"id": job, "preset": "FIVE_FACTOR"}, token=ada))["job"]["match"]
    values = _values(match)
    assert (values["skills"], values["experience"], values["location"], values["salary"]) == (
        80,
        100,
        100,
        100,
    )
    assert match["matchedSkills"] == ["Python", "AWS", "Kubernetes", "React"]
    assert match["missingSkills"] == ["PostgreSQL"]
    assert (match["preset"], match["presetVersion"]) == ("FIVE_FACTOR", "1")
    _contributions_add_up(match)
    assert match["score"] >= 82 and match["grade"] in ("A", "A_PLUS") and match["recommended"]


async def test_match_defaults_to_swipe_hybrid_and_every_preset_adds_up(gql: GraphQLClient) -> None:
    ada, job = await _setup(gql)
    default = (await gql.ok(MATCH, {"id": job}, token=ada))["job"]["match"]
    assert default["preset"] == "SWIPE_HYBRID"
    assert {f["name"] for f in default["factors"]} == {
        "semantic",
        "skill_overlap",
        "seniority",
        "recency_decay",
        "location_match",
    }
    assert 0.3 < _values(default)["semantic"] / 100 < 1
    for preset in (
        "SWIPE_HYBRID",
        "SEMANTIC_SKILLS",
        "RUBRIC",
        "SKILLS_FIRST",
        "FIVE_FACTOR",
        "LAYERED",
    ):
        match = (await gql.ok(MATCH, {"id": job, "preset": preset}, token=ada))["job"]["match"]
        assert match["preset"] == preset
        assert abs(sum(f["weight"] for f in match["factors"]) - 1) < 1e-9
        _contributions_add_up(match)


async def test_unknown_preset_is_a_validation_error(gql: GraphQLClient) -> None:
    ada, job = await _setup(gql)
    assert (
        await gql.error_code(MATCH, {"id": job, "preset": "MAGIC"}, token=ada) == "BAD_USER_INPUT"
    )
    inline = f'query {{ job(id: "{job}") {{ match(preset: MAGIC) {{ score }} }} }}'
    assert await gql.error_code(inline, token=ada) == "GRAPHQL_VALIDATION_FAILED"


async def test_match_is_for_candidates_only(gql: GraphQLClient) -> None:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    job = await post(gql, boss, "Senior Full-Stack Engineer", **FULL_STACK)
    assert await gql.error_code(MATCH, {"id": job}, token=boss) == "FORBIDDEN"


async def test_candidate_without_embedding_gets_a_neutral_semantic_factor(
    gql: GraphQLClient,
) -> None:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    job = await post(gql, boss, "Senior Full-Stack Engineer", **FULL_STACK)
    newcomer = await candidate(gql, "new@example.com", {})
    match = (await gql.ok(MATCH, {"id": job}, token=newcomer))["job"]["match"]
    assert _values(match)["semantic"] == 50
    assert any("No profile embedding yet" in gap for gap in match["gaps"])


async def test_what_if_adding_the_missing_skill_raises_the_score_by_its_weight(
    gql: GraphQLClient,
) -> None:
    ada, job = await _setup(gql)
    result = (await gql.ok(WHAT_IF, {"jobId": job, "add": ["postgres"]}, token=ada))["whatIf"]
    explanation = result["explanation"]
    assert _values(explanation)["skills"] == 100
    assert explanation["missingSkills"] == []
    assert result["delta"] == 8.0  # skills 80 -> 100 at weight 0.40
    assert round(result["previousScore"] + result["delta"], 2) == explanation["score"]
    before = (await gql.ok(MATCH, {"id": job, "preset": "FIVE_FACTOR"}, token=ada))["job"]["match"]
    assert before["score"] == result["previousScore"]  # nothing was saved


async def test_what_if_fewer_years_lowers_the_score(gql: GraphQLClient) -> None:
    ada, job = await _setup(gql)
    result = (await gql.ok(WHAT_IF, {"jobId": job, "years": 3}, token=ada))["whatIf"]
    assert _values(result["explanation"])["experience"] == 70  # 2 years below the minimum of 5
    assert result["delta"] == -7.5
    assert await gql.error_code(WHAT_IF, {"jobId": job, "years": -1}, token=ada) == "BAD_USER_INPUT"
