"""Skill normalization and extraction rules, on the packaged O*NET/ESCO-derived table."""

from __future__ import annotations

from importlib import resources

import pytest

from domain.skills import SkillNormalizer, default_normalizer

SKILLS = default_normalizer()


def extract(text: str) -> list[str]:
    return SKILLS.extract(text)


def test_reactjs_normalizes_to_react() -> None:
    assert SKILLS.canonical("ReactJS") == "React"
    assert SKILLS.canonical("react.js") == "React"


def test_k8s_is_kubernetes() -> None:
    assert SKILLS.canonical(" k8s ") == "Kubernetes"


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("aws", "AWS"),
        ("Amazon Web Services", "AWS"),
        ("js", "JavaScript"),
        ("ECMAScript", "JavaScript"),
        ("ts", "TypeScript"),
        ("nodejs", "Node.js"),
        ("node", "Node.js"),
        ("postgres", "PostgreSQL"),
        ("psql", "PostgreSQL"),
        ("golang", "Go"),
        ("python3", "Python"),
        ("gcp", "Google Cloud Platform"),
        ("google cloud", "Google Cloud Platform"),
        ("ML", "Machine Learning"),
        ("nlp", "Natural Language Processing"),
        ("ci / cd", "CI/CD"),
        ("tf", "Terraform"),
        ("vuejs", "Vue.js"),
        ("nextjs", "Next.js"),
        ("csharp", "C#"),
        ("cpp", "C++"),
        ("dotnet", ".NET"),
        ("sklearn", "scikit-learn"),
        ("Scikit-Learn", "scikit-learn"),
        ("pytorch", "PyTorch"),
        ("tensorflow", "TensorFlow"),
        ("LLMs", "Large Language Models"),
    ],
)
def test_common_spellings_share_one_canonical_name(spelling: str, canonical: str) -> None:
    assert SKILLS.canonical(spelling) == canonical


@pytest.mark.parametrize(
    ("onet_name", "canonical"),
    [
        ("Atlassian JIRA", "Jira"),
        ("Oracle Java", "Java"),
        ("Apache Kafka", "Kafka"),
        ("The MathWorks MATLAB", "MATLAB"),
        ("Microsoft Power BI", "Power BI"),
        ("Structured query language SQL", "SQL"),
        ("Amazon Web Services AWS software", "AWS"),
        ("IBM Terraform", "Terraform"),
    ],
)
def test_onet_vendor_names_map_to_industry_names(onet_name: str, canonical: str) -> None:
    assert SKILLS.canonical(onet_name) == canonical


def test_esco_alternative_labels_are_synonyms() -> None:
    assert SKILLS.canonical("Lightweight Directory Access Protocol") == "LDAP"
    assert SKILLS.canonical("Jenkins CI") == "Jenkins"


def test_onet_generic_categories_are_not_skills() -> None:
    assert not SKILLS.is_known("Spreadsheet software")
    assert not SKILLS.is_known("Word processing software")


def test_unknown_skill_keeps_its_spelling_trimmed() -> None:
    assert not SKILLS.is_known("Basket  weaving")
    assert SKILLS.canonical("  Basket  weaving ") == "Basket weaving"


def test_normalize_many_merges_synonyms_in_first_mention_order() -> None:
    names = ["reactjs", "K8s", "React", " ", "kubernetes", "Rust"]
    assert SKILLS.normalize_many(names) == ["React", "Kubernetes", "Rust"]


