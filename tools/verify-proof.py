#!/usr/bin/env python3
"""Checks ClinicLog proof documents independently of the ClinicLog code.

Written from docs/audit.md and docs/log-format.md alone, with the Python 3 standard library (SHA-256 from hashlib).
Ed25519 signatures are checked with the `cryptography` package when it can be imported, and otherwise with the
pure-Python RFC 8032 verification below (set CLINICLOG_PURE_ED25519=1 to use it always).

    python3 tools/verify-proof.py FILE [--trust-key HEX]... [--verbose]
    python3 tools/verify-proof.py --batch FILE... [--trust-key HEX]...
    python3 tools/verify-proof.py --lines FILE [--trust-key HEX]...
    python3 tools/verify-proof.py --self-test

FILE is one of the documents of docs/audit.md, told apart by its "format": an exported checkpoint
(cliniclog.checkpoint.v1), an inclusion proof (cliniclog.inclusion-proof.v1), a consistency proof
(cliniclog.consistency-proof.v1), a proof bundle (cliniclog.proof-bundle.v1) or a patient export
(cliniclog.patient-export.v1). Every checkpoint in it must be signed by one of the --trust-key public keys (32 bytes
in hex) when any is given; without one, each checkpoint's own key is used, which proves the document was not
altered but not who signed it.

Proofs are checked step by step: the shape of the path is derived from the position and tree sizes as RFC 6962
section 2.1 defines PATH and PROOF, every node of the path must sit exactly where that shape puts it and be used
once, every intermediate node is recomputed, and the roots must come out exactly when the path runs out. A path
with a node too many or too few, a record whose bytes do not hash to the leaf, or a checkpoint whose signed message
is not the one its fields call for, fails.

Output: with FILE, "VALID: ..." or "INVALID: <the first check that failed>" (and with --verbose every check made);
with --batch, one line per file, "<file>: valid" or "<file>: INVALID: <reason>"; with --lines, FILE holds one
document per line (JSON without line breaks) and the output is one line per document, "line <n>: valid" or
"line <n>: INVALID: <reason>", counting from 1.

For a patient export, the proofs cover each listed event's record bytes, so this tool checks the position, stream,
stream version, event id and recorded time listed for each event; the other fields it lists (type, effective time,
actor, reason, summary, links, body) are a decoding of the proved payload, which docs/events.md describes byte by
byte and which ClinicAudit's ProofDocument.verify checks in full.

Exit codes: 0 every document is valid; 1 a document is invalid or unreadable; 2 usage error.
"""

import datetime
import hashlib
import json
import os
import sys

CHECKPOINT_FORMAT = "cliniclog.checkpoint.v1"
INCLUSION_FORMAT = "cliniclog.inclusion-proof.v1"
CONSISTENCY_FORMAT = "cliniclog.consistency-proof.v1"
BUNDLE_FORMAT = "cliniclog.proof-bundle.v1"
EXPORT_FORMAT = "cliniclog.patient-export.v1"
MESSAGE_PREFIX = b"ClinicLog checkpoint v1\n"
U64_MAX = (1 << 64) - 1
I64_MIN = -(1 << 63)
I64_MAX = (1 << 63) - 1


class Invalid(Exception):
    """The document fails a check; the message says which."""


# ---------------------------------------------------------------------------------------------------------------
# Ed25519 verification (RFC 8032 section 5.1.7), pure Python

ED_P = 2**255 - 19
ED_L = 2**252 + 27742317777372353535851937790883648493
ED_D = -121665 * pow(121666, ED_P - 2, ED_P) % ED_P
ED_SQRT_M1 = pow(2, (ED_P - 1) // 4, ED_P)


def _ed_add(p, q):
    x1, y1, z1, t1 = p
    x2, y2, z2, t2 = q
    a = (y1 - x1) * (y2 - x2) % ED_P
    b = (y1 + x1) * (y2 + x2) % ED_P
    c = 2 * t1 * t2 * ED_D % ED_P
    d = 2 * z1 * z2 % ED_P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % ED_P, g * h % ED_P, f * g % ED_P, e * h % ED_P)


