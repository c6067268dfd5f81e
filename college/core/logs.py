import json
import logging
from datetime import UTC, datetime

# Only these extra attributes reach the log line; anything else passed as `extra` is dropped,
# so a careless call cannot leak a name or an address into the logs.
ALLOWED_EXTRA = (
    "method",
    "route",
    "view",
    "status",
    "duration_ms",
    "cpu_ms",
    "public_cache",
    "user_id",
    "role",
    "event",
    "object_id",
    "count",
)


class JsonFormatter(logging.Formatter):
    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ALLOWED_EXTRA:
            if hasattr(record, key):
                line[key] = getattr(record, key)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)
