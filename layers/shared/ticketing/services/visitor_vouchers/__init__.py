"""Visitor vouchers of exhibitors (seed 000), one module per step of their life.

- ``batches``: an exhibitor orders a batch of codes and downloads it (the overview).
- ``worker``: the codes and the Excel file are made behind a queue.
- ``registration``: a visitor redeems a code by registering for a free ticket.
- ``billing``: who registered, and what an exhibitor is billed (only what was used).
- ``validity``: vouchers end, expire, and are extended by the organizer.
"""