def test_every_canonical_name_of_the_table_maps_to_itself() -> None:
    table = resources.files("domain.data").joinpath("skills.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in table.splitlines()[3:] if line]
    assert len(rows) > 5000
    assert all(SKILLS.canonical(canonical) == canonical for _, canonical, _ in rows)


def test_extraction_finds_cpp_and_csharp() -> None:
    assert extract("We write C++ and C# services.") == ["C++", "C#"]


def test_extraction_keeps_dotted_and_slashed_names_whole() -> None:
    text = "Ship .NET and Node.js apps through CI/CD on ASP.NET Core; Next.js front end."
    assert extract(text) == [".NET", "Node.js", "CI/CD", "ASP.NET", "Next.js"]


def test_extraction_ignores_go_as_a_verb() -> None:
    text = (
        "Still think you'd be great for the job? Go ahead, apply anyway.\n"
        " - Go beyond the obvious.\n"
        "Partner with our Go-To-Market team and the Go To Market leaders."
    )
    assert "Go" not in extract(text)


def test_extraction_finds_go_written_as_a_language() -> None:
    assert extract("Proficiency in Python, Go, or Bash.") == ["Python", "Go", "Bash"]
    assert extract("Experience with golang microservices") == ["Go", "Microservices"]
    assert extract("Staff Backend Engineer - Go") == ["Go"]
    assert "Go" not in extract("we go to great lengths")


def test_extraction_finds_r_and_c_only_in_lists_of_languages() -> None:
    assert extract("Proficiency in SQL, Python or R") == ["SQL", "Python", "R"]
    assert extract("firmware in C/C++ on embedded Linux") == ["C", "C++", "Linux"]
    text = "Our R&D team closed a Series C, and reports to the C-suite. Python is a plus."
    assert extract(text) == ["Python"]


def test_extraction_ignores_excel_as_a_verb() -> None:
    assert extract("You excel at communication.\n - Excel in ambiguity") == []
    assert extract(" - Advanced Excel skills") == ["Microsoft Excel"]


def test_extraction_ignores_american_express_and_spring_health() -> None:
    text = "Our team comes from Stripe, American Express and Visa. Benefits: Spring Health, Zoom."
    assert extract(text) == []


def test_extraction_prefers_the_longest_spelling() -> None:
    text = "React Native apps and a Ruby on Rails API on Amazon Web Services."
    assert extract(text) == ["React Native", "Ruby on Rails", "AWS"]


def test_extraction_orders_by_first_mention_without_duplicates() -> None:
    text = "Postgres, Kubernetes (k8s), PostgreSQL, K8S and psql."
    assert extract(text) == ["PostgreSQL", "Kubernetes"]


def test_extraction_respects_the_limit() -> None:
    text = "Python, Java, Kotlin, Scala, Rust, TypeScript"
    assert SKILLS.extract(text, limit=3) == ["Python", "Java", "Kotlin"]
    assert SKILLS.extract(text, limit=0) == []


def test_extraction_skips_companies_named_in_a_blurb() -> None:
    text = "We have notable customers like Notion, Shopify, and Snowflake. You know dbt and SQL."
    assert extract(text) == ["dbt", "SQL"]
    assert extract("Used at Intel, Canva https://www.linkedin.com/company/canva/ and more") == []


def test_extraction_of_normalization_only_spellings_is_off() -> None:
    assert SKILLS.canonical("AI") == "Artificial Intelligence"
    assert extract("We are an AI company. You use Zoom and Slack.") == []


def test_extraction_of_empty_text_is_empty() -> None:
    assert extract("") == []
    assert extract("   \n ") == []


def test_a_plain_mapping_builds_a_working_normalizer() -> None:
    skills = SkillNormalizer({"reactjs": "React", "k8s": "Kubernetes"})
    assert skills.canonical("ReactJS") == "React"
    assert skills.is_known("kubernetes")
    assert skills.extract("React on k8s, then ReactJS again") == ["React", "Kubernetes"]


def test_exact_spellings_are_extracted_only_as_written() -> None:
    skills = SkillNormalizer({"Go": "Go", "golang": "Go"}, {"Go": "exact"})
    assert skills.extract("we go home") == []
    assert skills.extract("services in Go and Python") == ["Go"]
    assert skills.extract("GOLANG services") == ["Go"]


def test_never_spellings_normalize_but_are_not_extracted() -> None:
    skills = SkillNormalizer({"ai": "Artificial Intelligence"}, {"ai": "never"})
    assert skills.canonical("AI") == "Artificial Intelligence"
    assert skills.extract("AI first") == []
    assert skills.extract("AI and artificial intelligence") == ["Artificial Intelligence"]


def test_short_skill_names_inside_company_names_are_not_skills() -> None:
    normalizer = default_normalizer()
    assert normalizer.extract("Customer Service Rep - Check 'n Go") == []
    assert normalizer.extract("Merchandiser - SAS Retail Services") == []


def test_short_skill_names_with_technical_context_are_skills() -> None:
    normalizer = default_normalizer()
    assert normalizer.extract("Go developer") == ["Go"]
    assert normalizer.extract("SAS programming") == ["SAS"]
