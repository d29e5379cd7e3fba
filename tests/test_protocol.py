"""The sync wire protocol (sync.protocol): frame codec, packing, wire shapes, cursors."""

from __future__ import annotations

import json
import random
import struct
import tracemalloc
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import zstandard
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.dossier import flatten_fields
from app.sample_data import dossier_records
from sync.protocol import (
    MAX_FRAME_BYTES,
    MAX_FRAME_LENGTH,
    MAX_INT,
    MAX_OPS_PER_FRAME,
    TARGET_FRAME_BYTES,
    Change,
    FrameKind,
    FrameReader,
    Operation,
    OpResult,
    ProtocolError,
    decode_frame,
    encode_frame,
    error_envelope,
    format_cursor,
    iter_frames,
    pack_frames,
    parse_cursor,
    wire_operation,
)

PROCEDURES = [("1.001193", 0), ("1.000656", 0), ("1.000894", 0), ("2.000815", 0), ("1.004873", 3)]
START = datetime(2026, 1, 5, 8, 0, tzinfo=timezone(timedelta(hours=7)))
ID = "0b5f3c2e-8d7a-4f1b-9c3d-2e1f0a9b8c7d"
OP_ID = "7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6"
PAYLOADS = {
    FrameKind.OPS: {"ops": [{"op_id": OP_ID, "seq": 1, "type": "dossier", "id": ID,
                             "base_rev": 0, "create": True,
                             "fields": {"applicant.full_name": "Nguyễn Thị Hoa", "status": 4}}]},
    FrameKind.RESULTS: {"results": [{"op_id": OP_ID, "status": "applied", "rev": 7}],
                        "applied_through": 1},
    FrameKind.PAGE: {"changes": [{"type": "dossier", "id": ID, "rev": 882, "deleted": True}],
                     "cursor": "e3:882"},
    FrameKind.END: {"more": False},
    FrameKind.ERROR: {"error": {"code": "resync_required", "message": "Đồng bộ lại toàn bộ"}},
}  # fmt: skip


def stream() -> bytes:
    """A whole body: one frame of each kind, END last but one, ERROR last."""
    return b"".join(encode_frame(kind, payload) for kind, payload in PAYLOADS.items())


def expected_frames() -> list[tuple[FrameKind, dict]]:
    return [(kind, json.loads(json.dumps(payload))) for kind, payload in PAYLOADS.items()]


def raw_frame(kind: int, payload: bytes) -> bytes:
    """A frame around an arbitrary (already compressed) payload."""
    return struct.pack(">IB", len(payload) + 1, kind) + payload


def zstd(data: bytes) -> bytes:
    return zstandard.ZstdCompressor(level=3).compress(data)


def rejected(code: str) -> Any:
    return pytest.raises(ProtocolError, match=f"^{code}:")


# ------------------------------------------------------------------------------- frame codec


@pytest.mark.parametrize("kind", list(FrameKind))
def test_each_kind_round_trips(kind: FrameKind) -> None:
    frame = encode_frame(kind, PAYLOADS[kind])
    length, kind_byte = struct.unpack(">IB", frame[:5])
    assert length == len(frame) - 4 and kind_byte == kind
    assert zstandard.ZstdDecompressor().decompress(frame[5:]) == json.dumps(
        PAYLOADS[kind], ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")
    assert decode_frame(frame) == (kind, PAYLOADS[kind])
    assert FrameReader().feed(frame) == [(kind, PAYLOADS[kind])]


def test_encode_accepts_any_mapping_and_an_int_kind() -> None:
    from types import MappingProxyType

    frame = encode_frame(4, MappingProxyType({"more": True}))  # type: ignore[arg-type]
    assert decode_frame(frame) == (FrameKind.END, {"more": True})
    with rejected("bad_frame"):
        encode_frame(9, {"more": True})  # type: ignore[arg-type]


def test_encode_refuses_a_payload_above_the_limit_and_the_reader_takes_one_at_it() -> None:
    # Random letters compress badly, so the frame is near zstd's worst case.
    rng = random.Random(3)
    filler = MAX_FRAME_BYTES - len('{"x":""}')
    text = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(filler))
    frame = encode_frame(FrameKind.OPS, {"x": text})
    assert len(frame) - 4 <= MAX_FRAME_LENGTH
    assert FrameReader().feed(frame) == [(FrameKind.OPS, {"x": text})]
    with rejected("frame_too_large"):
        encode_frame(FrameKind.OPS, {"x": text + "a"})
    with rejected("frame_too_large"):  # the limit is on UTF-8 bytes, not characters
        encode_frame(FrameKind.OPS, {"x": "ệ" * (MAX_FRAME_BYTES // 3)})


@pytest.mark.parametrize("payload", [{"x": float("nan")}, {"x": "\ud800"}, {"x": {1, 2}}])
def test_encode_refuses_what_is_not_json(payload: dict) -> None:
    with rejected("bad_payload"):
        encode_frame(FrameKind.OPS, payload)


def test_reader_fed_one_byte_at_a_time_gives_the_same_frames() -> None:
    reader = FrameReader()
    frames = []
    body = stream()
    for i in range(len(body)):
        frames += reader.feed(body[i : i + 1])
    assert frames == expected_frames()
    assert reader.pending_bytes == 0 and reader.frames_read == len(PAYLOADS)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=2000), max_size=20))
