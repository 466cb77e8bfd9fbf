#!/usr/bin/env python3
"""Reads and checks a ClinicLog record log directory, independently of the Swift code.

Written from docs/log-format.md alone, with the Python 3 standard library only (CRC-32C and LZ4 block
decompression are implemented here; SHA-256 comes from hashlib). Ed25519 signatures of checkpoints are checked
with the `cryptography` package when it can be imported.

    python3 tools/read-log.py DIR [--json] [--trust-key HEX]

It checks every byte the format defines: the manifest, every sealed segment (length, whole-file CRC-32C,
every batch), its index file, the active segment, the checkpoints, and the Merkle tree, then prints every record
(position, recorded time, stream, stream version, event id, payload in hex, Merkle leaf hash), the RFC 6962
root of the whole log and the checkpoints.

Exit codes:
    0  the log is valid
    1  usage error, unreadable directory, or not a log
    2  damage (corruption): the message names the file and the byte offset
    3  torn tail: the end of the active segment (or of the checkpoint file) is damaged in a way a crash
       explains; the records before it are printed, and the writer will cut the tail on its next open

With --json one JSON object is printed:
    {"logId": hex, "records": [...], "root": hex, "checkpoints": [...], "tornTail": null | {...},
     "checkpointsTornTail": null | {...}, "segments": [...], "leftoverSegments": [...], "otherFiles": [...]}
where a record is {"position", "recordedTime" (microseconds), "recordedTimeISO", "stream", "version", "eventId",
"payload" (hex), "leafHash" (hex)}, a checkpoint is {"offset", "treeSize", "time", "timeISO", "root", "logId",
"keyId", "publicKey", "signature", "rootMatches", "signatureState"} with signatureState "signature valid" or
"signature not checked" (an invalid signature is damage), and a torn tail is {"file", "offset", "reason",
"damagedBytes", "sideFile"} (plus "nextPosition" for a segment; "sideFile" is the side file the writer will keep the
bytes in, null when every name for that offset is taken), and on damage {"error": {"file": ..., "offset": ..., "reason": ...}} (exit code 2).
"""

import datetime
import hashlib
import json
import os
import re
import struct
import sys
import unicodedata

# ---------------------------------------------------------------------------------------------------------------
# Constants of the format (docs/log-format.md)

BATCH_MAGIC = b"CLB1"
INDEX_MAGIC = b"CLX1"
MANIFEST_MAGIC = b"CLM1"
CHECKPOINT_MAGIC = b"CLC1"
FORMAT_VERSION = 1
INDEX_FORMAT_VERSION = 2
INDEX_HEADER_BYTES = 128
BATCH_HEADER_BYTES = 64
RECORD_FIXED_BYTES = 42
CHECKPOINT_BYTES = 184
CHECKPOINT_MESSAGE_PREFIX = b"ClinicLog checkpoint v1\n"
FLAG_LZ4 = 1

RECORDS_PER_BATCH_MAX = 1 << 20  # LogLimits.formatMaximum.recordsPerBatchMax
BATCH_BYTES_MAX = 256 << 20  # LogLimits.formatMaximum.batchBytesMax

U64_MAX = (1 << 64) - 1
SEGMENT_NAME = re.compile(r"^([0-9]{20})\.segment$")
SIDE_FILES_PER_OFFSET_MAX = 1000  # Recovery.sideFilesPerOffsetMax

EXIT_OK, EXIT_USAGE, EXIT_DAMAGE, EXIT_TORN = 0, 1, 2, 3


class Damage(Exception):
    """Damage that is not a torn tail: names the file and the byte offset."""

    def __init__(self, file, offset, reason):
        super().__init__(f"{file} at byte {offset}: {reason}" if offset is not None else f"{file}: {reason}")
        self.file = file
        self.offset = offset
        self.reason = reason


class NotALog(Exception):
    pass


# ---------------------------------------------------------------------------------------------------------------
# CRC-32C (Castagnoli): reflected polynomial 0x82F63B78, init 0xFFFFFFFF, final xor 0xFFFFFFFF


def _make_crc_table():
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_CRC_TABLE = _make_crc_table()


def crc32c(data, crc=0):
    """The CRC-32C of `data`, continuing from the CRC-32C `crc` of earlier bytes."""
    table = _CRC_TABLE
    value = crc ^ 0xFFFFFFFF
    for byte in data:
        value = table[(value ^ byte) & 0xFF] ^ (value >> 8)
    return value ^ 0xFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283

# ---------------------------------------------------------------------------------------------------------------
# LZ4 block format (no frame)


class LZ4Error(Exception):
    pass


