"""The ticket and voucher platform's shared package (deployed as the Lambda layer).

Layers, in one direction only: ``api`` (request parsing for handlers) -> ``services`` (use
cases) -> ``domain`` (pure rules); services reach AWS only through ``adapters``.
"""
