"""Public pages for customers: server-rendered HTML that talks to the public API (no key)."""
