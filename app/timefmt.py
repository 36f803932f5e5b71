"""Wire formats of times: ``YYYY-MM-DDTHH:MM:SSZ`` (activities) and the catalogue's forms."""
from __future__ import annotations

from datetime import datetime

WIRE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def to_wire(moment: datetime | str | None) -> str | None:
    """A stored time as ``2012-03-06T18:52:09Z`` (``None`` stays ``None``): a naive UTC
    datetime, or the ``YYYY-MM-DD HH:MM:SS`` text SQLite gives raw cursors."""
    if moment is None:
        return None
    if moment.__class__ is str:
        return f"{moment[:10]}T{moment[11:19]}Z"
    # isoformat pads years before 1000 to four digits (strftime's %Y does not on glibc)
    # and costs a tenth as much.
    return f"{moment.isoformat(timespec='seconds')}Z"  # type: ignore[union-attr]


def from_wire(text: str | None) -> datetime | None:
    """Parse ``2012-03-06T18:52:09Z`` back to a naive UTC datetime."""
    return None if text is None else datetime.strptime(text, WIRE_FORMAT)