def test_reader_fed_any_split_gives_the_same_frames(cuts: list[int]) -> None:
    body = stream()
    bounds = sorted({0, len(body), *(min(c, len(body)) for c in cuts)})
    reader = FrameReader()
    frames = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        frames += reader.feed(memoryview(body)[start:end])
        assert reader.pending_bytes < len(body)
    assert frames == expected_frames()
    assert list(iter_frames(body[a:b] for a, b in zip(bounds, bounds[1:], strict=False))) == (
        expected_frames()
    )


def test_pending_bytes_counts_the_partial_frame() -> None:
    frame = encode_frame(FrameKind.END, {"more": False})
    reader = FrameReader()
    assert reader.feed(frame[:3]) == [] and reader.pending_bytes == 3
    assert reader.feed(frame[3:-1]) == [] and reader.pending_bytes == len(frame) - 1
    assert reader.feed(frame[-1:] + frame[:6]) == [(FrameKind.END, {"more": False})]
    assert reader.pending_bytes == 6
    assert reader.close() == 6 and reader.pending_bytes == 0


def test_a_truncated_stream_drops_only_the_partial_frame_and_says_so() -> None:
    body = stream()
    last = len(encode_frame(FrameKind.ERROR, PAYLOADS[FrameKind.ERROR]))
    frames = iter_frames([body[:100], body[100:-10]])
    assert list(frames) == expected_frames()[:-1]
    assert frames.truncated and frames.dropped_bytes == last - 10
    assert frames.last_kind is FrameKind.END and not frames.complete


def test_a_whole_stream_is_complete_and_one_cut_between_frames_is_not() -> None:
    frames = iter_frames([stream()])
    assert list(frames) == expected_frames()
    assert frames.complete and not frames.truncated and frames.dropped_bytes == 0
    ops_only = iter_frames([encode_frame(FrameKind.OPS, PAYLOADS[FrameKind.OPS])])
    assert len(list(ops_only)) == 1
    assert not ops_only.truncated and not ops_only.complete
    empty = iter_frames([])
    assert list(empty) == [] and not empty.truncated and not empty.complete


def test_a_bad_frame_after_good_ones_loses_none_of_them() -> None:
    good = encode_frame(FrameKind.OPS, PAYLOADS[FrameKind.OPS])
    bad = raw_frame(FrameKind.OPS, zstd(b"[1, 2]"))
    reader = FrameReader()
    assert reader.feed(good + bad + good) == [(FrameKind.OPS, PAYLOADS[FrameKind.OPS])]
    with rejected("bad_frame"):
        reader.feed(b"")
    with rejected("bad_frame"):  # the stream has lost its framing for good
        reader.feed(good)
    with rejected("bad_frame"):
        reader.close()
    frames = iter_frames([good + bad + good])
    assert next(frames) == (FrameKind.OPS, PAYLOADS[FrameKind.OPS])
    with rejected("bad_frame"):
        next(frames)


@pytest.mark.parametrize("length", [MAX_FRAME_LENGTH + 1, 10**7, 2**32 - 1])
def test_an_oversized_declared_length_is_refused_from_the_header(length: int) -> None:
    reader = FrameReader()
    assert reader.feed(struct.pack(">I", length)[:3]) == []
    with rejected("frame_too_large"):
        reader.feed(struct.pack(">I", length)[3:])
    assert reader.pending_bytes == 4  # nothing of the payload was waited for
    reader = FrameReader()
    assert reader.feed(struct.pack(">IB", MAX_FRAME_LENGTH, 1)) == []  # at the limit: waits


