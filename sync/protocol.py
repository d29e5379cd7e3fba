"""The sync wire protocol (docs/sync-protocol.md, v1): constants, frame codec and wire shapes.

This module owns everything the client engine and the server must agree on byte for byte:

- the constants of §2 and §8 (path prefix, media type, header names, size limits);
- the frame codec of §4: ``encode_frame`` writes one frame, ``FrameReader`` decodes frames from
  byte chunks of any size (as they come off a socket), ``iter_frames`` wraps it for a whole body,
  and ``pack_frames`` groups operations or changes into frames of about ``TARGET_FRAME_BYTES``;
- the wire shapes of §5 (``Operation``, ``OpResult``, ``Change``) with their validation;
- cursors (§5.4) and the error envelope (§3).

Every malformed input raises ``ProtocolError`` with a ``code``. Decoding is bounded: a frame
declaring more than ``MAX_FRAME_LENGTH`` bytes is refused from its header alone, before it is
buffered, and a payload never inflates to more than ``MAX_FRAME_BYTES`` (the declared zstd content
size is checked before decompressing, and zstd itself refuses to write past it).

Pure Python without I/O: it only reads the byte chunks handed to it. Imports nothing of app/,
ui/ or server/ (server/ imports this module). Threading: functions and wire types are safe to use
from any thread (the zstd compressor is per thread); a ``FrameReader`` or a stream returned by
``iter_frames`` belongs to one reader at a time.
"""

from __future__ import annotations

import functools
import json
import re
import struct
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, NoReturn

import orjson
import zstandard

__all__ = [
    "API_PREFIX",
    "DEVICE_HEADER",
    "FRAMES_MEDIA_TYPE",
    "MAX_FRAME_BYTES",
    "MAX_FRAME_LENGTH",
    "MAX_INT",
    "MAX_OPS_PER_FRAME",
    "PROTOCOL_VERSION",
    "SERVER_TIME_HEADER",
    "TARGET_FRAME_BYTES",
    "VERSION_HEADER",
    "Change",
    "FrameKind",
    "FrameReader",
    "FrameStream",
    "OP_STATUSES",
    "OpResult",
    "Operation",
    "ProtocolError",
    "decode_frame",
    "encode_frame",
    "error_envelope",
    "format_cursor",
    "iter_frames",
    "pack_frames",
    "parse_cursor",
]

PROTOCOL_VERSION = 1
API_PREFIX = "/v1"
FRAMES_MEDIA_TYPE = "application/vnd.communedesk.frames"
VERSION_HEADER = "X-CommuneDesk-Version"
SERVER_TIME_HEADER = "X-Server-Time"
DEVICE_HEADER = "X-Device-Id"

MAX_FRAME_BYTES = 256 * 1024
"""Largest payload of a frame, as uncompressed UTF-8 JSON (§8)."""
MAX_OPS_PER_FRAME = 200
"""Most operations (or changes, or results) one frame carries (§8)."""
TARGET_FRAME_BYTES = 4 * 1024
"""Size a sender aims at for a whole frame on the wire, header included (§4)."""
MAX_FRAME_LENGTH = 1 + MAX_FRAME_BYTES + (MAX_FRAME_BYTES >> 8)
"""Largest value of a frame's length field: the kind byte plus zstd's worst-case compressed size
of ``MAX_FRAME_BYTES`` (ZSTD_COMPRESSBOUND), so every frame ``encode_frame`` writes is readable."""

MAX_INT = 2**63 - 1
"""Largest sequence number or revision (a signed 64-bit database column)."""

_HEADER = struct.Struct(">IB")  # length (bytes after this field), kind
_LENGTH = struct.Struct(">I")
_ZSTD_LEVEL = 3
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TYPE = re.compile(r"[a-z][a-z0-9_]{0,63}")
_CODE = re.compile(r"[a-z][a-z0-9_]{0,63}")
_PATH = re.compile(r"[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*")
_MAX_PATH = 100
_CURSOR = re.compile(r"e(0|[1-9][0-9]{0,18}):(0|[1-9][0-9]{0,18})")
_MAX_CURSOR = 41  # "e" + 19 digits + ":" + 19 digits + 1 spare


class FrameKind(IntEnum):
    """The kind byte of a frame (§4)."""

    OPS = 1  # client -> server: {"ops": [operation, ...]}
    RESULTS = 2  # server -> client: {"results": [result, ...], "applied_through": seq}
    PAGE = 3  # server -> client: {"changes": [change, ...], "cursor": "e1:42"}
    END = 4  # both: {"more": bool, ...}, the sender has nothing more in this request
    ERROR = 5  # server -> client: the error envelope of §3, then the stream ends


