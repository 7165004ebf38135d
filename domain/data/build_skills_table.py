"""Developer script: writes skills.tsv from O*NET 29.2 and ESCO 1.2 (never imported by the app)."""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

# Canonical: synonyms. ! exact case, ~ exact case in a list of skills, ? never extracted (as are
# taxonomy names mostly used as words). O*NET's "Atlassian JIRA" etc. join these entries by itself.
CURATED = """
Python: python3,python 3,py?; Java: core java; JavaScript: js,ecmascript,es6,vanilla js
TypeScript: ts?; Go!: golang,go lang,go programming; C~: c language,c programming
Rust!: rustlang,rust lang,Rust programming language; C++: cpp,c plus plus; Objective-C: objc
C#: csharp,c sharp,Visual C#; .NET: dotnet,dot net,.net framework,.net core; Ruby!: ruby lang
ASP.NET: asp .net,asp.net core,asp.net mvc; Ruby on Rails: rails!,ror?,RoR!; Kotlin
Swift!: swift lang; SwiftUI; Elixir; Clojure; OCaml; F#; Dart!; Lua; R~: r language,r programming
Julia!; SAS!: SAS software; Stata!; Bash: bash scripting
Shell scripting: shell script,shell scripts; PowerShell; PL/SQL: plsql; T-SQL: Transact-SQL,tsql
HTML: html5; CSS: css3; Sass: scss; VHDL; WebAssembly: wasm; Fortran; React!: reactjs,react.js
React Native: react-native; Next.js: nextjs,next js; Vue.js: vue,vuejs,vue js; Nuxt.js: nuxt
Angular: angularjs,angular.js; Svelte; SvelteKit; Redux; Tailwind CSS: Tailwind!; Bootstrap!
Webpack; Vite!; REST APIs: REST!,restful,rest api,restful api; gRPC
WebSockets: websocket,web sockets; Three.js: threejs; D3.js: d3js,D3!; Storybook; Jest!; Cypress!
Playwright!; pytest; Vitest; Node.js: nodejs,node js,Node!; Express.js: expressjs,Express~; Flask!
FastAPI; Spring Framework: Spring~; Hibernate: Hibernate ORM; Laravel; NestJS; Electron; Prisma
tRPC; Deno; Kafka; PySpark; Spark!; Airflow!; Flink; dbt!: data build tool; Dagster; Fivetran; Trino
Databricks; Snowflake!; BigQuery: big query; Amazon Redshift: redshift; PostgreSQL: postgres,psql
JSON; XML; SQLite; MongoDB: mongo,mongo db; Elasticsearch: elastic search; OpenSearch; Cassandra
DynamoDB: dynamo db; Microsoft SQL Server: sql server,mssql,ms sql; Oracle Database: oracle db
ClickHouse; Neo4j; pgvector; Pinecone; Weaviate; Qdrant; Supabase; Firebase; RabbitMQ; Celery!
Vector databases: vector database,vector db; Hive~; AWS: amazon web services,aws cloud
Azure: azure cloud; Google Cloud Platform: gcp,google cloud; Kubernetes: k8s,kube?; Helm!
Terraform: tf?,hashicorp terraform; Pulumi; Chef~; Puppet~; Jenkins: Jenkins CI; GitHub Actions
GitHub Copilot; GitLab CI; CircleCI; Argo CD: argocd; Prometheus!; Grafana; Datadog
Splunk: Splunk Enterprise; New Relic; Sentry!; OpenTelemetry; Istio; Nginx; Linux; Unix
Red Hat Enterprise Linux: rhel; Ubuntu; Windows Server; Serverless; AWS Lambda: Lambda~
Amazon EC2: ec2; Amazon S3: s3; CloudFormation: AWS CloudFormation; Amazon EKS: eks; Kinesis
Amazon SageMaker: sagemaker; Vertex AI; OpenShift; Vercel; Heroku; Cloudflare; eBPF
Infrastructure as Code: iac; HashiCorp Vault; Bazel; Gradle; Apache Maven: Maven~; Protobuf
CI/CD: cicd,continuous integration,continuous delivery,continuous deployment
Site Reliability Engineering: sre?; Bitbucket; Subversion: svn; Okta; Microservices: microservice
Distributed systems: distributed system; TCP/IP; Jamf; CrowdStrike
Machine Learning: ML!,machine-learning; Deep Learning; Natural Language Processing: nlp; JAX!
Computer Vision; Large Language Models: llm,llms,large language model; Generative AI: genai,gen ai
Artificial Intelligence?: AI?; PyTorch: torch?; Keras; scikit-learn: sklearn; SciPy
Hugging Face: huggingface; LangChain; LlamaIndex; RAG!: retrieval augmented generation
Reinforcement Learning: RL!; RLHF; MLOps; MLflow; Weights & Biases: wandb; XGBoost; LightGBM
Jupyter: jupyter notebook,jupyter notebooks; CUDA; TensorRT; ONNX; vLLM; Prompt engineering
Data Science; Data Analysis: data analytics; Data Engineering
Data Visualization: data visualisation; A/B testing: ab testing,split testing; ETL!: elt?
Data warehousing: data warehouse; Statistics?; Data modeling: data modelling; Power BI: powerbi
Power Query; Looker!; Metabase; Looker Studio: google data studio; Mixpanel; Amplitude~; PostHog
Google Analytics: ga4; SPSS; Microsoft Excel: Excel!,ms excel; Alteryx
Salesforce: sfdc,salesforce crm; CRM; Zapier; HubSpot: hubspot crm
Marketo: Marketo Marketing Automation; Salesloft; ZoomInfo; Zendesk; Gong~; Intercom!; Outreach~
Braze; Klaviyo; Airtable; Retool; Miro; Jira: jira software; Confluence; Asana!; Notion~; Sketch~
Framer~; Canva!; Adobe Photoshop: photoshop; Blender; Adobe Illustrator: Illustrator?
Adobe InDesign: indesign; Adobe After Effects: after effects
Adobe Creative Cloud: adobe creative suite,adobe cc; Webflow; Shopify!; Twilio; Xero
NetSuite: netsuite erp,oracle netsuite; SAP!: SAP software; QuickBooks: quickbooks online; Gusto!
Workday!; Microsoft Office: ms office,microsoft office suite; Rippling; Zuora
Google Workspace: g suite,gsuite; Microsoft PowerPoint: powerpoint; Microsoft Word: Word?,ms word
Active Directory: Microsoft Active Directory; Cybersecurity: cyber security,information security
SIEM; SOC 2: soc2,soc ii; ISO 27001: iso / iec 27001; Penetration testing: pen testing,pentesting
Burp Suite; Flutter; Jetpack Compose; UIKit; Unity!: Unity3D; Unreal Engine: Unreal!
Agile!: agile methodology,agile development; Scrum; Kanban
TDD: test-driven development,test driven development; Functional programming; FactSet
Object-oriented programming: oop,object oriented programming; System design; UI design; PitchBook
UX design: ui / ux,ux / ui,ui / ux design,user experience design; User research; Copywriting
SEO: search engine optimization,search engine optimisation; SEM: search engine marketing; GAAP
Google Ads: adwords; Financial modeling: financial modelling; Bloomberg Terminal; Cerner
Embedded systems: embedded software; FPGA; RTOS; PCB design; Altium Designer: altium; KiCad
SolidWorks; AutoCAD; Revit; GIS; ROS!: robot operating system; Simulink; LabVIEW; Blockchain
Ethereum; Web3; OpenAPI: swagger; Epic Systems: Epic!; Google?; Facebook?; TikTok?; Zoom?; Slack?
Microsoft Teams?; Cisco Webex?; Eclipse Jersey?; Absorb?; Canvas?; Scratch?; Eclipse?; Shiva?; RAGE?
Frostbite?; APL?; BlackBerry?; STAF?; Sakai?; Cisco?; Project Anarchy?; Google Docs?; Pascal?
"""
VENDOR = re.compile(
    r"^(Microsoft|Adobe|Autodesk|Oracle|Apache|Amazon|Google|IBM|Atlassian|Apple|Intuit|SAP|Cisco|"
    r"The MathWorks|Dassault Systemes|Trimble|Bentley|Red Hat|ESRI|Corel|Siemens|Salesforce) "
)
MARKS = {"!": "exact", "~": "list", "?": "never"}
TOKEN = re.compile(r"\.?\w+(?:\.\w+)*(?:\+\+|#)?|(?<=\w)-\w+|[^\w\s]")  # as domain/skills.py
ACRONYM = re.compile(r"[A-Z][A-Z0-9/&+]*[A-Z0-9]$")
JUNK_ALT = re.compile(r"techniques|principles|paradigm|algorithm|knowledge of|coding in")