@pytest.mark.parametrize("kind", [0, 6, 255])
def test_an_unknown_kind_is_refused_from_the_header(kind: int) -> None:
    with rejected("bad_frame"):
        FrameReader().feed(struct.pack(">IB", 1000, kind))


@pytest.mark.parametrize("length", [0, 1])
def test_a_frame_without_payload_is_refused(length: int) -> None:
    with rejected("bad_frame"):
        FrameReader().feed(struct.pack(">I", length))


def decoded_under(limit: int, data: bytes) -> None:
    """Feed ``data`` and check the reader allocated less than ``limit`` bytes doing it."""
    tracemalloc.start()
    try:
        with pytest.raises(ProtocolError) as caught:
            FrameReader().feed(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < limit, f"decoding allocated {peak} bytes"
    raise caught.value


def test_a_zstd_bomb_is_refused_without_inflating_it() -> None:
    zeros = b"\0" * 10_000_000
    declared = raw_frame(FrameKind.OPS, zstd(zeros))  # declares its 10 MB
    inflater = zstandard.ZstdCompressor(level=3, write_content_size=False).compressobj()
    undeclared = raw_frame(FrameKind.OPS, inflater.compress(zeros) + inflater.flush())
    # A frame that lies: 10 MB of zeros declaring 100 bytes.
    lying = bytearray(zstd(zeros))
    header = zstandard.frame_header_size(bytes(lying))
    assert zstandard.frame_content_size(bytes(lying)) == 10_000_000
    lying[header - 4 : header] = struct.pack("<I", 100)  # the 4-byte content size field
    assert zstandard.frame_content_size(bytes(lying)) == 100
    del zeros
    assert len(declared) < 1000 and len(undeclared) < 1000
    with rejected("frame_too_large"):
        decoded_under(MAX_FRAME_BYTES, declared)
    with rejected("bad_frame"):
        decoded_under(MAX_FRAME_BYTES, undeclared)
    with rejected("bad_frame"):
        decoded_under(MAX_FRAME_BYTES, raw_frame(FrameKind.OPS, bytes(lying)))


@pytest.mark.parametrize(
    "payload",
    [
        b"not zstd at all",
        zstd(b'{"more": true}')[:-2],  # cut inside the zstd frame
        zstd(b'{"more": true}') + b"xx",  # bytes after it
        zstd(b'{"more": true}') * 2,  # two zstd frames
        zstd(b'{"more": tru'),
        zstd(b"[1, 2, 3]"),
        zstd(b'"text"'),
        zstd(b"null"),
        zstd(b""),
        zstd(b'{"x": NaN}'),
        zstd(b'{"x": Infinity}'),
        zstd('{"x": "é"}'.encode("latin-1")),  # not UTF-8
        zstd('{"x": 1}'.encode("utf-16")),  # json.loads(bytes) would take it
        zstd(b"\xef\xbb\xbf{}"),  # a UTF-8 byte order mark
        zstd(b"[" * 100_000 + b"]" * 100_000),  # nesting deeper than the parser goes
        zstd(b'{"x": ' + b"9" * 5000 + b"}"),  # an integer above Python's digit limit
    ],
)
def test_bad_payloads_are_refused(payload: bytes) -> None:
    with rejected("bad_frame"):
        FrameReader().feed(raw_frame(FrameKind.END, payload))


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(), _JSON_VALUES, max_size=5))
def test_a_payload_reads_as_json_reads_it(payload: dict) -> None:
    """What a frame carries is read back exactly as ``json`` reads the text (the reader uses
    orjson where it agrees): integers of any size stay integers, floats and text unchanged."""
    text = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    [(kind, read)] = FrameReader().feed(raw_frame(FrameKind.OPS, zstd(text)))
    assert read == json.loads(text) and repr(read) == repr(json.loads(text))