def _ed_mul(scalar, point):
    result = (0, 1, 1, 0)
    while scalar > 0:
        if scalar & 1:
            result = _ed_add(result, point)
        point = _ed_add(point, point)
        scalar >>= 1
    return result


def _ed_equal(p, q):
    x1, y1, z1, _ = p
    x2, y2, z2, _ = q
    return (x1 * z2 - x2 * z1) % ED_P == 0 and (y1 * z2 - y2 * z1) % ED_P == 0


def _ed_decompress(encoded):
    if len(encoded) != 32:
        return None
    y = int.from_bytes(encoded, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    if y >= ED_P:
        return None
    x2 = (y * y - 1) * pow(ED_D * y * y + 1, ED_P - 2, ED_P) % ED_P
    if x2 == 0:
        if sign:
            return None
        x = 0
    else:
        x = pow(x2, (ED_P + 3) // 8, ED_P)
        if (x * x - x2) % ED_P != 0:
            x = x * ED_SQRT_M1 % ED_P
        if (x * x - x2) % ED_P != 0:
            return None
        if (x & 1) != sign:
            x = ED_P - x
    return (x, y, 1, x * y % ED_P)


_ED_BY = 4 * pow(5, ED_P - 2, ED_P) % ED_P
ED_BASE = _ed_decompress(_ED_BY.to_bytes(32, "little"))


def ed25519_verify_pure(public_key, signature, message):
    """RFC 8032 verification: S < L, A and R decode, and [S]B = R + [SHA-512(R || A || M)]A."""
    if len(public_key) != 32 or len(signature) != 64:
        return False
    a = _ed_decompress(public_key)
    r = _ed_decompress(signature[:32])
    if a is None or r is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= ED_L:
        return False
    k = int.from_bytes(hashlib.sha512(signature[:32] + public_key + message).digest(), "little") % ED_L
    return _ed_equal(_ed_mul(s, ED_BASE), _ed_add(r, _ed_mul(k, a)))


def _load_ed25519():
    if os.environ.get("CLINICLOG_PURE_ED25519") == "1":
        return ed25519_verify_pure, "pure Python (RFC 8032)"
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    except ImportError:
        return ed25519_verify_pure, "pure Python (RFC 8032)"

    def verify(public_key, signature, message):
        try:
            Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
            return True
        except (InvalidSignature, ValueError):
            return False

    return verify, "the cryptography package"


ED25519_VERIFY, ED25519_SOURCE = _load_ed25519()
_SIGNATURE_CACHE = {}


def ed25519_verify(public_key, signature, message):
    key = (public_key, signature, message)
    if key not in _SIGNATURE_CACHE:
        _SIGNATURE_CACHE[key] = ED25519_VERIFY(public_key, signature, message)
    return _SIGNATURE_CACHE[key]


RFC8032_VECTORS = [
    (
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe"
        "24655141438e7a100b",
    ),
    (
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302a"
        "eeb00d291612bb0c00",
    ),
    (
        "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
        "af82",
        "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed2"
        "8dc027beceea1ec40a",
    ),
]


def self_test():
    """Checks the pure-Python Ed25519 against RFC 8032 section 7.1 tests 1 to 3, valid and altered."""
    for public_hex, message_hex, signature_hex in RFC8032_VECTORS:
        public_key, message = bytes.fromhex(public_hex), bytes.fromhex(message_hex)
        signature = bytes.fromhex(signature_hex)
        if not ed25519_verify_pure(public_key, signature, message):
            return "RFC 8032 vector with public key %s does not verify" % public_hex[:16]
        for index in (0, 31, 32, 63):
            altered = bytearray(signature)
            altered[index] ^= 0x01
            if ed25519_verify_pure(public_key, bytes(altered), message):
                return "an altered RFC 8032 signature verifies"
        if ed25519_verify_pure(public_key, signature, message + b"\x00"):
            return "an RFC 8032 signature verifies for another message"
        over = int.from_bytes(signature[32:], "little") + ED_L
        if over < 2**256 and ed25519_verify_pure(public_key, signature[:32] + over.to_bytes(32, "little"), message):
            return "a signature with S + L verifies"
    return None


# ---------------------------------------------------------------------------------------------------------------
# RFC 6962 Merkle tree hashes

def sha256(data):
    return hashlib.sha256(data).digest()


def leaf_hash(record):
    return sha256(b"\x00" + record)


def node_hash(left, right):
    return sha256(b"\x01" + left + right)


def largest_power_of_two_below(count):
    k = 1
    while k * 2 < count:
        k *= 2
    return k


def inclusion_shape(position, lo, hi):
    """RFC 6962 PATH(m, D[lo:hi]) as the ranges [a, b) of the subtrees its nodes are, leaf to root."""
    if hi - lo == 1:
        return []
    k = largest_power_of_two_below(hi - lo)
    if position - lo < k:
        return inclusion_shape(position, lo, lo + k) + [(lo + k, hi)]
    return inclusion_shape(position, lo + k, hi) + [(lo, lo + k)]


def consistency_shape(old_size, lo, hi, whole_old_tree):
    """RFC 6962 SUBPROOF(m, D[lo:hi], b) as the ranges [a, b) of the subtrees its nodes are."""
    if old_size == hi - lo:
        return [] if whole_old_tree else [(lo, hi)]
    k = largest_power_of_two_below(hi - lo)
    if old_size <= k:
        return consistency_shape(old_size, lo, lo + k, whole_old_tree) + [(lo + k, hi)]
    return consistency_shape(old_size - k, lo + k, hi, False) + [(lo, lo + k)]


def hx(data):
    return data.hex()


def check_inclusion_path(record_leaf, position, tree_size, path, root, steps, label):
    """Folds the path from the leaf to the root, checking that each node is the sibling subtree the shape says."""
    if not 0 <= position < tree_size:
        raise Invalid("%s: position %d is not inside a tree of %d records" % (label, position, tree_size))
    shape = inclusion_shape(position, 0, tree_size)
    if len(path) != len(shape):
        raise Invalid(
            "%s: the path has %d nodes, a tree of %d records needs %d for position %d"
            % (label, len(path), tree_size, len(shape), position))
    lo, hi, current = position, position + 1, record_leaf
    for index, ((a, b), sibling) in enumerate(zip(shape, path)):
        if a == hi:
            current, hi = node_hash(current, sibling), b
            steps.append("%s: step %d: [%d,%d) = H(01 || [%d,%d) || path[%d] = [%d,%d)) = %s"
                         % (label, index + 1, lo, hi, lo, a, index, a, b, hx(current)))
        elif b == lo:
            current, lo = node_hash(sibling, current), a
            steps.append("%s: step %d: [%d,%d) = H(01 || path[%d] = [%d,%d) || [%d,%d)) = %s"
                         % (label, index + 1, lo, hi, index, a, b, b, hi, hx(current)))
        else:
            raise Invalid("%s: path node %d is not next to the subtree built so far" % (label, index))
    if (lo, hi) != (0, tree_size):
        raise Invalid("%s: the path does not reach the top of the tree" % label)
    if current != root:
        raise Invalid("%s: the path does not lead to the checkpoint's root" % label)
    steps.append("%s: the path leads to the root %s" % (label, hx(root)))


def check_consistency_path(old_size, new_size, old_root, new_root, path, steps):
    """Rebuilds both roots from the proof nodes, each placed where SUBPROOF puts it and each used exactly once."""
    if old_size > new_size:
        raise Invalid("the old tree (%d) is larger than the new one (%d)" % (old_size, new_size))
    if old_size == new_size or old_size == 0:
        if path:
            raise Invalid("the path must be empty between trees of %d and %d records" % (old_size, new_size))
        if old_size == new_size and old_root != new_root:
            raise Invalid("two trees of %d records have different roots" % old_size)
        steps.append("no path is needed between trees of %d and %d records" % (old_size, new_size))
        return
    shape = consistency_shape(old_size, 0, new_size, True)
    if len(path) != len(shape):
        raise Invalid("the path has %d nodes, trees of %d and %d records need %d"
                      % (len(path), old_size, new_size, len(shape)))
    known = {}
    for index, (subtree, node) in enumerate(zip(shape, path)):
        known[subtree] = (node, "path[%d]" % index)
        steps.append("path[%d] is the subtree [%d,%d)" % (index, subtree[0], subtree[1]))
    if old_size & (old_size - 1) == 0:
        known[(0, old_size)] = (old_root, "the old root")
        steps.append("the old tree is perfect: its root is the subtree [0,%d)" % old_size)
    used = set()

    def build(lo, hi, limit, label):
        if (lo, hi) in known:
            used.add((lo, hi))
            return known[(lo, hi)][0]
        if hi - lo == 1 or hi > limit:
            raise Invalid("the proof lacks the subtree [%d,%d) of the %s tree" % (lo, hi, label))
        k = largest_power_of_two_below(hi - lo)
        left, right = build(lo, lo + k, limit, label), build(lo + k, hi, limit, label)
        value = node_hash(left, right)
        steps.append("%s tree: [%d,%d) = H(01 || [%d,%d) || [%d,%d)) = %s"
                     % (label, lo, hi, lo, lo + k, lo + k, hi, hx(value)))
        return value

    old_computed = build(0, old_size, old_size, "old")
    if old_computed != old_root:
        raise Invalid("the path does not rebuild the old root")
    steps.append("the old root comes out: %s" % hx(old_root))
    used.clear()
    new_computed = build(0, new_size, new_size, "new")
    unused = [known[subtree][1] for subtree in known if subtree not in used]
    if unused:
        raise Invalid("%s is not part of the new tree" % unused[0])
    if new_computed != new_root:
        raise Invalid("the path does not rebuild the new root")
    steps.append("the new root comes out: %s" % hx(new_root))


# ---------------------------------------------------------------------------------------------------------------
# Document fields

def field(obj, key, where):
    if not isinstance(obj, dict):
        raise Invalid("%s is not an object" % (where or "the document"))
    if key not in obj:
        raise Invalid("%s%s is missing" % (where + "." if where else "", key))
    return obj[key]


def name(where, key):
    return where + "." + key if where else key


def text_field(obj, key, where):
    value = field(obj, key, where)
    if not isinstance(value, str):
        raise Invalid("%s is not a string" % name(where, key))
    return value


def unsigned_field(obj, key, where):
    value = field(obj, key, where)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= U64_MAX:
        raise Invalid("%s is not a whole number from 0 to 2^64 - 1" % name(where, key))
    return value


def signed_field(obj, key, where):
    value = field(obj, key, where)
    if isinstance(value, bool) or not isinstance(value, int) or not I64_MIN <= value <= I64_MAX:
        raise Invalid("%s is not a 64-bit whole number" % name(where, key))
    return value


def parse_hex(value, what, count=None):
    if not isinstance(value, str) or len(value) % 2 or any(c not in "0123456789abcdef" for c in value):
        raise Invalid("%s is not lowercase hexadecimal" % what)
    data = bytes.fromhex(value)
    if count is not None and len(data) != count:
        raise Invalid("%s is %d bytes, not %d" % (what, len(data), count))
    return data


def hex_field(obj, key, where, count=None):
    return parse_hex(field(obj, key, where), name(where, key), count)


def digest_list(obj, key, where):
    value = field(obj, key, where)
    if not isinstance(value, list):
        raise Invalid("%s is not an array" % name(where, key))
    return [parse_hex(item, "%s[%d]" % (name(where, key), index), 32) for index, item in enumerate(value)]


def require_format(obj, expected, where):
    stated = text_field(obj, "format", where)
    if stated != expected:
        raise Invalid("%s is %r, not %r" % (name(where, "format"), stated, expected))


def iso_time(microseconds):
    moment = datetime.datetime(1970, 1, 1) + datetime.timedelta(microseconds=microseconds)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ" % (
        moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second, moment.microsecond)


def uuid_text(data):
    value = data.hex()
    return "-".join((value[0:8], value[8:12], value[12:16], value[16:20], value[20:32]))


# ---------------------------------------------------------------------------------------------------------------
# Documents

def check_checkpoint(obj, where, trusted, steps):
    """Returns (log id, tree size, root, public key) of a checkpoint that passes every check."""
    label = where or "checkpoint"
    require_format(obj, CHECKPOINT_FORMAT, where)
    log_id = hex_field(obj, "logId", where, 16)
    tree_size = unsigned_field(obj, "treeSize", where)
    time = signed_field(obj, "timeMicroseconds", where)
    time_text = text_field(obj, "time", where)
    root = hex_field(obj, "root", where, 32)
    key_id = hex_field(obj, "keyId", where, 8)
    public_key = hex_field(obj, "publicKey", where, 32)
    signature = hex_field(obj, "signature", where, 64)
    signed_message = hex_field(obj, "signedMessage", where, 88)
    if key_id != sha256(public_key)[:8]:
        raise Invalid("%s: the key id is not the first 8 bytes of SHA-256 of the public key" % label)
    steps.append("%s: key id %s is the first 8 bytes of SHA-256 of the public key" % (label, hx(key_id)))
    expected = MESSAGE_PREFIX + log_id + tree_size.to_bytes(8, "little") + time.to_bytes(8, "little", signed=True)
    expected += root
    if signed_message != expected:
        raise Invalid("%s: the signed message is not the one the log id, tree size, time and root call for" % label)
    steps.append("%s: the signed message is the 88 bytes of log id %s, tree size %d, time %d, root %s"
                 % (label, hx(log_id), tree_size, time, hx(root)))
    try:
        stated_time = iso_time(time)
    except OverflowError:
        stated_time = None
    if time_text != stated_time:
        raise Invalid("%s: the time text does not state timeMicroseconds" % label)
    steps.append("%s: the time is %s" % (label, time_text))
    if trusted and public_key not in trusted:
        raise Invalid("%s: the public key %s is not a trusted key" % (label, hx(public_key)))
    if not ed25519_verify(public_key, signature, signed_message):
        raise Invalid("%s: the Ed25519 signature is not valid for the public key and the signed message" % label)
    steps.append("%s: the Ed25519 signature is valid (%s), by %s key %s" % (
        label, ED25519_SOURCE, "trusted" if trusted else "the document's own", hx(public_key)))
    return log_id, tree_size, root, public_key


def record_fields(record, label):
    if len(record) < 42:
        raise Invalid("%s: the record is %d bytes, shorter than 42" % (label, len(record)))
    stream_length = int.from_bytes(record[40:42], "little")
    if stream_length < 1 or 42 + stream_length > len(record):
        raise Invalid("%s: the record's stream id length is out of range" % label)
    try:
        stream = record[42:42 + stream_length].decode("utf-8")
    except UnicodeDecodeError:
        raise Invalid("%s: the record's stream id is not UTF-8" % label)
    version = int.from_bytes(record[16:24], "little")
    if version < 1:
        raise Invalid("%s: the record's stream version is 0" % label)
    time = int.from_bytes(record[8:16], "little", signed=True)
    try:
        time_text = iso_time(time)
    except OverflowError:
        time_text = None
    return {
        "position": int.from_bytes(record[0:8], "little"),
        "recordedTimeMicroseconds": time,
        "recordedTime": time_text,
        "stream": stream,
        "streamVersion": version,
        "eventId": uuid_text(record[24:40]),
    }


def check_record(obj, where, tree_size, root, steps):
    """Checks one record and its path (an inclusion proof or a bundle entry); returns its fields."""
    label = where or "record"
    position = unsigned_field(obj, "position", where)
    record = hex_field(obj, "record", where)
    stated = field(obj, "recordFields", where)
    leaf = hex_field(obj, "leafHash", where, 32)
    path = digest_list(obj, "path", where)
    fields = record_fields(record, label)
    steps.append("%s: the record is %d well-formed bytes" % (label, len(record)))
    if fields["position"] != position:
        raise Invalid("%s: the record states position %d, not %d" % (label, fields["position"], position))
    if (not isinstance(stated, dict) or stated != fields
            or any(type(stated[key]) is not type(value) for key, value in fields.items())):
        raise Invalid("%s: the record's fields in clear are not those of the record bytes" % label)
    steps.append("%s: position %d, stream %s, version %d, event %s, recorded %s" % (
        label, position, fields["stream"], fields["streamVersion"], fields["eventId"], fields["recordedTime"]))
    if leaf_hash(record) != leaf:
        raise Invalid("%s: the leaf hash is not SHA-256(00 || record)" % label)
    steps.append("%s: leaf hash SHA-256(00 || record) = %s" % (label, hx(leaf)))
    check_inclusion_path(leaf, position, tree_size, path, root, steps, label)
    return fields


def check_inclusion(doc, trusted, steps):
    require_format(doc, INCLUSION_FORMAT, "")
    _, tree_size, root, _ = check_checkpoint(field(doc, "checkpoint", ""), "checkpoint", trusted, steps)
    if unsigned_field(doc, "treeSize", "") != tree_size or hex_field(doc, "root", "", 32) != root:
        raise Invalid("the proof's tree size or root is not the checkpoint's")
    fields = check_record(doc, "", tree_size, root, steps)
    return "record %d (event %s, stream %s) is in the log of %d records signed at %s" % (
        fields["position"], fields["eventId"], fields["stream"], tree_size, doc["checkpoint"]["time"])


def check_consistency(doc, trusted, steps):
    require_format(doc, CONSISTENCY_FORMAT, "")
    old_log, old_size, old_root, _ = check_checkpoint(field(doc, "old", ""), "old", trusted, steps)
    new_log, new_size, new_root, _ = check_checkpoint(field(doc, "new", ""), "new", trusted, steps)
    if old_log != new_log:
        raise Invalid("the two checkpoints belong to different logs")
    if (unsigned_field(doc, "oldSize", "") != old_size or unsigned_field(doc, "newSize", "") != new_size
            or hex_field(doc, "oldRoot", "", 32) != old_root or hex_field(doc, "newRoot", "", 32) != new_root):
        raise Invalid("the proof's sizes or roots are not the checkpoints'")
    check_consistency_path(old_size, new_size, old_root, new_root, digest_list(doc, "path", ""), steps)
    return "the log of %d records signed at %s extends the log of %d records signed at %s unchanged" % (
        new_size, doc["new"]["time"], old_size, doc["old"]["time"])


def check_bundle(doc, where, trusted, steps):
    require_format(doc, BUNDLE_FORMAT, where)
    _, tree_size, root, _ = check_checkpoint(field(doc, "checkpoint", where), name(where, "checkpoint"), trusted,
                                             steps)
    proofs = field(doc, "proofs", where)
    if not isinstance(proofs, list):
        raise Invalid("%s is not an array" % name(where, "proofs"))
    proved = {}
    for index, proof in enumerate(proofs):
        fields = check_record(proof, "%s[%d]" % (name(where, "proofs"), index), tree_size, root, steps)
        if fields["position"] in proved:
            raise Invalid("two proofs are of position %d" % fields["position"])
        proved[fields["position"]] = fields
    return proved, tree_size


def check_export(doc, trusted, steps):
    require_format(doc, EXPORT_FORMAT, "")
    patient = text_field(doc, "patientId", "")
    streams = field(doc, "streams", "")
    expected = [prefix + patient for prefix in ("patient-", "chart-", "account-", "coverage-", "consent-")]
    if streams != expected:
        raise Invalid("the streams listed are not the patient's five streams")
    proved, tree_size = check_bundle(field(doc, "proofBundle", ""), "proofBundle", trusted, steps)
    events = field(doc, "events", "")
    if not isinstance(events, list):
        raise Invalid("events is not an array")
    if len(events) != len(proved):
        raise Invalid("the bundle holds %d proofs for %d events" % (len(proved), len(events)))
    for index, event in enumerate(events):
        where = "events[%d]" % index
        position = unsigned_field(event, "position", where)
        fields = proved.get(position)
        if (fields is None or fields["stream"] != text_field(event, "stream", where)
                or fields["streamVersion"] != unsigned_field(event, "streamVersion", where)
                or fields["eventId"] != text_field(event, "eventId", where) or fields["stream"] not in expected
                or fields["recordedTimeMicroseconds"] != signed_field(event, "recordedTimeMicroseconds", where)
                or fields["recordedTime"] != text_field(event, "recordedTime", where)):
            raise Invalid("%s is not the record proved at position %d" % (where, position))
        steps.append("%s: event %s at position %d is proved" % (where, fields["eventId"], position))
    return "all %d events of patient %s are in the log of %d records signed at %s" % (
        len(events), patient, tree_size, doc["proofBundle"]["checkpoint"]["time"])


def read_document(path):
    try:
        with open(path, "rb") as handle:
            return parse_document(handle.read(), path)
    except OSError as error:
        raise Invalid("cannot read %s: %s" % (path, error))


def _refuse_duplicates(pairs):
    names = [name for name, _ in pairs]
    if len(set(names)) != len(names):
        raise ValueError("a member is named twice in an object")
    return dict(pairs)


def _refuse_constant(name):
    raise ValueError("%s is not JSON" % name)


def parse_document(data, what):
    try:
        return json.loads(data.decode("utf-8"), object_pairs_hook=_refuse_duplicates, parse_constant=_refuse_constant,
                          parse_float=lambda text: _refuse_constant("a fraction " + text))
    except (UnicodeDecodeError, ValueError) as error:
        raise Invalid("cannot read %s as JSON: %s" % (what, error))


def check_document(doc, trusted, steps):
    kind = field(doc, "format", "")
    if kind == CHECKPOINT_FORMAT:
        _, tree_size, root, key = check_checkpoint(doc, "", trusted, steps)
        return "checkpoint of %d records, root %s, signed at %s by key %s" % (tree_size, hx(root), doc["time"], hx(key))
    if kind == INCLUSION_FORMAT:
        return check_inclusion(doc, trusted, steps)
    if kind == CONSISTENCY_FORMAT:
        return check_consistency(doc, trusted, steps)
    if kind == BUNDLE_FORMAT:
        proved, tree_size = check_bundle(doc, "", trusted, steps)
        return "all %d records are in the log of %d records signed at %s" % (
            len(proved), tree_size, doc["checkpoint"]["time"])
    if kind == EXPORT_FORMAT:
        return check_export(doc, trusted, steps)
    raise Invalid("unknown document format %r" % (kind,))


def main(arguments):
    trusted, files, batch, lines, verbose = [], [], False, False, False
    index = 0
    while index < len(arguments):
        argument = arguments[index]
        if argument == "--trust-key" and index + 1 < len(arguments):
            try:
                trusted.append(parse_hex(arguments[index + 1].lower(), "--trust-key", 32))
            except Invalid as error:
                print("usage error: %s" % error, file=sys.stderr)
                return 2
            index += 2
            continue
        if argument == "--batch":
            batch = True
        elif argument == "--lines":
            lines = True
        elif argument == "--verbose":
            verbose = True
        elif argument == "--self-test":
            failure = self_test()
            print("self-test: " + (failure or "RFC 8032 vectors pass with the pure-Python Ed25519"))
            return 1 if failure else 0
        elif argument.startswith("--"):
            print("usage error: unknown option %s\n%s" % (argument, __doc__.split("\n\n")[2]), file=sys.stderr)
            return 2
        else:
            files.append(argument)
        index += 1
    if not files or (not batch and len(files) != 1) or (batch and lines):
        print("usage error: give one FILE, --lines and one FILE, or --batch and one or more files\n%s"
              % __doc__.split("\n\n")[2], file=sys.stderr)
        return 2
    if lines:
        try:
            with open(files[0], "rb") as handle:
                sources = [(line, "line %d" % number) for number, line in enumerate(handle.read().split(b"\n"), 1)
                           if line.strip()]
        except OSError as error:
            print("INVALID: cannot read %s: %s" % (files[0], error))
            return 1
    else:
        sources = [(None, path) for path in files]
    all_valid = True
    for data, label in sources:
        steps = []
        try:
            doc = read_document(label) if data is None else parse_document(data, label)
            verdict = check_document(doc, trusted, steps)
            failure = None
        except Invalid as error:
            failure = str(error)
        all_valid = all_valid and failure is None
        if batch or lines:
            print("%s: %s" % (label, "valid" if failure is None else "INVALID: " + failure))
            continue
        if verbose:
            for step in steps:
                print("  ok  " + step)
        print("VALID: " + verdict if failure is None else "INVALID: " + failure)
    return 0 if all_valid else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
