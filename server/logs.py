"""What ``communedesk-server serve`` logs, and how: one JSON object a line on stderr.

The request log (``communedesk.server``, one line a request from ``server/gate.py``) holds the
time, method, path (no query string), status and milliseconds: never a token, password, body or
personal data. uvicorn's own messages (start, stop, errors) keep its format on the same stream.
A reverse proxy or journald collects the lines; ``jq`` reads them.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

_RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message", "asctime", "color_message", "taskName"}


class JsonLines(logging.Formatter):
    """``{"time", "level", "event", …the record's extra fields, "error"?}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(), "event": record.getMessage()}
        line.update((key, value) for key, value in vars(record).items()
                    if key not in _RECORD_FIELDS)
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def serve_log_config() -> dict[str, Any]:
    """uvicorn's ``log_config``: its own loggers as it sets them, ``communedesk.server`` as
    JSON lines at INFO. Every worker process applies it."""
    from uvicorn.config import LOGGING_CONFIG

    config = json.loads(json.dumps(LOGGING_CONFIG))  # a copy to extend
    config["formatters"]["json"] = {"()": f"{__name__}.JsonLines"}
    config["handlers"]["json"] = {"class": "logging.StreamHandler", "formatter": "json",
                                  "stream": "ext://sys.stderr"}
    config["loggers"]["communedesk.server"] = {"handlers": ["json"], "level": "INFO",
                                               "propagate": False}
    return config