@pytest.mark.parametrize("text", [
    b'{"n": 18446744073709551616, "m": -9223372036854775809}',  # just beyond 64 bits
    b'{"n": 18446744073709551615, "m": -9223372036854775808, "k": 1234567890123456789}',
    b'{"n": 123456789012345678901234567890.5, "e": 1e308, "z": -0.0}',
    b'{"s": "\\ud800 alone", "t": "\\udfff"}',  # lone surrogates, as json reads them
    b'{"a": 1, "a": 2}',
    '{"tên": "Nguyễn Thị Hồng", "đ": "Đức"}'.encode(),
])
def test_edge_payloads_read_as_json_reads_them(text: bytes) -> None:
    [(kind, read)] = FrameReader().feed(raw_frame(FrameKind.OPS, zstd(text)))
    assert repr(read) == repr(json.loads(text))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300), st.integers(min_value=1, max_value=50))
def test_garbage_only_ever_raises_protocol_error(garbage: bytes, step: int) -> None:
    framed = raw_frame(FrameKind.OPS, garbage), raw_frame(FrameKind.OPS, zstd(garbage))
    for data in (garbage, *framed):
        reader = FrameReader()
        try:
            for start in range(0, len(data), step):
                for kind, payload in reader.feed(data[start : start + step]):
                    assert isinstance(kind, FrameKind) and isinstance(payload, dict)
            reader.close()
        except ProtocolError as error:
            assert error.code in {"bad_frame", "frame_too_large"}


def test_frames_encode_and_decode_from_many_threads() -> None:
    def one(n: int) -> tuple[FrameKind, dict]:
        return decode_frame(encode_frame(FrameKind.PAGE, {"n": n, "text": "Thôn Bắc Hà" * n}))

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(one, range(400)))
    assert results == [(FrameKind.PAGE, {"n": n, "text": "Thôn Bắc Hà" * n}) for n in range(400)]


# ----------------------------------------------------------------------------------- packing


def dossier_operations(dossiers: int, seed: int = 1) -> list[dict]:
    """Each dossier's create operation and its "received" event, as a device's outbox has them."""
    rng = random.Random(seed)

    def new_id() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    ops = []
    records = dossier_records(dossiers, PROCEDURES, seed=seed, start=START)
    for number, record in enumerate(records):
        full = {**record, "code": f"09661-260105-{9000 + number:04d}",
                "due_at": record["received_at"], "calendar_version": "2026.1+holidays-0.109",
                "procedure_version": 1}  # fmt: skip
        event = {"dossier_id": record["id"], "kind": "received", "from_status": None,
                 "to_status": 2, "actor": record["received_by"], "at": record["received_at"],
                 "note": ""}  # fmt: skip
        ops.append(Operation(new_id(), 2 * number + 1, "dossier", record["id"], 0, True,
                             flatten_fields(full)).to_wire())  # fmt: skip
        ops.append(Operation(new_id(), 2 * number + 2, "dossier_event", new_id(), 0, True,
                             event).to_wire())  # fmt: skip
    return ops


def unpack(frames: list[bytes], key: str) -> list[dict]:
    items = []
    for frame in frames:
        _, payload = decode_frame(frame)
        items += payload[key]
    return items


def test_pack_frames_of_dossier_operations() -> None:
    ops = dossier_operations(150)
    assert len(ops) == 300
    frames = list(pack_frames(ops, key="ops", kind=FrameKind.OPS))
    assert unpack(frames, "ops") == ops  # order and content
    assert [Operation.from_wire(op).to_wire() for op in unpack(frames, "ops")] == ops
    for frame in frames:
        kind, payload = decode_frame(frame)
        assert kind is FrameKind.OPS and set(payload) == {"ops"}
        assert 1 <= len(payload["ops"]) <= MAX_OPS_PER_FRAME
        if len(payload["ops"]) > 1:
            assert len(frame) <= TARGET_FRAME_BYTES
    # The frames are full: all but the last within 80 % of the target (§10's ~15 dossiers).
    assert all(len(frame) >= 0.8 * TARGET_FRAME_BYTES for frame in frames[:-1])
    per_dossier = sum(map(len, frames)) / 150
    assert per_dossier <= 350, f"{per_dossier:.0f} bytes a dossier"


@pytest.mark.parametrize("target", [512, 1024, 2048, 16 * 1024])
def test_pack_frames_follows_the_target(target: int) -> None:
    ops = dossier_operations(100, seed=2)
    frames = list(pack_frames(ops, key="ops", kind=FrameKind.OPS, target_bytes=target))
    assert unpack(frames, "ops") == ops
    for frame in frames:
        if len(decode_frame(frame)[1]["ops"]) > 1:
            assert len(frame) <= target
    if target >= 2048:  # room for many items: frames come close to the target
        assert all(len(frame) >= 0.8 * target for frame in frames[:-1])


