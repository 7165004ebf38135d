"""Query limits per role: depth, aliases, cost and validation work, in one pass before validation."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
    value_from_ast_untyped,
)
from graphql.type import SchemaMetaFieldDef, TypeMetaFieldDef
from strawberry.extensions import SchemaExtension

from domain.config import Settings
from domain.enums import Role
from domain.matching import MAX_PAGE
from schema.context import Context

# What a `first` argument's default is when we cannot see one, and what a plain list costs.
DEFAULT_PAGE = 20
LIST_FACTOR = 10
# Validation work caps: the same for every role, they keep graphql-core's rules fast.
MAX_FRAGMENTS = 100
MAX_FIELDS = 5000
MAX_MERGE_COMPARISONS = 10_000
MAX_WORK = 50_000
MAX_NESTING = 200
# Introspection is outside depth and costs its field count (GraphiQL's schema query nests ofType
# nine levels), so its own nesting, `ofType` aside, is capped: that query needs 5 levels.
MAX_INTROSPECTION_DEPTH = 6
_CAP = 10**15

Validate = Callable[[GraphQLSchema, DocumentNode, tuple[Any, ...]], list[GraphQLError]]


@dataclass(frozen=True)
class Limits:
    depth: int
    aliases: int
    cost: int


def limits_for(settings: Settings, role: Role | None) -> Limits:
    """The settings are the signed-in values; anonymous and platform admins get a percentage."""
    if role is None:
        percent = settings.anonymous_query_limits_percent
    elif role == Role.PLATFORM_ADMIN:
        percent = settings.admin_query_limits_percent
    else:
        percent = 100

    def scale(value: int) -> int:
        return max(1, value * percent // 100)

    return Limits(
        depth=scale(settings.max_query_depth),
        aliases=scale(settings.max_aliases),
        cost=scale(settings.max_query_cost),
    )


class TooComplex(Exception):
    def __init__(self, message: str, code: str = "QUERY_TOO_COMPLEX") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class _Group:
    """Fields sharing one response name at one level: count, sum and sum of squares of sizes."""

    count: int = 0
    size: int = 0
    squares: int = 0


@dataclass
class _Measure:
    fields: int = 0
    aliases: int = 0
    depth: int = 0
    cost: int = 0
    type_depth: int = 0
    groups: dict[str, _Group] = field(default_factory=dict)


@dataclass
class Report:
    """The worst operation's numbers, plus the work this pass and the overlap rule would do."""

    depth: int = 0
    aliases: int = 0
    cost: int = 0
    fields: int = 0
    introspection_depth: int = 0
    merge_comparisons: int = 0
    merge_name: str = ""
    merge_count: int = 0
    visited: int = 0


def _sat(value: int) -> int:
    return value if value < _CAP else _CAP


def _number(value: int) -> str:
    return str(value) if value < _CAP else f"more than {_CAP}"


