"""HMAC-SHA256 signatures for webhook alerts, for senders and for receivers that verify them.

The signed message is `<timestamp>.<body>`, so a captured request cannot be replayed later with a new
timestamp; receivers should reject timestamps more than a few minutes old.
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Newswatch-Signature"
TIMESTAMP_HEADER = "X-Newswatch-Timestamp"
ALERT_ID_HEADER = "X-Newswatch-Alert-Id"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode("ascii") + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, timestamp: str, signature: str, body: bytes, now: float, tolerance_seconds: float = 300) -> bool:
    """True when `signature` is ours for this body and timestamp, and the timestamp is recent."""
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    if abs(now - sent_at) > tolerance_seconds:
        return False
    return hmac.compare_digest(sign(secret, sent_at, body), signature)
