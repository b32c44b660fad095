"""A small in-memory rate limit per client address (a token bucket each).

Each address may make ``burst`` requests at once, then one more every ``60 / per_minute`` seconds.
It lives in the server's memory: a restart forgets it, and several server processes would each
keep their own (irdocs serves from one process). Enough to stop someone from trying serials and
codes by the thousand on the public verification page; a proxy in front may add its own limit.
"""

from __future__ import annotations

import threading
import time

#: Addresses not seen for this long are forgotten (their bucket is full again anyway).
FORGET_AFTER = 3600.0


class RateLimiter:
    def __init__(self, per_minute: float, burst: int | None = None, clock=time.monotonic):
        self.rate = per_minute / 60.0
        self.burst = float(burst if burst is not None else max(1, int(per_minute)))
        self.clock = clock
        self.buckets: dict[str, tuple[float, float]] = {}  # address -> (tokens, last time)
        self.lock = threading.Lock()
        self.last_sweep = clock()

    def exhausted(self, address: str) -> bool:
        """Whether the address has no request left now (without using one)."""
        now = self.clock()
        with self.lock:
            tokens, last = self.buckets.get(address, (self.burst, now))
        return min(self.burst, tokens + (now - last) * self.rate) < 1.0

    def give_back(self, address: str) -> None:
        """Return the request taken by ``allow`` (a right password does not count as a try)."""
        with self.lock:
            if address in self.buckets:
                tokens, last = self.buckets[address]
                self.buckets[address] = (min(self.burst, tokens + 1.0), last)

    def allow(self, address: str) -> tuple[bool, float]:
        """Whether the address may go on now; if not, the seconds until it may."""
        now = self.clock()
        with self.lock:
            tokens, last = self.buckets.get(address, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            allowed = tokens >= 1.0
            if allowed:
                tokens -= 1.0
            self.buckets[address] = (tokens, now)
            if now - self.last_sweep > FORGET_AFTER:
                self.buckets = {a: (t, seen) for a, (t, seen) in self.buckets.items() if now - seen < FORGET_AFTER}
                self.last_sweep = now
        return allowed, 0.0 if allowed else (1.0 - tokens) / self.rate
