"""`python -m schema` rewrites schema/schema.graphql, the committed SDL."""

from pathlib import Path

from schema import build_schema

if __name__ == "__main__":
    target = Path(__file__).parent / "schema.graphql"
    target.write_text(build_schema().as_str() + "\n", encoding="utf-8")
    print(f"wrote {target}")