def _merge_pairs(group: _Group) -> int:
    """An upper bound on the comparisons OverlappingFieldsCanBeMergedRule makes for one group:
    every pair, and for each pair every pair of fields beneath them."""
    pairs = group.count * (group.count - 1) // 2
    return _sat(pairs + (group.size * group.size - group.squares) // 2)


class _Analysis:
    def __init__(
        self, schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any] | None
    ) -> None:
        self.schema = schema
        self.report = Report()
        self.fragments: dict[str, FragmentDefinitionNode] = {}
        self.variables: dict[str, Any] = {}
        for definition in document.definitions:
            if isinstance(definition, FragmentDefinitionNode):
                self.fragments.setdefault(definition.name.value, definition)
            elif isinstance(definition, OperationDefinitionNode):
                for variable in definition.variable_definitions or ():
                    if variable.default_value is not None:
                        default = value_from_ast_untyped(variable.default_value)
                        self.variables.setdefault(variable.variable.name.value, default)
        if isinstance(variables, Mapping):
            self.variables.update(variables)
        self.memo: dict[str, _Measure] = {}
        self.open: set[str] = set()

    def tick(self, amount: int = 1) -> None:
        self.report.visited += amount
        if self.report.visited > MAX_WORK:
            raise TooComplex(
                f"Query is too complex: validating it needs more than {MAX_WORK} steps"
            )

    def run(self, document: DocumentNode) -> Report:
        if len(self.fragments) > MAX_FRAGMENTS:
            raise TooComplex(
                f"Query is too complex: {len(self.fragments)} fragments, the limit is {MAX_FRAGMENTS}"
            )
        for name in self.fragments:
            self.fragment(name, 0)
        report = self.report
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                root = self.schema.get_root_type(definition.operation)
                measure = self.selection_set(definition.selection_set, root, 0)
                report.depth = max(report.depth, measure.depth)
                report.aliases = max(report.aliases, measure.aliases)
                report.cost = max(report.cost, measure.cost)
                report.fields = max(report.fields, measure.fields)
        return report

    def selection_set(
        self, node: SelectionSetNode, parent: GraphQLNamedType | None, level: int
    ) -> _Measure:
        measure = _Measure()
        self.collect(node, parent, level, measure)
        for name, group in measure.groups.items():
            if group.count > 1:
                pairs = _merge_pairs(group)
                report = self.report
                report.merge_comparisons = _sat(report.merge_comparisons + pairs)
                if group.count > report.merge_count:
                    report.merge_name, report.merge_count = name, group.count
        return measure

    def collect(
        self, node: SelectionSetNode, parent: GraphQLNamedType | None, level: int, into: _Measure
    ) -> None:
        """Adds a selection set to `into`, inline fragments and spreads flattened into one level,
        as the overlapping-fields rule sees it."""
        if level > MAX_NESTING:
            raise TooComplex(f"Query is too complex: nested more than {MAX_NESTING} levels")
        for selection in node.selections:
            self.tick()
            if isinstance(selection, FieldNode):
                self.field(selection, parent, level, into)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                scope = self.schema.get_type(condition.name.value) if condition else parent
                self.collect(selection.selection_set, scope, level + 1, into)
            elif (
                isinstance(selection, FragmentSpreadNode) and selection.name.value in self.fragments
            ):
                self.merge(into, self.fragment(selection.name.value, level + 1))

    def fragment(self, name: str, level: int) -> _Measure:
        known = self.memo.get(name)
        if known is not None:
            return known
        if name in self.open:
            raise TooComplex(
                f"Cannot spread fragment '{name}' within itself.", "GRAPHQL_VALIDATION_FAILED"
            )
        self.open.add(name)
        definition = self.fragments[name]
        scope = self.schema.get_type(definition.type_condition.name.value)
        measure = self.selection_set(definition.selection_set, scope, level)
        self.open.discard(name)
        self.memo[name] = measure
        return measure

    def merge(self, into: _Measure, other: _Measure) -> None:
        self.tick(len(other.groups))
        into.fields = _sat(into.fields + other.fields)
        into.aliases = _sat(into.aliases + other.aliases)
        into.cost = _sat(into.cost + other.cost)
        into.depth = max(into.depth, other.depth)
        into.type_depth = max(into.type_depth, other.type_depth)
        for name, theirs in other.groups.items():
            ours = into.groups.setdefault(name, _Group())
            ours.count = _sat(ours.count + theirs.count)
            ours.size = _sat(ours.size + theirs.size)
            ours.squares = _sat(ours.squares + theirs.squares)

    def field(
        self, node: FieldNode, parent: GraphQLNamedType | None, level: int, into: _Measure
    ) -> None:
        name = node.name.value
        definition = self.definition(parent, name)
        fields, aliases, depth, cost, type_depth = 1, 1 if node.alias else 0, 0, 1, 0
        if node.selection_set is not None:
            child = get_named_type(definition.type) if definition else None
            below = self.selection_set(node.selection_set, child, level + 1)
            fields = _sat(1 + below.fields)
            aliases = _sat(aliases + below.aliases)
            type_depth = below.type_depth + (0 if name == "ofType" else 1)
            if name in ("__schema", "__type"):
                self.report.introspection_depth = max(self.report.introspection_depth, type_depth)
                cost = fields
            else:
                depth = 1 + below.depth
                cost = _sat(1 + self.multiplier(node, definition, parent) * below.cost)
        into.fields = _sat(into.fields + fields)
        into.aliases = _sat(into.aliases + aliases)
        into.cost = _sat(into.cost + cost)
        into.depth = max(into.depth, depth)
        into.type_depth = max(into.type_depth, type_depth)
        group = into.groups.setdefault((node.alias or node.name).value, _Group())
        group.count += 1
        group.size = _sat(group.size + fields)
        group.squares = _sat(group.squares + fields * fields)

    def definition(self, parent: GraphQLNamedType | None, name: str) -> GraphQLField | None:
        if parent is not None and parent is self.schema.query_type:
            if name == "__schema":
                return SchemaMetaFieldDef
            if name == "__type":
                return TypeMetaFieldDef
        if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            found: GraphQLField | None = parent.fields.get(name)
            return found
        return None

    def multiplier(
        self, node: FieldNode, definition: GraphQLField | None, parent: GraphQLNamedType | None
    ) -> int:
        """A page's `first` multiplies what each item selects; a plain list counts LIST_FACTOR,
        except the edges of a connection, whose `first` has counted them already."""
        if definition is None:
            return 1
        if "first" in definition.args:
            return self.page_size(node, definition.args["first"].default_value)
        if is_list_type(get_nullable_type(definition.type)):
            if parent is not None and parent.name.endswith("Connection"):
                return 1
            return LIST_FACTOR
        return 1

    def page_size(self, node: FieldNode, default: object) -> int:
        value: object = default if isinstance(default, int) else DEFAULT_PAGE
        for argument in node.arguments or ():
            if argument.name.value != "first":
                continue
            if isinstance(argument.value, IntValueNode):
                value = int(argument.value.value)
            elif isinstance(argument.value, VariableNode):
                value = self.variables.get(argument.value.name.value, value)
        if not isinstance(value, int) or isinstance(value, bool):
            return DEFAULT_PAGE
        return min(max(value, 0), MAX_PAGE)