def test_pack_frames_sends_a_huge_item_alone() -> None:
    rng = random.Random(4)
    ops = dossier_operations(20, seed=3)
    huge = dict(ops[7], fields={"notes": "".join(rng.choice("abcdefgh ") for _ in range(30_000))})
    ops[7] = huge
    frames = list(pack_frames(ops, key="ops", kind=FrameKind.OPS))
    assert unpack(frames, "ops") == ops
    alone = [frame for frame in frames if decode_frame(frame)[1]["ops"] == [huge]]
    assert len(alone) == 1 and len(alone[0]) > TARGET_FRAME_BYTES
    assert all(len(f) <= 1.5 * TARGET_FRAME_BYTES for f in frames if f is not alone[0])


def test_pack_frames_sends_what_it_can_before_an_item_that_cannot_travel() -> None:
    ops = dossier_operations(10)
    too_big = dict(ops[5], fields={"notes": "x" * MAX_FRAME_BYTES})
    sent: list[bytes] = []
    with rejected("frame_too_large") as caught:
        sent.extend(pack_frames([*ops[:5], too_big, *ops[6:]], key="ops", kind=FrameKind.OPS))
    assert caught.value.item_index == 5
    assert unpack(sent, "ops") == ops[:5]
    sent.clear()
    with rejected("bad_payload") as caught:
        sent.extend(pack_frames([*ops[:3], {"x": float("inf")}], key="ops", kind=FrameKind.OPS))
    assert caught.value.item_index == 3 and unpack(sent, "ops") == ops[:3]


def test_pack_frames_never_exceeds_max_items_or_the_payload_limit() -> None:
    tiny = [{"n": n} for n in range(450)]
    frames = list(pack_frames(tiny, key="ops", kind=FrameKind.OPS, target_bytes=10**9))
    assert [len(decode_frame(f)[1]["ops"]) for f in frames] == [200, 200, 50]
    assert unpack(frames, "ops") == tiny
    frames = list(pack_frames(tiny, key="ops", kind=FrameKind.OPS, max_items=7))
    assert max(len(decode_frame(f)[1]["ops"]) for f in frames) == 7
    assert unpack(frames, "ops") == tiny
    rng = random.Random(5)
    noise = [{"n": "".join(rng.choice("0123456789abcdef") for _ in range(40_000))}
             for _ in range(20)]  # fmt: skip
    frames = list(pack_frames(noise, key="ops", kind=FrameKind.OPS, target_bytes=10**9))
    assert unpack(frames, "ops") == noise and len(frames) >= 4


def test_pack_frames_of_changes_carries_each_pages_cursor() -> None:
    records = list(dossier_records(200, PROCEDURES, seed=4, start=START))
    changes = [Change("dossier", record["id"], 100 + n, record=record).to_wire()
               for n, record in enumerate(records)]  # fmt: skip
    changes.append(Change("dossier", records[0]["id"], 300, deleted=True).to_wire())
    groups: list[list[dict]] = []

    def cursor(group: list[dict]) -> dict:
        groups.append(group)
        return {"cursor": format_cursor(3, group[-1]["rev"])}

    frames = list(pack_frames(changes, key="changes", kind=FrameKind.PAGE, extra=cursor))
    assert len(frames) > 3 and unpack(frames, "changes") == changes
    assert [group[-1]["rev"] for group in groups][-1] == 300
    for frame in frames:
        kind, payload = decode_frame(frame)
        assert kind is FrameKind.PAGE and set(payload) == {"changes", "cursor"}
        assert parse_cursor(payload["cursor"]) == (3, payload["changes"][-1]["rev"])
        assert [Change.from_wire(c).to_wire() for c in payload["changes"]] == payload["changes"]
    with pytest.raises(ValueError, match="changes"):
        list(pack_frames(changes, key="changes", kind=FrameKind.PAGE,
                         extra=lambda group: {"changes": []}))  # fmt: skip


def test_pack_frames_of_nothing_is_no_frame() -> None:
    assert list(pack_frames([], key="ops", kind=FrameKind.OPS)) == []
    with pytest.raises(ValueError):
        pack_frames([], key="ops", kind=FrameKind.OPS, max_items=0)


