"""Pure business rules of jobmatch: no I/O, no clock, no randomness, no framework imports."""