def lz4_decompress_block(block, size):
    """Decompresses one LZ4 block that must expand to exactly `size` bytes, enforcing the block format's rules:
    the block ends right after the literals of its last sequence, every other sequence has a match with an offset
    in 1 ..= bytes produced so far, no match starts in the last 12 bytes or ends in the last 5 bytes of the
    output, and after the literals of a sequence that is not the last at least 8 bytes of the block remain."""
    if size <= 0 or len(block) == 0:
        raise LZ4Error("empty block")
    out = bytearray()
    end = len(block)
    ip = 0
    while True:
        if ip >= end:
            raise LZ4Error(f"the block ends before the token at byte {ip}")
        token = block[ip]
        ip += 1
        literal_count = token >> 4
        if literal_count == 15:
            while True:
                if ip >= end:
                    raise LZ4Error("a literal length runs past the block")
                extra = block[ip]
                ip += 1
                literal_count += extra
                if extra != 255:
                    break
        if ip + literal_count > end:
            raise LZ4Error(f"literals at byte {ip} run past the block")
        if len(out) + literal_count > size:
            raise LZ4Error("literals run past the stated uncompressed length")
        out += block[ip:ip + literal_count]
        ip += literal_count
        if ip == end:
            break  # the last sequence: literals only
        if len(out) > size - 12:
            raise LZ4Error(f"a match starts within the last 12 bytes of the output (block byte {ip})")
        if ip > end - 8:
            raise LZ4Error(f"fewer than 8 bytes follow the literals of a sequence that is not the last (byte {ip})")
        offset = block[ip] | (block[ip + 1] << 8)
        ip += 2
        if offset == 0 or offset > len(out):
            raise LZ4Error(f"match offset {offset} at block byte {ip - 2} is outside the output")
        match_count = token & 15
        if match_count == 15:
            while True:
                if ip >= end:
                    raise LZ4Error("a match length runs past the block")
                extra = block[ip]
                ip += 1
                match_count += extra
                if extra != 255:
                    break
        match_count += 4
        if len(out) + match_count > size - 5:
            raise LZ4Error("a match reaches into the last 5 bytes of the output")
        start = len(out) - offset
        if offset >= match_count:
            out += out[start:start + match_count]
        else:
            remaining = match_count
            while remaining > 0:
                piece = out[start:start + min(offset, remaining)]
                out += piece
                remaining -= len(piece)
    if len(out) != size:
        raise LZ4Error(f"the block expands to {len(out)} bytes, not {size}")
    return bytes(out)


# ---------------------------------------------------------------------------------------------------------------
# Merkle tree (RFC 6962)

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(record_bytes):
    return hashlib.sha256(b"\x00" + record_bytes).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


class Frontier:
    """The roots of the perfect subtrees covering leaves [0, size), largest first."""

    def __init__(self):
        self.size = 0
        self.hashes = []

    def append(self, leaf):
        self.hashes.append(leaf)
        size = self.size
        while size & 1:
            right = self.hashes.pop()
            left = self.hashes.pop()
            self.hashes.append(node_hash(left, right))
            size >>= 1
        self.size += 1

    def snapshot(self):
        return (self.size, list(self.hashes))

    def root(self):
        if not self.hashes:
            return EMPTY_ROOT
        root = self.hashes[-1]
        for subtree in reversed(self.hashes[:-1]):
            root = node_hash(subtree, root)
        return root


# ---------------------------------------------------------------------------------------------------------------
# Bloom filters of index files


