"""The ticket and voucher platform's shared package (deployed as the Lambda layer).

Layers, in one direction only: ``api`` (request parsing for handlers) -> ``services`` (use
cases) -> ``domain`` (pure rules); services reach AWS only through ``adapters``.
"""

import gc

# Cold start: what is loaded by now (boto3, pydantic, Powertools) lives as long as the process.
# Moving it to the collector's permanent generation spares the rest of the import a full
# collection over it (about 50 ms of a function's cold start, bench/cold_start.py); nothing in
# it is garbage, and objects made later are collected as before.
gc.freeze()
