"""Use cases behind the GraphQL fields and the command line: permissions, transactions, calls."""