def fnv1a64(key):
    value = 0xCBF29CE484222325
    for byte in key:
        value = ((value ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return value


def bloom_bits(keys):
    """The bit count, hash count and bit bytes the writer stores for `keys`."""
    wanted = max(64, len(keys) * 10)
    bit_count = min((wanted + 7) // 8 * 8, 0xFFFFFFFF - 7)
    hash_count = 7
    bits = bytearray(bit_count // 8)
    for key in keys:
        value = fnv1a64(key)
        h1 = value & 0xFFFFFFFF
        h2 = (value >> 32) | 1
        for probe in range(hash_count):
            bit = ((h1 + probe * h2) & 0xFFFFFFFF) % bit_count
            bits[bit >> 3] |= 1 << (bit & 7)
    return bit_count, hash_count, bytes(bits)


# ---------------------------------------------------------------------------------------------------------------
# Batches


class Defect(Exception):
    """Why the bytes where a batch should start are not a valid batch."""

    def __init__(self, kind, reason):
        super().__init__(reason)
        self.kind = kind  # "zeroHeader", "truncated", "header", "checksum", "payload"
        self.reason = reason


def u16(data, offset):
    return struct.unpack_from("<H", data, offset)[0]


def u32(data, offset):
    return struct.unpack_from("<I", data, offset)[0]


def u64(data, offset):
    return struct.unpack_from("<Q", data, offset)[0]


def i64(data, offset):
    return struct.unpack_from("<q", data, offset)[0]


def decode_batch(data, start):
    """Checks and decodes the batch at `start` of `data`; returns (header dict, list of record dicts)."""
    available = len(data) - start
    if available < BATCH_HEADER_BYTES:
        if data.count(0, start) == available:
            raise Defect("zeroHeader", "zero-filled header")
        raise Defect("truncated", "batch truncated: fewer than 64 header bytes")
    header = data[start:start + BATCH_HEADER_BYTES]
    if header.count(0) == BATCH_HEADER_BYTES:
        raise Defect("zeroHeader", "zero-filled header")
    if header[0:4] != BATCH_MAGIC:
        raise Defect("header", "bad batch magic")
    if u16(header, 8) != FORMAT_VERSION:
        raise Defect("header", f"unknown batch format version {u16(header, 8)}")
    flags = u16(header, 10)
    if flags & ~FLAG_LZ4:
        raise Defect("header", f"invalid flags 0x{flags:04x}")
    if header[48:64].count(0) != 16:
        raise Defect("header", "reserved header bytes are not zero")
    checksum = u32(header, 4)
    count = u32(header, 12)
    base = u64(header, 16)
    first_time = i64(header, 24)
    last_time = i64(header, 32)
    uncompressed = u32(header, 40)
    stored = u32(header, 44)
    compressed = bool(flags & FLAG_LZ4)
    if not 1 <= count <= RECORDS_PER_BATCH_MAX:
        raise Defect("header", f"invalid record count {count}")
    if uncompressed > BATCH_BYTES_MAX or uncompressed < count * (4 + RECORD_FIXED_BYTES + 1):
        raise Defect("header", f"invalid uncompressed length {uncompressed}")
    if stored < 1 or (stored >= uncompressed if compressed else stored != uncompressed):
        raise Defect("header", f"invalid stored length {stored}")
    if first_time > last_time:
        raise Defect("header", "first recorded time is after the last")
    if base > U64_MAX - count:
        raise Defect("header", "base position too large")
    if available < BATCH_HEADER_BYTES + stored:
        raise Defect("truncated", "batch truncated: the payload runs past the end of the file")
    end = start + BATCH_HEADER_BYTES + stored
    if crc32c(memoryview(data)[start + 8:end]) != checksum:
        raise Defect("checksum", "batch checksum mismatch")
    stored_bytes = bytes(data[start + BATCH_HEADER_BYTES:end])
    if compressed:
        try:
            payload = lz4_decompress_block(stored_bytes, uncompressed)
        except LZ4Error as error:
            raise Defect("payload", f"invalid LZ4 block: {error}")
    else:
        payload = stored_bytes
    records = []
    offset = 0
    previous_time = first_time
    for index in range(count):
        if len(payload) - offset < 4:
            raise Defect("payload", f"record {index} framing runs past the payload")
        length = u32(payload, offset)
        offset += 4
        if length < RECORD_FIXED_BYTES + 1 or length > len(payload) - offset:
            raise Defect("payload", f"record {index} length {length} is impossible")
        record = payload[offset:offset + length]
        position = u64(record, 0)
        if position != base + index:
            raise Defect("payload", f"record {index} has position {position}, not {base + index}")
        time = i64(record, 8)
        if time < previous_time or time > last_time:
            raise Defect("payload", f"record {index} recorded time is out of order")
        previous_time = time
        version = u64(record, 16)
        stream_length = u16(record, 40)
        if stream_length < 1 or RECORD_FIXED_BYTES + stream_length > length or version < 1 \
                or version > 2**64 - 2:
            raise Defect("payload", f"record {index} stream is malformed")
        stream_bytes = record[RECORD_FIXED_BYTES:RECORD_FIXED_BYTES + stream_length]
        try:
            stream = stream_bytes.decode("utf-8")
        except UnicodeDecodeError:
            raise Defect("payload", f"record {index} stream is not UTF-8")
        records.append({
            "position": position,
            "time": time,
            "version": version,
            "id": record[24:40],
            "stream_bytes": stream_bytes,
            "stream": stream,
            "payload": record[RECORD_FIXED_BYTES + stream_length:],
            "leaf": leaf_hash(record),
        })
        offset += length
    if offset != len(payload):
        raise Defect("payload", "bytes left after the last record")
    if previous_time != last_time or records[0]["time"] != first_time:
        raise Defect("payload", "recorded times disagree with the header")
    header_info = {
        "offset": start, "count": count, "base": base, "first_time": first_time, "last_time": last_time,
        "uncompressed": uncompressed, "stored": stored, "compressed": compressed, "size": BATCH_HEADER_BYTES + stored,
    }
    return header_info, records


def find_later_valid_batch(data, after):
    """The offset of the first valid batch (any position) that starts after byte `after`, or None."""
    candidate = data.find(BATCH_MAGIC, after + 1)
    while candidate != -1 and candidate + BATCH_HEADER_BYTES <= len(data):
        try:
            decode_batch(data, candidate)
            return candidate
        except Defect:
            pass
        candidate = data.find(BATCH_MAGIC, candidate + 1)
    return None


# ---------------------------------------------------------------------------------------------------------------
# The manifest


def read_manifest(directory):
    path = os.path.join(directory, "manifest")
    with open(path, "rb") as file:
        data = file.read()
    name = "manifest"
    if len(data) < 52 or data[0:4] != MANIFEST_MAGIC:
        raise Damage(name, 0, "bad magic or too short")
    if crc32c(memoryview(data)[8:]) != u32(data, 4):
        raise Damage(name, 4, "manifest checksum mismatch")
    if u16(data, 8) != FORMAT_VERSION or u16(data, 10) != 0:
        raise Damage(name, 8, "unknown format version or reserved bytes not zero")
    count = u32(data, 12)
    log_id = data[16:32]
    active_base = u64(data, 32)
    offset = 40
    if count > (len(data) - offset) // 40:
        raise Damage(name, 12, "sealed segment count runs past the file")
    sealed = []
    expected = 0
    for _ in range(count):
        base, records, length, last_time, crc, reserved = struct.unpack_from("<QQQqII", data, offset)
        if reserved != 0 or base != expected or records == 0 or base > U64_MAX - records:
            raise Damage(name, offset, "invalid sealed segment entry")
        sealed.append({"base": base, "records": records, "length": length, "last_time": last_time, "crc": crc})
        expected = base + records
        offset += 40
    if active_base != expected:
        raise Damage(name, 32, "the active base does not follow the sealed segments")
    if len(data) - offset < 12:
        raise Damage(name, offset, "the Merkle frontier is missing")
    size = u64(data, offset)
    hash_count = u32(data, offset + 8)
    if size != active_base or hash_count != bin(size).count("1") or len(data) - offset - 12 != hash_count * 32:
        raise Damage(name, offset, "invalid Merkle frontier")
    offset += 12
    hashes = [data[offset + 32 * k:offset + 32 * (k + 1)] for k in range(hash_count)]
    return {"log_id": log_id, "sealed": sealed, "active_base": active_base, "frontier_size": size,
            "frontier_hashes": hashes}


# ---------------------------------------------------------------------------------------------------------------
# Index files


def stream_key(text):
    """Stream identity as the Swift code compares stream ids: canonical equivalence (equal NFD forms)."""
    return unicodedata.normalize("NFD", text)


def index_part(name, data, start, end, what):
    """The bytes of an index part without its trailing CRC-32C, after checking it (docs section 9.1)."""
    if end - start < 4:
        raise Damage(name, start, f"the {what} part is too short")
    if crc32c(memoryview(data)[start:end - 4]) != u32(data, end - 4):
        raise Damage(name, end - 4, f"the {what} part's checksum does not match")
    return start, end - 4


def decode_bloom(name, data, start, end):
    if end - start < 8:
        raise Damage(name, start, "invalid Bloom filter")
    bit_count, hash_count = struct.unpack_from("<IB", data, start)
    if (data[start + 5:start + 8] != b"\0\0\0" or bit_count % 8 or bit_count < 64 or not 1 <= hash_count <= 32
            or bit_count // 8 != end - start - 8):
        raise Damage(name, start, "invalid Bloom filter")
    return bit_count, hash_count, data[start + 8:end]


def decode_index(name, data):
    """Decodes and checks an index file on its own (docs section 9.3); returns its fields."""
    if len(data) < INDEX_HEADER_BYTES:
        raise Damage(name, 0, "index file too short")
    if data[0:4] != INDEX_MAGIC:
        raise Damage(name, 0, "bad index magic")
    if crc32c(memoryview(data)[8:INDEX_HEADER_BYTES]) != u32(data, 4):
        raise Damage(name, 4, "index header checksum mismatch")
    (version, reserved, flags, base, record_count, data_length, first_time, last_time, sparse_count, stream_count,
     data_checksum, reserved2) = struct.unpack_from("<HHIQQQqqIIII", data, 8)
    if version != INDEX_FORMAT_VERSION or reserved != 0 or reserved2 != 0 or flags & ~1:
        raise Damage(name, 8, "unknown index version, reserved bytes not zero or unknown flags")
    if record_count > 0xFFFFFFFF or base > U64_MAX - record_count:
        raise Damage(name, 16, "invalid base position or record count")
    parts = [INDEX_HEADER_BYTES] + list(struct.unpack_from("<6Q", data, 72))
    if u64(data, 120) != 0 or any(a > b for a, b in zip(parts, parts[1:])):
        raise Damage(name, 72, "invalid part offsets")
    if parts[6] != len(data):
        raise Damage(name, 112, "the file length differs from the header's")
    index = {"base": base, "records": record_count, "length": data_length, "first_time": first_time,
             "last_time": last_time, "sparse": [], "sparse_offset": parts[1], "blooms": [], "streams": [],
             "events": [], "frontier": None, "checksum": data_checksum}
    # Part 1: the stream Bloom filter.
    start, end = index_part(name, data, parts[0], parts[1], "stream filter")
    index["blooms"].append(decode_bloom(name, data, start, end))
    # Part 2: sparse entries, then the frontier.
    offset, end = index_part(name, data, parts[1], parts[2], "sparse")
    if sparse_count > (end - offset) // 24:
        raise Damage(name, offset, "sparse entries run past their part")
    for _ in range(sparse_count):
        entry = struct.unpack_from("<QQq", data, offset)
        offset += 24
        position, batch_offset, _time = entry
        previous = index["sparse"][-1] if index["sparse"] else None
        if (not base <= position < base + record_count or batch_offset >= data_length
                or (previous is not None and not (previous[0] < position and previous[1] < batch_offset))):
            raise Damage(name, offset, "invalid sparse entry")
        index["sparse"].append(entry)
    if flags & 1:
        if end - offset < 12:
            raise Damage(name, offset, "invalid Merkle frontier")
        size, count = struct.unpack_from("<QI", data, offset)
        offset += 12
        if size != base + record_count or count != bin(size).count("1") or end - offset != 32 * count:
            raise Damage(name, offset, "invalid Merkle frontier")
        index["frontier"] = (size, [data[offset + 32 * k:offset + 32 * (k + 1)] for k in range(count)])
        offset += 32 * count
    if offset != end:
        raise Damage(name, offset, "bytes after the sparse part")
    # Part 3: the stream directory, which tiles part 4.
    offset, end = index_part(name, data, parts[2], parts[3], "stream directory")
    if end - offset != 16 * stream_count:
        raise Damage(name, offset, "stream directory length does not match stream count")
    directory = [struct.unpack_from("<QQ", data, offset + 16 * k) for k in range(stream_count)]
    bounds = [entry_offset for _, entry_offset in directory] + [parts[4]]
    if (stream_count == 0 and parts[3] != parts[4]) or (stream_count and bounds[0] != parts[3]) \
            or any(a >= b for a, b in zip(bounds, bounds[1:])) \
            or any(a[0] > b[0] for a, b in zip(directory, directory[1:])):
        raise Damage(name, offset, "invalid stream directory entry")
    # Part 4: one entry per stream, each with its own CRC-32C.
    keys = set()
    previous = None
    for number, (hash_value, entry) in enumerate(directory):
        start, end = index_part(name, data, entry, bounds[number + 1], "stream entry")
        valid = end - start >= 2
        length = u16(data, start) if valid else 0
        valid = valid and length >= 1 and end - start - 2 >= length + 12
        stream_bytes = data[start + 2:start + 2 + length]
        try:
            key = stream_key(stream_bytes.decode("utf-8")) if valid else None
        except UnicodeDecodeError:
            valid = False
        if valid:
            first_version = u64(data, start + 2 + length)
            count = u32(data, start + 10 + length)
            valid = (first_version >= 1 and count >= 1 and first_version + count <= 2**64 - 1
                     and end - start - 14 - length == 4 * count and key not in keys
                     and fnv1a64(stream_bytes) == hash_value
                     and (previous is None or previous < (hash_value, stream_bytes)))
        if not valid:
            raise Damage(name, entry, "invalid stream entry")
        keys.add(key)
        previous = (hash_value, stream_bytes)
        deltas = list(struct.unpack_from(f"<{count}I", data, start + 14 + length))
        if any(delta >= record_count for delta in deltas) or any(a >= b for a, b in zip(deltas, deltas[1:])):
            raise Damage(name, entry, "invalid stream positions")
        index["streams"].append((stream_bytes, first_version, deltas))
    # Part 5: the event-id Bloom filter.
    start, end = index_part(name, data, parts[4], parts[5], "event filter")
    index["blooms"].append(decode_bloom(name, data, start, end))
    # Part 6: the event table, ascending by id.
    offset, end = index_part(name, data, parts[5], parts[6], "event table")
    if end - offset != 20 * record_count:
        raise Damage(name, offset, "event table length does not match record count")
    for _ in range(record_count):
        event_id, delta = data[offset:offset + 16], u32(data, offset + 16)
        offset += 20
        if delta >= record_count or (index["events"] and index["events"][-1][0] >= event_id):
            raise Damage(name, offset, "invalid event entry")
        index["events"].append((event_id, delta))
    return index


def expected_index(base, segment, data_length, batches, records, frontier):
    """What the writer puts in the index of `segment`'s first `data_length` bytes (docs section 9.2)."""
    groups = {}
    for record in records:
        key = stream_key(record["stream"])
        if key not in groups:
            groups[key] = {"name": record["stream_bytes"], "first": record["version"], "positions": []}
        groups[key]["positions"].append(record["position"] - base)
    streams = sorted(((group["name"], group["first"], group["positions"]) for group in groups.values()),
                     key=lambda entry: (fnv1a64(entry[0]), entry[0]))
    return {
        "base": base, "records": len(records), "length": data_length,
        "first_time": records[0]["time"] if records else 0, "last_time": records[-1]["time"] if records else 0,
        "batches": {batch["offset"]: batch for batch in batches},
        "blooms": [bloom_bits([entry[0] for entry in streams]), bloom_bits([record["id"] for record in records])],
        "streams": streams,
        "events": sorted((record["id"], record["position"] - base) for record in records),
        "checksum": crc32c(memoryview(segment)[:data_length]),
        "frontier": frontier,
    }


def compare_index(name, index, expected):
    """Checks a decoded index against what the segment says it must hold."""
    if (index["base"], index["records"], index["length"], index["first_time"], index["last_time"]) != (
            expected["base"], expected["records"], expected["length"], expected["first_time"],
            expected["last_time"]):
        raise Damage(name, 16, "the index header does not match its segment")
    for number, (position, batch_offset, time) in enumerate(index["sparse"]):
        batch = expected["batches"].get(batch_offset)
        if batch is None or batch["base"] != position or batch["first_time"] != time or (number == 0 and batch_offset):
            raise Damage(name, index["sparse_offset"] + 24 * number,
                         "a sparse entry does not point at the start of a batch")
    if not index["sparse"] and index["records"]:
        raise Damage(name, index["sparse_offset"], "no sparse entry for the first batch")
    if index["blooms"][0] != expected["blooms"][0]:
        raise Damage(name, None, "the stream Bloom filter does not match the segment")
    if index["blooms"][1] != expected["blooms"][1]:
        raise Damage(name, None, "the event-id Bloom filter does not match the segment")
    if index["streams"] != expected["streams"]:
        raise Damage(name, None, "the stream table does not match the segment")
    if index["events"] != expected["events"]:
        raise Damage(name, None, "the event table does not match the segment")
    if index["checksum"] != expected["checksum"]:
        raise Damage(name, None, "the data checksum does not match the segment")
    if index["frontier"] is not None and index["frontier"] != expected["frontier"]:
        raise Damage(name, None, "the Merkle frontier does not match the records")


# ---------------------------------------------------------------------------------------------------------------
# The log


class LogState:
    def __init__(self):
        self.records = []
        self.frontier = Frontier()
        self.next_position = 0
        self.last_time = None
        self.versions = {}
        self.ids = set()
        self.segments = []

    def add_batch(self, file, header, records):
        if header["base"] != self.next_position:
            raise Damage(file, header["offset"],
                         f"batch at the wrong place: expected position {self.next_position}, found {header['base']}")
        if self.last_time is not None and header["first_time"] < self.last_time:
            raise Damage(file, header["offset"], "recorded time goes backwards")
        for record in records:
            key = stream_key(record["stream"])
            expected_version = self.versions.get(key, 0) + 1
            if record["version"] != expected_version:
                raise Damage(file, header["offset"],
                             f"position {record['position']}: stream version {record['version']}, "
                             f"expected {expected_version}")
            self.versions[key] = record["version"]
            if record["id"] in self.ids:
                raise Damage(file, header["offset"], f"position {record['position']}: event id stored twice")
            self.ids.add(record["id"])
            self.frontier.append(record["leaf"])
            self.records.append(record)
        self.next_position = header["base"] + header["count"]
        self.last_time = header["last_time"]


def read_file(path):
    with open(path, "rb") as file:
        return file.read()


def check_sealed_segment(directory, state, entry):
    name = f"{entry['base']:020d}.segment"
    path = os.path.join(directory, name)
    if not os.path.exists(path):
        raise Damage(name, None, "sealed segment is missing")
    data = read_file(path)
    if len(data) != entry["length"]:
        raise Damage(name, min(len(data), entry["length"]),
                     f"sealed segment is {len(data)} bytes, the manifest says {entry['length']}")
    if crc32c(data) != entry["crc"]:
        raise Damage(name, 0, "the segment's CRC-32C does not match the manifest")
    start_count = len(state.records)
    batches = []
    offset = 0
    while offset < len(data):
        try:
            header, records = decode_batch(data, offset)
        except Defect as defect:
            raise Damage(name, offset, defect.reason)
        state.add_batch(name, header, records)
        batches.append(header)
        offset += header["size"]
    records = state.records[start_count:]
    if len(records) != entry["records"] or (records and records[-1]["time"] != entry["last_time"]):
        raise Damage(name, len(data), "the segment does not hold the records the manifest lists")
    index_name = f"{entry['base']:020d}.index"
    index_path = os.path.join(directory, index_name)
    if not os.path.exists(index_path):
        raise Damage(index_name, None, "the index file of a sealed segment is missing (the writer rebuilds it on open)")
    index = decode_index(index_name, read_file(index_path))
    compare_index(index_name, index, expected_index(
        entry["base"], data, len(data), batches, records, state.frontier.snapshot()))
    state.segments.append({"file": name, "state": "sealed", "base": entry["base"], "records": len(records),
                           "bytes": len(data), "batches": len(batches)})


def side_file_name(directory, name, offset, removed):
    """The side file in which the writer keeps the bytes `removed` that it cuts from `name` at `offset`
    (docs/log-format.md section 12): `<name>.damaged-<offset>`, or `<name>.damaged-<offset>.<n>` with the smallest
    free n >= 1 when that one exists; an existing side file that already holds exactly these bytes is the copy. None
    when every name up to n = 1000 is taken by other bytes (the writer then refuses to open)."""
    first = f"{name}.damaged-{offset}"
    for number in range(SIDE_FILES_PER_OFFSET_MAX + 1):
        candidate = first if number == 0 else f"{first}.{number}"
        path = os.path.join(directory, candidate)
        if not os.path.exists(path) or read_file(path) == removed:
            return candidate
    return None


def check_active_segment(directory, state, base):
    """Scans the active segment and checks its index file when there is one; returns None or a torn-tail
    description."""
    name = f"{base:020d}.segment"
    path = os.path.join(directory, name)
    if not os.path.exists(path):
        raise Damage(name, None, "active segment is missing")
    data = read_file(path)
    start_count = len(state.records)
    frontier_at = {0: state.frontier.snapshot()}
    batches = []
    offset = 0
    damage = None
    data_end = len(data)
    while offset < len(data):
        try:
            header, records = decode_batch(data, offset)
        except Defect as defect:
            if defect.kind == "zeroHeader":
                data_end = offset
                if data.count(0, offset) != len(data) - offset:
                    damage = (offset, "zero-filled header followed by non-zero bytes")
            else:
                damage = (offset, defect.reason)
            break
        state.add_batch(name, header, records)
        batches.append(header)
        offset += header["size"]
        frontier_at[offset] = state.frontier.snapshot()
        data_end = offset
    torn = None
    if damage is not None:
        at, reason = damage
        later = find_later_valid_batch(data, at)
        if later is not None:
            raise Damage(name, at, f"{reason}, followed by a valid batch at byte {later}: "
                                   "damage inside the log, not a torn tail")
        last_non_zero = len(data.rstrip(b"\0")) - 1
        torn = {"file": name, "offset": at, "reason": reason, "nextPosition": state.next_position,
                "damagedBytes": max(0, last_non_zero + 1 - at),
                "sideFile": side_file_name(directory, name, at, data[at:last_non_zero + 1])}
    index_name = f"{base:020d}.index"
    index_path = os.path.join(directory, index_name)
    if os.path.exists(index_path):
        index = decode_index(index_name, read_file(index_path))
        if index["base"] != base:
            raise Damage(index_name, 16, "the active segment's index names another segment")
        if index["length"] > len(data):
            raise Damage(index_name, 32, "the active segment's index covers more bytes than the segment holds")
        if torn is not None and torn["offset"] < index["length"]:
            raise Damage(name, torn["offset"], f"{torn['reason']}, inside the {index['length']} bytes the active "
                                               "segment's index covers: acknowledged records were changed")
        elif index["length"] not in frontier_at:
            raise Damage(index_name, 32, f"the active segment's index covers {index['length']} bytes, "
                                         "which do not end at a batch")
        else:
            covered = [batch for batch in batches if batch["offset"] + batch["size"] <= index["length"]]
            records = state.records[start_count:start_count + sum(batch["count"] for batch in covered)]
            compare_index(index_name, index, expected_index(
                base, data, index["length"], covered, records, frontier_at[index["length"]]))
    state.segments.append({"file": name, "state": "active", "base": base, "records": len(state.records) - start_count,
                           "bytes": len(data), "dataBytes": data_end})
    return torn


def read_checkpoints(directory, log_id, state, trusted_key, segment_torn):
    """Decodes, and checks, every checkpoint; returns (list of checkpoint dicts, torn-tail description or None)."""
    name = "checkpoints"
    path = os.path.join(directory, name)
    if not os.path.exists(path):
        return [], None
    data = read_file(path)
    entries = []
    torn = None
    last_entry_start = max(0, (len(data) - 1) // CHECKPOINT_BYTES * CHECKPOINT_BYTES)
    offset = 0
    while offset < len(data):
        entry = data[offset:offset + CHECKPOINT_BYTES]
        reason = None
        if len(entry) < CHECKPOINT_BYTES:
            reason = "partial checkpoint entry"
        elif entry[0:4] != CHECKPOINT_MAGIC or crc32c(entry[8:]) != u32(entry, 4):
            reason = "damaged checkpoint entry (magic or checksum)"
        elif u16(entry, 8) != FORMAT_VERSION or entry[10:16].count(0) != 6:
            reason = "damaged checkpoint entry (version or reserved bytes)"
        elif hashlib.sha256(entry[88:120]).digest()[:8] != entry[80:88]:
            reason = "damaged checkpoint entry (key id is not the public key's)"
        elif entries and u64(entry, 16) < u64(entries[-1][1], 16):
            reason = "checkpoint tree size goes backwards"
        if reason is not None:
            if offset >= last_entry_start:
                torn = {"file": name, "offset": offset, "reason": reason, "damagedBytes": len(data) - offset,
                        "sideFile": side_file_name(directory, name, offset, data[offset:])}
                break
            raise Damage(name, offset, reason)
        entries.append((offset, entry))
        offset += CHECKPOINT_BYTES

    verify = signature_verifier()
    checkpoints = []
    frontier = Frontier()
    for offset, entry in entries:
        tree_size = u64(entry, 16)
        time = i64(entry, 24)
        root = entry[32:64]
        entry_log_id = entry[64:80]
        public_key = entry[88:120]
        signature = entry[120:184]
        if entry_log_id != log_id:
            raise Damage(name, offset, "the checkpoint belongs to another log (log id differs from the manifest)")
        if tree_size > len(state.records):
            if segment_torn is not None:
                raise Damage(name, offset, f"checkpoint covers {tree_size} records but only {len(state.records)} "
                                           f"are readable before the damaged tail of {segment_torn['file']} at byte "
                                           f"{segment_torn['offset']}: acknowledged, checkpointed records are damaged")
            raise Damage(name, offset, f"checkpoint covers {tree_size} records but the log holds "
                                       f"{len(state.records)}: records are missing")
        while frontier.size < tree_size:
            frontier.append(state.records[frontier.size]["leaf"])
        if frontier.root() != root:
            raise Damage(name, offset, f"the checkpoint root does not match the root of the first {tree_size} records")
        if trusted_key is not None and public_key != trusted_key:
            raise Damage(name, offset, "the checkpoint is signed by a key other than the trusted key")
        message = CHECKPOINT_MESSAGE_PREFIX + entry_log_id + struct.pack("<Qq", tree_size, time) + root
        if verify is None:
            signature_state = "signature not checked"
        elif verify(public_key, signature, message):
            signature_state = "signature valid"
        else:
            raise Damage(name, offset, "the checkpoint signature is invalid")
        checkpoints.append({
            "offset": offset, "treeSize": tree_size, "time": time, "timeISO": iso_time(time), "root": root.hex(),
            "logId": entry_log_id.hex(), "keyId": entry[80:88].hex(), "publicKey": public_key.hex(),
            "signature": signature.hex(), "rootMatches": True, "signatureState": signature_state,
        })
    return checkpoints, torn


def signature_verifier():
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    except Exception:
        return None

    def verify(public_key, signature, message):
        try:
            Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
            return True
        except (InvalidSignature, ValueError):
            return False

    return verify


def iso_time(microseconds):
    try:
        moment = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(
            microseconds=microseconds)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    except OverflowError:
        return None


def format_id(raw):
    text = raw.hex()
    return f"{text[0:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:32]}"


def read_log(directory, trusted_key=None):
    """Reads and checks the whole log; returns a result dict. Raises Damage or NotALog."""
    if not os.path.isdir(directory):
        raise NotALog(f"{directory} is not a directory")
    names = os.listdir(directory)
    segment_bases = {}
    for name in names:
        match = SEGMENT_NAME.match(name)
        if match and int(match.group(1)) <= U64_MAX:
            segment_bases[int(match.group(1))] = name
    if "manifest" not in names:
        if segment_bases:
            raise Damage("manifest", None, "the manifest is missing but segments exist")
        raise NotALog(f"{directory} holds no log: there is no manifest")
    manifest = read_manifest(directory)
    sealed_bases = {entry["base"] for entry in manifest["sealed"]}
    for base in sorted(segment_bases):
        if base < manifest["active_base"] and base not in sealed_bases:
            raise Damage(segment_bases[base], None, "segment is not in the manifest")
    state = LogState()
    for entry in manifest["sealed"]:
        check_sealed_segment(directory, state, entry)
    if state.frontier.size != manifest["frontier_size"] or state.frontier.hashes != manifest["frontier_hashes"]:
        raise Damage("manifest", 40 + 40 * len(manifest["sealed"]),
                     "the Merkle frontier does not match the records of the sealed segments")
    torn = check_active_segment(directory, state, manifest["active_base"])
    leftovers = []
    for base in sorted(segment_bases):
        if base > manifest["active_base"]:
            data = read_file(os.path.join(directory, segment_bases[base]))
            if data.count(0) != len(data):
                raise Damage(segment_bases[base], None,
                             "segment after the active segment holds data the manifest does not know")
            leftovers.append(segment_bases[base])
    checkpoints, checkpoints_torn = read_checkpoints(directory, manifest["log_id"], state, trusted_key, torn)
    known = set(segment_bases.values()) | {"manifest", "checkpoints", "lock"}
    known |= {f"{base:020d}.index" for base in sealed_bases | {manifest["active_base"]}}
    other = sorted(name for name in names if name not in known)
    return {
        "logId": manifest["log_id"].hex(),
        "records": state.records,
        "root": state.frontier.root().hex(),
        "checkpoints": checkpoints,
        "tornTail": torn,
        "checkpointsTornTail": checkpoints_torn,
        "segments": state.segments,
        "leftoverSegments": leftovers,
        "otherFiles": other,
    }


def record_json(record):
    return {
        "position": record["position"],
        "recordedTime": record["time"],
        "recordedTimeISO": iso_time(record["time"]),
        "stream": record["stream"],
        "version": record["version"],
        "eventId": format_id(record["id"]),
        "payload": record["payload"].hex(),
        "leafHash": record["leaf"].hex(),
    }


def main(arguments):
    as_json = False
    trusted_key = None
    directory = None
    rest = list(arguments)
    while rest:
        argument = rest.pop(0)
        if argument == "--json":
            as_json = True
        elif argument == "--trust-key" and rest:
            try:
                trusted_key = bytes.fromhex(rest.pop(0))
            except ValueError:
                trusted_key = b""
            if len(trusted_key) != 32:
                print("read-log: --trust-key needs 64 hex digits (an Ed25519 public key)", file=sys.stderr)
                return EXIT_USAGE
        elif argument in ("-h", "--help"):
            print(__doc__)
            return EXIT_OK
        elif directory is None and not argument.startswith("--"):
            directory = argument
        else:
            print(f"read-log: unexpected argument {argument}\nusage: read-log.py DIR [--json] [--trust-key HEX]",
                  file=sys.stderr)
            return EXIT_USAGE
    if directory is None:
        print("usage: read-log.py DIR [--json] [--trust-key HEX]", file=sys.stderr)
        return EXIT_USAGE
    try:
        sys.stdout.reconfigure(errors="backslashreplace")
    except AttributeError:
        pass
    try:
        result = read_log(directory, trusted_key)
    except Damage as damage:
        if as_json:
            print(json.dumps({"error": {"file": damage.file, "offset": damage.offset, "reason": damage.reason}}))
        print(f"read-log: damaged: {damage}", file=sys.stderr)
        return EXIT_DAMAGE
    except NotALog as error:
        print(f"read-log: {error}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:
        print(f"read-log: cannot read the log: {error}", file=sys.stderr)
        return EXIT_USAGE
    torn = result["tornTail"] or result["checkpointsTornTail"]
    if as_json:
        output = dict(result)
        output["records"] = [record_json(record) for record in result["records"]]
        print(json.dumps(output, indent=1))
    else:
        print(f"log id {result['logId']}")
        for segment in result["segments"]:
            print(f"segment {segment['file']}: {segment['state']}, positions {segment['base']}"
                  f"..<{segment['base'] + segment['records']}, {segment['bytes']} bytes")
        for record in result["records"]:
            item = record_json(record)
            print(f"{item['position']} {item['recordedTimeISO']} ({item['recordedTime']}) "
                  f"stream {json.dumps(item['stream'], ensure_ascii=False)} version {item['version']} "
                  f"event {item['eventId']} payload {item['payload']} leaf {item['leafHash']}")
        print(f"root {result['root']} ({len(result['records'])} records)")
        for checkpoint in result["checkpoints"]:
            print(f"checkpoint at byte {checkpoint['offset']}: tree size {checkpoint['treeSize']}, "
                  f"time {checkpoint['timeISO']} ({checkpoint['time']}), root {checkpoint['root']}, "
                  f"key id {checkpoint['keyId']}, root matches the log, {checkpoint['signatureState']}")
        for name in result["leftoverSegments"]:
            print(f"note: {name} is an empty segment left by an interrupted roll (the writer removes it)")
        for name in result["otherFiles"]:
            print(f"note: other file {name}")
    for tail in (result["tornTail"], result["checkpointsTornTail"]):
        if tail is None:
            continue
        if tail["sideFile"] is None:
            repair = "the writer refuses to open: every side file name for this offset is taken"
        else:
            repair = f"the writer moves them to {tail['sideFile']} and cuts them on open"
        print(f"read-log: torn tail in {tail['file']} at byte {tail['offset']}: {tail['reason']} "
              f"({tail['damagedBytes']} damaged bytes; {repair})", file=sys.stderr)
    return EXIT_TORN if torn else EXIT_OK


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(EXIT_USAGE)