class ProtocolError(ValueError):
    """Bytes or values that break the protocol; ``code`` says which rule.

    Codes: ``bad_frame`` (unknown kind, bad length, bad zstd, bad JSON, payload not an object),
    ``frame_too_large`` (declared length or payload above the limits of §8), ``bad_payload`` (a
    value to encode is not JSON: NaN, a lone surrogate, a set...), ``bad_operation``,
    ``bad_result``, ``bad_change``, ``bad_cursor``. ``pack_frames`` sets ``item_index`` to the
    position of the item it could not send.
    """

    def __init__(self, code: str, message: str, *, item_index: int | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.item_index = item_index


# ------------------------------------------------------------------------------------ encoding

_local = threading.local()


def _compressor() -> zstandard.ZstdCompressor:
    """This thread's compressor (ZstdCompressor objects must not be shared between threads)."""
    compressor = getattr(_local, "compressor", None)
    if compressor is None:
        compressor = _local.compressor = zstandard.ZstdCompressor(level=_ZSTD_LEVEL)
    return compressor


def _dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON, as every frame payload is written."""
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        return text.encode("utf-8")
    except (TypeError, ValueError, RecursionError) as error:
        raise ProtocolError("bad_payload", f"not encodable as JSON: {error}") from None


def _as_kind(kind: int) -> FrameKind:
    try:
        return FrameKind(kind)
    except ValueError:
        raise ProtocolError("bad_frame", f"unknown frame kind {kind!r}") from None


def _frame_from_json(kind: FrameKind, body: bytes) -> bytes:
    if len(body) > MAX_FRAME_BYTES:
        raise ProtocolError(
            "frame_too_large", f"payload of {len(body)} bytes, the limit is {MAX_FRAME_BYTES}"
        )
    compressed = _compressor().compress(body)  # writes the content size in the zstd header
    return _HEADER.pack(len(compressed) + 1, kind) + compressed


def encode_frame(kind: FrameKind, payload: Mapping[str, Any]) -> bytes:
    """One frame: ``length:u32be kind:u8 zstd(JSON payload)``.

    Raises ProtocolError ``frame_too_large`` when the JSON exceeds ``MAX_FRAME_BYTES`` and
    ``bad_payload`` when the payload is not JSON (NaN, lone surrogates, other types).
    """
    kind = _as_kind(kind)
    return _frame_from_json(kind, _dumps(payload if isinstance(payload, dict) else dict(payload)))


# ------------------------------------------------------------------------------------ decoding


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


_DIGITS_AS_NINES = bytes.maketrans(b"012345678", b"999999999")
_LONG_NUMBER = b"9" * 19
"""A run of 19 digits (found as nines once every digit is one: ``bytes.translate`` and ``in``
take microseconds where a regular expression took half a millisecond a frame): perhaps an
integer beyond 64 bits, which orjson would read as a float."""


def _loads(raw: bytes) -> Any:
    """A frame payload's JSON value. orjson's when it takes the text and reads it as json does
    (json's decoder was a tenth of the server's CPU a pushed operation, and orjson's is about
    four times faster); json's, with json's error, for what orjson refuses (lone surrogates,
    NaN, deep nesting, bad UTF-8) and for text with a long digit run, where orjson would turn
    an integer beyond 64 bits into a float."""
    if _LONG_NUMBER not in raw.translate(_DIGITS_AS_NINES):
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise ProtocolError("bad_frame", f"payload is not UTF-8 JSON: {error}") from None


def _decode_payload(compressed: bytes, decompressor: zstandard.ZstdDecompressor) -> dict:
    """The JSON object inside one frame's zstd payload, never inflating past MAX_FRAME_BYTES."""
    try:
        size = zstandard.get_frame_parameters(compressed).content_size
    except zstandard.ZstdError as error:
        raise ProtocolError("bad_frame", f"payload is not a zstd frame: {error}") from None
    if size == zstandard.CONTENTSIZE_UNKNOWN:
        # Without a declared size the output could only be bounded by decompressing; every
        # conforming sender compresses a whole payload at once, which always declares it.
        raise ProtocolError("bad_frame", "zstd payload does not declare its content size")
    if size > MAX_FRAME_BYTES:
        raise ProtocolError(
            "frame_too_large", f"payload of {size} bytes, the limit is {MAX_FRAME_BYTES}"
        )
    try:
        inflater = decompressor.decompressobj()
        raw = inflater.decompress(compressed)  # zstd refuses to write past the declared size
    except zstandard.ZstdError as error:
        raise ProtocolError("bad_frame", f"bad zstd payload: {error}") from None
    if not inflater.eof or inflater.unused_data or len(raw) != size:
        raise ProtocolError("bad_frame", "zstd payload is truncated or followed by other bytes")
    payload = _loads(raw)
    if not isinstance(payload, dict):
        raise ProtocolError("bad_frame", f"payload is a JSON {type(payload).__name__}, not object")
    return payload


class FrameReader:
    """Incremental frame decoder: feed it byte chunks of any size, get whole frames back.

    A partial frame stays buffered until the rest arrives (``pending_bytes``). The declared length
    and the kind are checked as soon as the header bytes arrive, so an oversized frame is refused
    before any of its payload is buffered. After a ProtocolError the stream has lost its framing:
    the reader raises the same error on every later call.
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._length: int | None = None  # of the frame being buffered, once its header is read
        self._kind: FrameKind | None = None
        self._error: ProtocolError | None = None
        self._decompressor = zstandard.ZstdDecompressor()
        self.frames_read = 0

    @property
    def pending_bytes(self) -> int:
        """Bytes buffered of a frame not yet complete (0 at a frame boundary)."""
        return len(self._buffer)

    def feed(self, data: bytes | bytearray | memoryview) -> list[tuple[FrameKind, dict]]:
        """Add ``data``; return the frames it completed, in order.

        When a bad frame follows good ones in the same chunk, the good ones are returned and the
        error is raised by the next call (each frame is a commit point: none is lost to a later
        one's fault).
        """
        if self._error is not None:
            raise self._error
        self._buffer += data
        frames: list[tuple[FrameKind, dict]] = []
        try:
            while (frame := self._next_frame()) is not None:
                frames.append(frame)
        except ProtocolError:
            if not frames:
                raise
        return frames

    def close(self) -> int:
        """End of input: drop a partial frame and return how many bytes it had (0: none).

        Raises the error of a bad frame that ``feed`` has not raised yet.
        """
        if self._error is not None:
            raise self._error
        dropped = len(self._buffer)
        self._buffer.clear()
        self._length = self._kind = None
        return dropped

    def _next_frame(self) -> tuple[FrameKind, dict] | None:
        if self._error is not None:
            raise self._error
        try:
            return self._decode_next()
        except ProtocolError as error:
            self._error = error
            raise

    def _decode_next(self) -> tuple[FrameKind, dict] | None:
        buffer = self._buffer
        if self._length is None:
            if len(buffer) < _LENGTH.size:
                return None
            (length,) = _LENGTH.unpack_from(buffer)
            if length > MAX_FRAME_LENGTH:
                raise ProtocolError(
                    "frame_too_large", f"frame of {length} bytes, the limit is {MAX_FRAME_LENGTH}"
                )
            if length < 2:
                raise ProtocolError("bad_frame", f"frame of {length} bytes has no payload")
            self._length = length
        if self._kind is None:
            if len(buffer) <= _LENGTH.size:
                return None
            self._kind = _as_kind(buffer[_LENGTH.size])
        end = _LENGTH.size + self._length
        if len(buffer) < end:
            return None
        compressed = bytes(buffer[_HEADER.size : end])
        kind = self._kind
        del buffer[:end]
        self._length = self._kind = None
        payload = _decode_payload(compressed, self._decompressor)
        self.frames_read += 1
        return kind, payload


def decode_frame(data: bytes) -> tuple[FrameKind, dict]:
    """The single frame that ``data`` holds exactly (ProtocolError ``bad_frame`` otherwise)."""
    reader = FrameReader()
    frames = reader.feed(data)
    left = reader.close()
    if left or len(frames) != 1:
        raise ProtocolError(
            "bad_frame", f"expected one whole frame, got {len(frames)} and {left} bytes more"
        )
    return frames[0]


class FrameStream(Iterator[tuple[FrameKind, dict]]):
    """The frames of a whole body, as ``iter_frames`` returns them.

    Iterate it for ``(kind, payload)`` pairs. A bad frame raises ProtocolError after the good
    frames before it have been yielded. When the input ends in the middle of a frame (a cut
    connection), that partial frame is dropped silently; once iteration has finished:

    - ``truncated`` is True when a partial frame was dropped, ``dropped_bytes`` its size;
    - ``last_kind`` is the kind of the last whole frame (None: no frame);
    - ``complete`` is True when the body ended at a frame boundary right after an END or ERROR
      frame, the only way a sender ends a body (§4). A body cut exactly between two frames is
      not truncated but not complete either: treat it as a cut.
    """

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._reader = FrameReader()
        self.exhausted = False
        self.truncated = False
        self.dropped_bytes = 0
        self.last_kind: FrameKind | None = None

    @property
    def complete(self) -> bool:
        return (
            self.exhausted
            and not self.truncated
            and self.last_kind in (FrameKind.END, FrameKind.ERROR)
        )

    @property
    def frames_read(self) -> int:
        return self._reader.frames_read

    def __iter__(self) -> FrameStream:
        return self

    def __next__(self) -> tuple[FrameKind, dict]:
        while True:
            frame = self._reader._next_frame()
            if frame is not None:
                self.last_kind = frame[0]
                return frame
            if self.exhausted:
                raise StopIteration
            chunk = next(self._chunks, None)
            if chunk is None:
                self.exhausted = True
                self.dropped_bytes = self._reader.close()
                self.truncated = self.dropped_bytes > 0
                raise StopIteration
            self._reader._buffer += chunk


def iter_frames(chunks: Iterable[bytes]) -> FrameStream:
    """The frames in a body given as byte chunks of any size (e.g. ``response.iter_content()``).

    A trailing partial frame is dropped; the returned ``FrameStream`` says whether one was
    (``truncated``) and whether the body ended properly (``complete``). For a binary file object,
    pass ``iter(lambda: file.read(65536), b"")``.
    """
    return FrameStream(chunks)


# ------------------------------------------------------------------------------------- packing

_INITIAL_RATIO = 0.5  # compressed / uncompressed before the first measurement: errs small
_MAX_CHECKS = 4  # compressions per frame that may let the frame grow past the estimate
_MIN_MARGINAL_BYTES = 512  # two measurements this far apart give the marginal ratio


def pack_frames(
    items: Iterable[Mapping[str, Any]],
    *,
    key: str,
    kind: FrameKind,
    target_bytes: int = TARGET_FRAME_BYTES,
    max_items: int = MAX_OPS_PER_FRAME,
    extra: Callable[[list[dict]], dict] | None = None,
) -> Iterator[bytes]:
    """Frames ``{key: [item, ...], **extra(group)}`` of about ``target_bytes`` each, in order.

    Items are grouped greedily while the frame's estimated size (its uncompressed JSON times the
    compression ratio measured on earlier frames, checked by compressing when the estimate says
    full) stays within ``target_bytes``. Guarantees: every frame of two or more items is at most
    ``target_bytes`` on the wire, header included; an item too big for the target travels alone;
    no frame holds more than ``max_items`` items or more than ``MAX_FRAME_BYTES`` of JSON.

    Push: ``pack_frames(ops, key="ops", kind=FrameKind.OPS)``. Pull: ``pack_frames(changes,
    key="changes", kind=FrameKind.PAGE, extra=lambda group: {"cursor": ...})``.

    An item that cannot travel at all (JSON above ``MAX_FRAME_BYTES`` on its own, or not JSON)
    raises ProtocolError (``frame_too_large`` / ``bad_payload``) with ``item_index`` set, after
    the frames of every item before it have been yielded.
    """
    if target_bytes < 1 or not 1 <= max_items:
        raise ValueError("target_bytes and max_items must be positive")
    kind = _as_kind(kind)
    return _Packer(key, kind, target_bytes, max_items, extra).frames(items)


@dataclass
class _Measure:
    """One compression of the first ``count`` items of the current group."""

    count: int
    body_bytes: int
    frame: bytes | None  # None: the JSON exceeds MAX_FRAME_BYTES


class _Packer:
    def __init__(
        self,
        key: str,
        kind: FrameKind,
        target: int,
        max_items: int,
        extra: Callable[[list[dict]], dict] | None,
    ) -> None:
        self.prefix = b"{" + _dumps(key) + b":["
        self.key = key
        self.kind = kind
        self.target = target
        self.max_items = max_items
        self.extra = extra
        self.ratio = _INITIAL_RATIO  # compressed / uncompressed, of the last frame measured
        self.marginal: float | None = None  # compressed bytes per byte of items added
        self.extra_bytes = 0  # length of the extra members of the last frame built
        self._reset()

    def _reset(self) -> None:
        self.items: list[dict] = []
        self.parts: list[bytes] = []
        self.indexes: list[int] = []
        self.list_bytes = 0  # the JSON list's content: items and commas
        self.measures: dict[int, _Measure] = {}  # by prefix length, for this group
        self.fitting: _Measure | None = None  # longest measured prefix within the target
        self.checks = 0

    # The body of a frame is prefix + items joined by commas + "]" + extra members + "}".
    def _body_bytes(self, list_bytes: int) -> int:
        return len(self.prefix) + list_bytes + 2 + self.extra_bytes

    def _within(self, measure: _Measure) -> bool:
        return measure.frame is not None and len(measure.frame) <= self.target

    def _build(self, count: int) -> _Measure:
        """Compress the first ``count`` items of the group (once) and learn from the result."""
        if count in self.measures:
            return self.measures[count]
        group = self.items[:count]
        members = b""
        if self.extra is not None:
            extra = self.extra(group)
            if self.key in extra:
                raise ValueError(f"extra() must not set {self.key!r}")
            members = b"".join(b"," + _dumps(name) + b":" + _dumps(v) for name, v in extra.items())
            self.extra_bytes = len(members)
        body = self.prefix + b",".join(self.parts[:count]) + b"]" + members + b"}"
        if len(body) > MAX_FRAME_BYTES:
            measure = _Measure(count, len(body), None)
        else:
            measure = _Measure(count, len(body), _frame_from_json(self.kind, body))
            self._learn(measure)
            if self._within(measure) and (self.fitting is None or count > self.fitting.count):
                self.fitting = measure
        self.measures[count] = measure
        return measure

    def _learn(self, measure: _Measure) -> None:
        assert measure.frame is not None
        self.ratio = (len(measure.frame) - _HEADER.size) / measure.body_bytes
        for other in self.measures.values():  # what one more byte of items costs, compressed
            grown = measure.body_bytes - other.body_bytes
            if other.frame is not None and abs(grown) >= _MIN_MARGINAL_BYTES:
                marginal = (len(measure.frame) - len(other.frame)) / grown
                self.marginal = min(max(marginal, 0.01), 1.5)

    def _estimate(self, list_bytes: int) -> float:
        """The frame size of the group grown to ``list_bytes``, from the best measurement."""
        body = self._body_bytes(list_bytes)
        if self.fitting is not None and self.fitting.frame is not None:
            grown = body - self.fitting.body_bytes
            return len(self.fitting.frame) + grown * (self.marginal or self.ratio)
        return _HEADER.size + body * self.ratio

    def _fits(self, part: bytes) -> bool:
        """Whether one more item of JSON ``part`` may join the group."""
        if not self.items:
            return True
        if len(self.items) >= self.max_items:
            return False
        grown = self.list_bytes + 1 + len(part)
        if self._body_bytes(grown) > MAX_FRAME_BYTES:
            return False
        if self._estimate(grown) <= self.target:
            return True
        if self.checks >= _MAX_CHECKS:
            return False
        self.checks += 1
        measure = self._build(len(self.items))  # the estimate says full: measure the group
        return self._within(measure) and self._estimate(grown) <= self.target

    def _close(self) -> tuple[bytes, list[tuple[int, dict, bytes]]]:
        """The frame of the longest fitting prefix of the group, and the items left over."""
        count = len(self.items)
        measure = self._build(count)
        attempts = 0
        while count > 1 and not self._within(measure):
            # Too big: drop as many trailing items as the excess is worth, then measure again.
            attempts += 1
            if measure.frame is None or attempts > 3:
                count //= 2
            else:
                excess = len(measure.frame) - self.target
                rate = self.marginal or self.ratio
                while count > 1 and excess > 0:
                    count -= 1
                    excess -= (len(self.parts[count]) + 1) * rate
            if self.fitting is not None and count <= self.fitting.count:
                measure = self.fitting
                break
            measure = self._build(count)
        if measure.frame is None:  # one item whose JSON, with the extra members, is too large
            raise ProtocolError(
                "frame_too_large",
                f"item {self.indexes[0]} makes a frame of {measure.body_bytes} bytes of JSON, "
                f"the limit is {MAX_FRAME_BYTES}",
                item_index=self.indexes[0],
            )
        count = measure.count
        left = list(zip(self.indexes[count:], self.items[count:], self.parts[count:], strict=True))
        return measure.frame, left

    def _add(self, entry: tuple[int, dict, bytes]) -> None:
        index, item, part = entry
        self.list_bytes += len(part) + (1 if self.items else 0)
        self.items.append(item)
        self.parts.append(part)
        self.indexes.append(index)

    def frames(self, items: Iterable[Mapping[str, Any]]) -> Iterator[bytes]:
        source = enumerate(items)
        queue: deque[tuple[int, dict, bytes]] = deque()  # read, or put back after a frame
        unsendable: ProtocolError | None = None  # raised once everything before it is sent
        exhausted = False
        while True:
            if not queue and not exhausted:
                nxt = next(source, None)
                if nxt is None:
                    exhausted = True
                else:
                    index, mapping = nxt
                    item = mapping if isinstance(mapping, dict) else dict(mapping)
                    try:
                        part = _dumps(item)
                    except ProtocolError as error:
                        unsendable = ProtocolError(
                            "bad_payload", f"item {index}: {error.message}", item_index=index
                        )
                        exhausted = True
                        continue
                    if len(self.prefix) + len(part) + 2 > MAX_FRAME_BYTES:
                        unsendable = ProtocolError(
                            "frame_too_large",
                            f"item {index} is {len(part)} bytes of JSON, the limit is "
                            f"{MAX_FRAME_BYTES}",
                            item_index=index,
                        )
                        exhausted = True
                        continue
                    queue.append((index, item, part))
            if queue:
                entry = queue.popleft()
                if self._fits(entry[2]):
                    self._add(entry)
                    continue
                frame, left = self._close()
                self._reset()
                yield frame
                queue.extendleft(reversed([*left, entry]))
            elif self.items:
                frame, left = self._close()
                self._reset()
                yield frame
                queue.extend(left)
            else:
                break
        if unsendable is not None:
            raise unsendable


# --------------------------------------------------------------------------------- wire shapes

OP_STATUSES = frozenset({"applied", "duplicate", "conflict", "rejected"})


def _fail(code: str, message: str) -> NoReturn:
    raise ProtocolError(code, message)


def _check_uuid(value: object, name: str, code: str) -> None:
    if not isinstance(value, str) or not _UUID.fullmatch(value):
        _fail(code, f"{name} must be a lower-case UUID string, not {value!r:.60}")


def _check_int(value: object, name: str, code: str, minimum: int) -> None:
    if type(value) is not int or not minimum <= value <= MAX_INT:
        _fail(code, f"{name} must be an integer from {minimum} to 2**63-1, not {value!r:.60}")


def _check_type(value: object, code: str) -> None:
    if not isinstance(value, str) or not _TYPE.fullmatch(value):
        _fail(code, f"type must be a lower-case identifier, not {value!r:.60}")


def _check_fields(value: object, name: str, code: str) -> None:
    """A dict of dotted paths; no path may be the parent of another (which one would win?)."""
    if not isinstance(value, dict):
        _fail(code, f"{name} must be an object of dotted paths, not {type(value).__name__}")
    paths = tuple(value)
    try:
        remembered = sum(map(len, paths)) <= _REMEMBERED_PATHS_CHARS
    except TypeError:  # a path that is not text
        remembered = False
    problem = _path_problem(paths) if remembered else _path_problem.__wrapped__(paths)
    if problem is not None:
        _fail(code, f"{name}: {problem}")


_REMEMBERED_PATHS_CHARS = 2000


@functools.lru_cache(maxsize=512)
def _path_problem(paths: tuple[object, ...]) -> str | None:
    """What is wrong with an operation's field paths (None: nothing). Remembered for short
    path lists: a device's operations of one kind carry the same paths again and again, so a
    push checks each list once rather than every path of every operation; at most 512 lists of
    at most 2,000 characters are kept."""
    for path in paths:
        if not isinstance(path, str) or len(path) > _MAX_PATH or not _PATH.fullmatch(path):
            return f"{path!r:.120} is not a dotted path of lower-case names"
    # Sorted, a path's descendants follow it directly ("." sorts before every name character).
    ordered = sorted(paths)
    for parent, child in zip(ordered, ordered[1:], strict=False):
        if child.startswith(parent + "."):
            return f"{parent!r} and {child!r} overlap"
    return None


def _wire_mapping(data: object, code: str, what: str, required: tuple[str, ...]) -> Mapping:
    if type(data) is not dict and not isinstance(data, Mapping):  # decoded JSON: a dict
        _fail(code, f"{what} must be a JSON object, not {type(data).__name__}")
    missing = [name for name in required if name not in data]
    if missing:
        _fail(code, f"{what} lacks {', '.join(missing)}")
    return data


@dataclass(frozen=True, slots=True)
class Operation:
    """One outbox operation on the wire (§5.1); validated when made.

    ``seq`` starts at 1 (a device's ``applied_through`` starts at 0 and operations with
    ``seq <= applied_through`` are never sent); a ``create`` has ``base_rev`` 0.
    """

    op_id: str
    seq: int
    type: str
    id: str
    base_rev: int
    create: bool
    fields: dict[str, Any]

    def __post_init__(self) -> None:
        _check_operation(self.op_id, self.seq, self.type, self.id, self.base_rev, self.create,
                         self.fields)

    def to_wire(self) -> dict[str, Any]:
        return {
            "op_id": self.op_id,
            "seq": self.seq,
            "type": self.type,
            "id": self.id,
            "base_rev": self.base_rev,
            "create": self.create,
            "fields": dict(self.fields),
        }

    @classmethod
    def from_wire(cls, data: object) -> Operation:
        """The operation in a decoded JSON object (``create`` defaults to false; other keys are
        ignored). ProtocolError ``bad_operation`` when it breaks §5.1."""
        return cls(**_operation_members(data))


def wire_operation(data: object) -> dict[str, Any]:
    """``Operation.from_wire(data).to_wire()`` without making the Operation: a decoded JSON
    object checked as an Operation is, as a dict of its members (``create`` defaults to false;
    other keys are dropped; ``fields`` is the object's own). What the server applies: making
    the frozen dataclass and its dict again took a third of the time the server spent
    checking a pushed operation (docs/benchmarks.md). ProtocolError ``bad_operation`` when it
    breaks §5.1."""
    members = _operation_members(data)
    _check_operation(**members)
    return members


def _operation_members(data: object) -> dict[str, Any]:
    wire = _wire_mapping(
        data,
        "bad_operation",
        "an operation",
        ("op_id", "seq", "type", "id", "base_rev", "fields"),
    )
    return {
        "op_id": wire["op_id"],
        "seq": wire["seq"],
        "type": wire["type"],
        "id": wire["id"],
        "base_rev": wire["base_rev"],
        "create": wire.get("create", False),
        "fields": wire["fields"],
    }


def _check_operation(op_id: object, seq: object, type: object, id: object,  # noqa: A002
                     base_rev: object, create: object, fields: object) -> None:
    """§5.1's rules for an operation's members (ProtocolError ``bad_operation``)."""
    code = "bad_operation"
    _check_uuid(op_id, "op_id", code)
    _check_int(seq, "seq", code, 1)
    _check_type(type, code)
    _check_uuid(id, "id", code)
    _check_int(base_rev, "base_rev", code, 0)
    if not isinstance(create, bool):
        _fail(code, f"create must be true or false, not {create!r:.60}")
    if create and base_rev != 0:
        _fail(code, f"a create has base_rev 0, not {base_rev}")
    _check_fields(fields, "fields", code)


@dataclass(frozen=True, slots=True)
class OpResult:
    """The server's answer to one operation (§5.2); validated when made.

    By status: ``applied`` has ``rev``; ``conflict`` has ``rev`` (0: the record is not on the
    server), ``fields`` (path -> server value, at least one) and may have a ``reason``
    (``code_taken``); ``rejected`` has ``code`` and ``reason``; ``duplicate`` repeats the
    members of the first answer, and ``outcome`` tells which status that first answer had.
    """

    op_id: str
    status: str
    rev: int | None = None
    fields: dict[str, Any] | None = None
    code: str | None = None
    reason: str | None = None

    def __post_init__(self) -> None:
        code = "bad_result"
        _check_uuid(self.op_id, "op_id", code)
        if self.status not in OP_STATUSES:
            _fail(code, f"status must be one of {sorted(OP_STATUSES)}, not {self.status!r:.60}")
        if self.rev is not None:
            # A conflict at revision 0: the record is not on the server (a create whose
            # dossier code another dossier holds, §5.2).
            _check_int(self.rev, "rev", code, 0 if self.status in ("conflict", "duplicate") else 1)
        if self.fields is not None:
            _check_fields(self.fields, "fields", code)
        if self.code is not None and (
            not isinstance(self.code, str) or not _CODE.fullmatch(self.code)
        ):
            _fail(code, f"code must be a lower-case identifier, not {self.code!r:.60}")
        if self.reason is not None and not isinstance(self.reason, str):
            _fail(code, f"reason must be a string, not {type(self.reason).__name__}")
        shape = (self.rev is not None, self.fields is not None, self.code is not None,
                 self.reason is not None)  # fmt: skip
        allowed = {
            "applied": [(True, False, False, False)],
            "conflict": [(True, True, False, False), (True, True, False, True)],
            "rejected": [(False, False, True, True)],
            "duplicate": [(True, False, False, False), (True, True, False, False),
                          (True, True, False, True), (False, False, True, True)],
        }[self.status]  # fmt: skip
        if shape not in allowed:
            present = [n for n, p in zip(("rev", "fields", "code", "reason"), shape, strict=True)
                       if p]  # fmt: skip
            _fail(code, f"a {self.status} result cannot have exactly {present or 'no members'}")
        if self.fields is not None and not self.fields:
            _fail(code, "a conflict names at least one field")

    @property
    def outcome(self) -> str:
        """``applied``, ``conflict`` or ``rejected``: the status, or a duplicate's first one."""
        if self.status != "duplicate":
            return self.status
        if self.code is not None:
            return "rejected"
        return "conflict" if self.fields is not None else "applied"

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {"op_id": self.op_id, "status": self.status}
        if self.rev is not None:
            wire["rev"] = self.rev
        if self.fields is not None:
            wire["fields"] = dict(self.fields)
        if self.code is not None:
            wire["code"] = self.code
        if self.reason is not None:
            wire["reason"] = self.reason
        return wire

    @classmethod
    def from_wire(cls, data: object) -> OpResult:
        """The result in a decoded JSON object (other keys are ignored). ProtocolError
        ``bad_result`` when it breaks §5.2."""
        wire = _wire_mapping(data, "bad_result", "a result", ("op_id", "status"))
        return cls(
            op_id=wire["op_id"],
            status=wire["status"],
            rev=wire.get("rev"),
            fields=wire.get("fields"),
            code=wire.get("code"),
            reason=wire.get("reason"),
        )


@dataclass(frozen=True, slots=True)
class Change:
    """One pulled change (§5.3): the whole ``record`` at revision ``rev``, or a tombstone
    (``deleted``); validated when made."""

    type: str
    id: str
    rev: int
    record: dict[str, Any] | None = None
    deleted: bool = False

    def __post_init__(self) -> None:
        code = "bad_change"
        _check_type(self.type, code)
        _check_uuid(self.id, "id", code)
        _check_int(self.rev, "rev", code, 1)
        if not isinstance(self.deleted, bool):
            _fail(code, f"deleted must be true or false, not {self.deleted!r:.60}")
        if self.record is not None and not isinstance(self.record, dict):
            _fail(code, f"record must be an object, not {type(self.record).__name__}")
        if (self.record is None) != self.deleted:
            _fail(code, "a change carries either a record or deleted: true")
        if self.record is not None and self.record.get("id", self.id) != self.id:
            _fail(code, f"the record's id {self.record['id']!r:.60} is not the change's id")

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {"type": self.type, "id": self.id, "rev": self.rev}
        if self.deleted:
            wire["deleted"] = True
        else:
            wire["record"] = self.record
        return wire

    @classmethod
    def from_wire(cls, data: object) -> Change:
        """The change in a decoded JSON object (other keys are ignored). ProtocolError
        ``bad_change`` when it breaks §5.3."""
        wire = _wire_mapping(data, "bad_change", "a change", ("type", "id", "rev"))
        return cls(
            type=wire["type"],
            id=wire["id"],
            rev=wire["rev"],
            record=wire.get("record"),
            deleted=wire.get("deleted", False),
        )


# ------------------------------------------------------------------------- cursors and errors


def format_cursor(epoch: int, rev: int) -> str:
    """The cursor ``e{epoch}:{rev}`` (§5.4); ProtocolError ``bad_cursor`` for other numbers."""
    _check_int(epoch, "epoch", "bad_cursor", 0)
    _check_int(rev, "rev", "bad_cursor", 0)
    return f"e{epoch}:{rev}"


def parse_cursor(text: object) -> tuple[int, int]:
    """``(epoch, rev)`` of a cursor made by ``format_cursor``; ProtocolError ``bad_cursor`` for
    anything else (signs, spaces, leading zeros, numbers above 2**63-1, non-strings)."""
    match = _CURSOR.fullmatch(text) if isinstance(text, str) and len(text) <= _MAX_CURSOR else None
    if match is None:
        _fail("bad_cursor", f"not a cursor: {text!r:.60}")
    epoch, rev = int(match[1]), int(match[2])
    if epoch > MAX_INT or rev > MAX_INT:
        _fail("bad_cursor", f"cursor numbers out of range: {text!r:.60}")
    return epoch, rev


def error_envelope(code: str, message: str) -> dict[str, dict[str, str]]:
    """The body of every refusal (§3), and the payload of an ERROR frame."""
    return {"error": {"code": code, "message": message}}