# ------------------------------------------------------------------------------- wire shapes


def operation(**changes: Any) -> dict:
    wire = {"op_id": OP_ID, "seq": 1042, "type": "dossier", "id": ID, "base_rev": 0,
            "create": True, "fields": {"applicant.phone": "+84912345678", "status": 4}}  # fmt: skip
    wire.update(changes)
    return wire


def test_operation_round_trips() -> None:
    op = Operation.from_wire(operation())
    assert op.to_wire() == operation()
    assert Operation.from_wire({**op.to_wire(), "later_member": 1}) == op
    update = {k: v for k, v in operation(create=False, base_rev=881).items() if k != "create"}
    assert Operation.from_wire(update).create is False  # create defaults to false
    delete = Operation.from_wire(operation(create=False, base_rev=3, fields={"deleted": True}))
    assert delete.fields == {"deleted": True}
    for wire in (operation(), {**operation(), "later_member": 1}, update):
        assert wire_operation(wire) == Operation.from_wire(wire).to_wire()


@pytest.mark.parametrize(
    "wire",
    [
        operation(op_id="not-a-uuid"),
        operation(op_id=ID.upper()),
        operation(op_id="{" + ID + "}"),
        operation(id=ID.replace("-", "")),
        operation(id=7),
        operation(seq=-1),
        operation(seq=0),
        operation(seq=True),
        operation(seq=1.0),
        operation(seq="5"),
        operation(seq=2**63),
        operation(base_rev=-3, create=False),
        operation(base_rev=5),  # a create starts from nothing
        operation(create="yes"),
        operation(type="Dossier"),
        operation(type="dossier event"),
        operation(type=""),
        operation(fields=[["status", 4]]),
        operation(fields="status=4"),
        operation(fields={"applicant phone": 1}),
        operation(fields={"Applicant.phone": 1}),
        operation(fields={"applicant..phone": 1}),
        operation(fields={".phone": 1}),
        operation(fields={"phone.": 1}),
        operation(fields={"applicant.phone\n": 1}),
        operation(fields={"a" * 101: 1}),
        operation(fields={"applicant": {}, "applicant.phone": "+84912345678"}),
        {k: v for k, v in operation().items() if k != "fields"},
        [operation()],
        None,
    ],
)
def test_operation_validation(wire: Any) -> None:
    with rejected("bad_operation"):
        Operation.from_wire(wire)
    with rejected("bad_operation"):  # the server's check, which makes no Operation
        wire_operation(wire)


def test_operation_validates_when_made_too() -> None:
    with rejected("bad_operation"):
        Operation(OP_ID, 1, "dossier", ID, 0, True, {"Status": 4})
    assert len(Operation(OP_ID, 1, "dossier", ID, 0, True, {"a" * 100: 1}).fields) == 1


@pytest.mark.parametrize(
    "wire, outcome",
    [
        ({"status": "applied", "rev": 12}, "applied"),
        ({"status": "conflict", "rev": 12, "fields": {"applicant.phone": "+84987654321"}},
         "conflict"),
        ({"status": "rejected", "code": "code_taken", "reason": "Mã hồ sơ đã dùng"}, "rejected"),
        ({"status": "conflict", "rev": 0, "fields": {"code": None}, "reason": "code_taken"},
         "conflict"),
        ({"status": "duplicate", "rev": 12}, "applied"),
        ({"status": "duplicate", "rev": 12, "fields": {"status": 5}}, "conflict"),
        ({"status": "duplicate", "code": "unknown_procedure", "reason": "…"}, "rejected"),
    ],
)  # fmt: skip
def test_results_round_trip(wire: dict, outcome: str) -> None:
    result = OpResult.from_wire({"op_id": OP_ID, **wire})
    assert result.to_wire() == {"op_id": OP_ID, **wire}
    assert result.outcome == outcome


