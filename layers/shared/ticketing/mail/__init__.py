"""Transactional mail: what a message says (templates) and the request that asks for one."""
