"""Writing a file a person asked for (a printed slip, a register, an export) safely.

The file is written beside its place and then moved there, so a failure leaves no half file;
it is readable by its owner only, since these files hold personal data. Any thread.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_private_file(path: Path, data: bytes) -> None:
    """Write ``data`` at ``path`` (atomically, mode 0600); ``OSError`` when it cannot."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(suffix=path.suffix, prefix=".communedesk-",
                                         dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