@pytest.mark.parametrize(
    "wire",
    [
        {"status": "done", "rev": 1},
        {"status": "applied"},
        {"status": "applied", "rev": 0},
        {"status": "applied", "rev": "12"},
        {"status": "applied", "rev": 12, "code": "x", "reason": "y"},
        {"status": "conflict", "rev": 12},
        {"status": "conflict", "rev": 12, "fields": {}},
        {"status": "conflict", "rev": 12, "fields": {"Bad Path": 1}},
        {"status": "rejected", "code": "code_taken"},
        {"status": "rejected", "code": "Code Taken", "reason": "…"},
        {"status": "rejected", "code": "code_taken", "reason": 5},
        {"status": "duplicate"},
        {"status": "duplicate", "fields": {"status": 5}},
        {"op_id": "x", "status": "applied", "rev": 1},
    ],
)
def test_result_validation(wire: dict) -> None:
    with rejected("bad_result"):
        OpResult.from_wire({"op_id": OP_ID, **wire})
    with rejected("bad_result"):
        OpResult.from_wire("applied")


def test_change_round_trips() -> None:
    record = {"id": ID, "status": 4, "applicant": {"full_name": "Trần Văn Nam"}}
    change = Change.from_wire({"type": "dossier", "id": ID, "rev": 881, "record": record})
    assert change.record == record and not change.deleted
    assert change.to_wire() == {"type": "dossier", "id": ID, "rev": 881, "record": record}
    tombstone = {"type": "dossier", "id": ID, "rev": 882, "deleted": True}
    assert Change.from_wire(tombstone).to_wire() == tombstone
    assert Change.from_wire({**tombstone, "record": None}).deleted


@pytest.mark.parametrize(
    "wire",
    [
        {"type": "dossier", "id": ID, "rev": 1},  # neither record nor deleted
        {"type": "dossier", "id": ID, "rev": 1, "record": {}, "deleted": True},
        {"type": "dossier", "id": ID, "rev": 1, "deleted": False},
        {"type": "dossier", "id": ID, "rev": 1, "deleted": "true"},
        {"type": "dossier", "id": ID, "rev": 1, "record": [1]},
        {"type": "dossier", "id": ID, "rev": 1, "record": {"id": OP_ID}},
        {"type": "dossier", "id": ID, "rev": 0, "deleted": True},
        {"type": "dossier", "id": ID, "rev": -5, "deleted": True},
        {"type": "dossier", "id": "x", "rev": 1, "deleted": True},
        {"type": "DOSSIER", "id": ID, "rev": 1, "deleted": True},
        {"id": ID, "rev": 1, "deleted": True},
    ],
)
def test_change_validation(wire: dict) -> None:
    with rejected("bad_change"):
        Change.from_wire(wire)


# ----------------------------------------------------------------------- cursors and errors


@given(st.integers(min_value=0, max_value=MAX_INT), st.integers(min_value=0, max_value=MAX_INT))
def test_cursor_round_trips(epoch: int, rev: int) -> None:
    assert parse_cursor(format_cursor(epoch, rev)) == (epoch, rev)


def test_cursor_format() -> None:
    assert format_cursor(3, 882) == "e3:882"
    assert format_cursor(0, 0) == "e0:0"


@pytest.mark.parametrize(
    "text",
    ["", "e3", "3:882", "e3:", "e:882", "e-1:5", "e1:-5", "e+1:5", "e01:5", "e1:05", " e1:5",
     "e1:5 ", "e1:5\n", "E1:5", "e1;5", "e1:5:6", "e١:٥", "e1:9223372036854775808",
     "e99999999999999999999:1", "e1:" + "9" * 10_000, None, 5, b"e1:5", ["e1:5"]],
)  # fmt: skip
def test_parse_cursor_rejects(text: Any) -> None:
    with rejected("bad_cursor"):
        parse_cursor(text)


@pytest.mark.parametrize("epoch, rev", [(-1, 0), (0, -1), (True, 1), (1, 2**63), (1.0, 2)])
def test_format_cursor_rejects(epoch: Any, rev: Any) -> None:
    with rejected("bad_cursor"):
        format_cursor(epoch, rev)


def test_error_envelope() -> None:
    envelope = error_envelope("resync_required", "cursor too old")
    assert envelope == {"error": {"code": "resync_required", "message": "cursor too old"}}
    assert decode_frame(encode_frame(FrameKind.ERROR, envelope)) == (FrameKind.ERROR, envelope)


def test_protocol_error_is_a_value_error_with_a_code() -> None:
    error = ProtocolError("bad_cursor", "not a cursor")
    assert isinstance(error, ValueError)
    assert error.code == "bad_cursor" and error.message == "not a cursor"
    assert str(error) == "bad_cursor: not a cursor" and error.item_index is None