def analyze(
    schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any] | None = None
) -> Report:
    """Linear in the document: each fragment is measured once and its numbers reused per spread.
    Raises TooComplex on a fragment cycle or when the pass itself would do too much work."""
    return _Analysis(schema, document, variables).run(document)


def check(report: Report, limits: Limits) -> TooComplex | None:
    if report.fields > MAX_FIELDS:
        return TooComplex(
            f"Query is too complex: it selects {_number(report.fields)} fields once fragments are "
            f"expanded, the limit is {MAX_FIELDS}"
        )
    if report.merge_comparisons > MAX_MERGE_COMPARISONS:
        return TooComplex(
            f"Query is too complex: {report.merge_count} fields share the response name "
            f"'{report.merge_name[:100]}' in one selection set; checking that they can merge "
            f"takes {_number(report.merge_comparisons)} comparisons, the limit is {MAX_MERGE_COMPARISONS}"
        )
    if report.introspection_depth > MAX_INTROSPECTION_DEPTH:
        return TooComplex(
            f"Query is too complex: introspection nests {report.introspection_depth} levels "
            f"(ofType aside), the limit is {MAX_INTROSPECTION_DEPTH}"
        )
    if report.depth > limits.depth:
        return TooComplex(
            f"Query is too complex: depth {report.depth} exceeds maximum operation depth "
            f"of {limits.depth}"
        )
    if report.aliases > limits.aliases:
        return TooComplex(
            f"Query is too complex: {report.aliases} aliases found, the limit is {limits.aliases}"
        )
    if report.cost > limits.cost:
        return TooComplex(
            f"Query is too complex: its cost is {_number(report.cost)} (fields times page and list "
            f"sizes), the limit is {limits.cost}"
        )
    return None


def _role(context: object) -> Role | None:
    if isinstance(context, Context) and context.viewer is not None:
        return context.viewer.role
    return None


class QueryLimits(SchemaExtension):
    """Runs before the standard rules and in their place when the document is over a limit,
    then validates through the schema's cache. One instance per request: it holds the context."""

    def __init__(self, settings: Settings, validate: Validate) -> None:
        self.settings = settings
        self.validate = validate

    def on_validate(self) -> Iterator[None]:
        execution = self.execution_context
        document = execution.graphql_document
        if document is not None and execution.validation_rules:
            graphql_schema: GraphQLSchema = execution.schema._schema
            limits = limits_for(self.settings, _role(execution.context))
            try:
                problem = check(analyze(graphql_schema, document, execution.variables), limits)
            except TooComplex as exc:
                problem = exc
            if problem is not None:
                execution.pre_execution_errors = [
                    GraphQLError(problem.message, extensions={"code": problem.code})
                ]
            else:
                execution.pre_execution_errors = self.validate(
                    graphql_schema, document, execution.validation_rules
                )
        yield
