"""The two stream shapes the formats are read from and written to, and exact reads."""

from typing import Any, Protocol


class Reader(Protocol):
    """Anything with `read(n)`: a file, a socket's file, a request's body."""

    def read(self, size: int = -1, /) -> bytes: ...


class Writer(Protocol):
    """Anything with `write(data)`."""

    def write(self, data: bytes, /) -> Any: ...


def read_exact(reader: Reader, size: int) -> bytes:
    """Read `size` bytes, fewer only at the end of the stream."""
    parts = []
    wanted = size
    while wanted:
        part = reader.read(wanted)
        if not part:
            break
        parts.append(part)
        wanted -= len(part)
    return parts[0] if len(parts) == 1 else b"".join(parts)