def key(spelling: str) -> str:
    return " ".join(TOKEN.findall(spelling.lower()))


class Table:
    """Spellings by key. The first source to claim a key wins, so sources come by priority."""

    def __init__(self, lexicon: set[str]) -> None:
        self.rows: dict[str, tuple[str, str, str]] = {}  # key -> (spelling, canonical, match)
        self.lexicon = lexicon

    def is_prose(self, spelling: str) -> bool:
        return set(key(spelling).split()) <= self.lexicon

    def match(self, spelling: str, extract: bool) -> str:
        if not extract or not re.search("[A-Za-z]", spelling):
            return "never"
        return "list" if len(spelling) == 1 else "never" if self.is_prose(spelling) else "any"

    def add(self, names: list[tuple[str, str]], resolve: tuple[str, ...] = ()) -> None:
        """(spelling, match) pairs join the canonical of the first known spelling, else names[0]."""
        keys = [key(spelling) for spelling in [*(n for n, _ in names), *resolve]]
        canonical = next((self.rows[k][1] for k in keys if k in self.rows), names[0][0])
        for spelling, match in names:
            if key(spelling) and key(spelling) not in self.rows and len(spelling) <= 80:
                self.rows[key(spelling)] = (spelling, canonical, match)


def add_onet(table: Table, example: str, hot: bool) -> None:
    """A trailing acronym of a descriptive name ("Structured query language SQL") is canonical."""
    name = re.sub(r"\s+software$", "", example.strip())
    words = name.split()
    names = [(name, table.match(name, hot))]
    last, phrase = words[-1], " ".join(words[:-1])
    in_order = ".*".join(re.sub("[^a-z]", "", last.lower()))
    if len(words) > 2 and ACRONYM.match(last) and re.search(in_order, phrase.lower()):
        names = [(last, "never"), (phrase, table.match(phrase, hot))]
        if not all(w.islower() for w in words[1:-1]):
            names.reverse()  # a product name ("Amazon Simple Storage Service S3") stays canonical
    product = VENDOR.sub("", names[0][0], count=1)
    if product != names[0][0] and not table.is_prose(product) and not ACRONYM.match(product):
        camel_case = re.search("[A-Z0-9]", product[1:]) is not None  # "SharePoint", not "Docs"
        names.append((product, table.match(product, hot and camel_case)))
    suffixes = (" ".join(words[1:]), " ".join(words[2:]))
    table.add([*names, (example, names[0][1])], tuple(s for s in suffixes if not table.is_prose(s)))


