"""Use cases. Each takes its stores and clock as arguments, so tests can hand in others."""
