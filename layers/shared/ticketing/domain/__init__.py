"""Pure business rules: no AWS, no HTTP, no clock of its own."""
