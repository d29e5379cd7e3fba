"""The city server: HTTP API, authentication, per-commune authorization, the server store
(SQLite by default, PostgreSQL in production) and its admin CLI.

Imports ``sync.protocol`` only from the client side of the code base, and loads shared data
from ``resources/``. Never imports ``app`` or ``ui``.
"""