def add_esco(table: Table, label: str, alt_labels: str) -> None:
    """ESCO altLabels mix synonyms with merely related tools; only evident equivalents are kept."""
    name = re.sub(r"\s*\(.*\)$", "", label).strip()
    words = name.split()
    proper = re.search("[A-Z]", name[1:]) is not None or (len(words) == 1 and name[0].isupper())
    extract = proper and not name.startswith("ICT ") and len(words) <= 4
    core = {w for w in key(name).split() if len(w) > 2 and w not in table.lexicon}
    alts = [a.strip() for a in alt_labels.split(" | ") if a.strip() and not JUNK_ALT.search(a)]
    initial = {t: "".join(w[0] for w in t.split() if w[0].isalpha()).upper() for t in [name, *alts]}
    same = [
        a for a in alts if core & set(key(a).split()) or name == initial[a] or a == initial[name]
    ]
    table.add([(name, table.match(name, extract))] + [(a, "never") for a in [label, *same]])


def lexicon_of(esco: Path, onet: Path) -> set[str]:
    """Words written in lower case in occupation descriptions are English, not product names."""
    texts = [(onet / "Occupation_Data.txt").read_text(encoding="utf-8")]
    for path in (esco / "occupations_en.csv", esco / "digitalSkillsCollection_en.csv"):
        with path.open(encoding="utf-8") as f:
            texts += (record["description"] for record in csv.DictReader(f))
    return set(re.findall(r"\b[a-z]+\b", "\n".join(texts)))


def build(taxonomy: Path) -> list[tuple[str, str, str]]:
    esco, onet = taxonomy / "esco", taxonomy / "onet"
    table = Table(lexicon_of(esco, onet))
    for entry in re.split(r"; |\n", CURATED.strip()):
        head, _, tail = entry.partition(": ")
        table.add(
            [(s.rstrip("!~?"), MARKS.get(s[-1], "any")) for s in [head, *tail.split(",")] if s]
        )
    with (esco / "digitalSkillsCollection_en.csv").open(encoding="utf-8") as f:
        knowledge = [r for r in csv.DictReader(f) if r["skillType"] == "knowledge"]
    for record in sorted(knowledge, key=lambda r: r["preferredLabel"]):
        add_esco(table, record["preferredLabel"], record["altLabels"])
    with (onet / "Technology_Skills.txt").open(encoding="utf-8") as f:
        records = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    hot = {r["Example"] for r in records if "Y" in (r["Hot Technology"], r["In Demand"])}
    for example in sorted(hot) + sorted({r["Example"] for r in records} - hot):
        words = example.split()
        # O*NET also lists plain categories ("Spreadsheet software") among its examples.
        if len(words) == 1 or not all(w.islower() for w in words[1:]) or ACRONYM.match(words[-1]):
            add_onet(table, example, example in hot)
    return sorted(table.rows.values(), key=lambda r: (r[1].lower(), r[1], r[0] != r[1], r[0]))


def main() -> None:
    default = Path(__file__).resolve().parents[3] / "shared" / "data" / "taxonomy"
    rows = build(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
    out = Path(__file__).with_name("skills.tsv")
    with out.open("w", encoding="utf-8", newline="\n") as f:
        f.write(
            "# O*NET 29.2 and ESCO 1.2 derived (CC BY 4.0, ATTRIBUTION.md); build_skills_table.py\n"
            "# match: any (any case), exact (as written), list (as written, among skills), never.\n"
            "spelling\tcanonical\tmatch\n"
        )
        f.writelines(f"{spelling}\t{canonical}\t{match}\n" for spelling, canonical, match in rows)
    print(f"{len(rows)} rows, {out.stat().st_size // 1024} KB: {out}")


if __name__ == "__main__":
    main()
