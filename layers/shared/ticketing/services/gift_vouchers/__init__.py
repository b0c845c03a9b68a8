"""E-gift value vouchers of campaigns (seed 004), one module per step of their life.

- ``campaigns``: an issuer creates and changes its campaigns; organizer and reviewer read them.
- ``issuing``: the programme issues a voucher per points transaction (``external_ref``).
- ``delivery``: the voucher's SMS and mail, after the issue is committed (outbox pattern).
- ``page``: what the member's public page ``/g/{token}`` shows.
- ``bulk``: a list of up to 100,000 recipients (JSON, CSV, Excel), issued behind a queue.
"""
