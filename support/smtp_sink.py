"""A real SMTP server for alert tests and the benchmark: records every accepted message.

It can refuse: 4xx to everyone until a moment (a server under load), 5xx for chosen
addresses (mailboxes that do not exist); and hold, leaving every message after the first N
unanswered until released (a sender caught in the middle of a send). Run alone
(`python -m support.smtp_sink`) it writes its tallies to a JSON file, for the benchmark.
"""

import argparse
import asyncio
import json
import os
import socket
import threading
import time
from collections import Counter
from email import message_from_bytes
from pathlib import Path

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RecordingHandler:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()
        self.last_accepted_at = 0.0

    def reset(self) -> None:
        """Forget every message and refusal, and answer at once again."""
        self.received: Counter[str] = Counter()
        self.messages: dict[str, bytes] = {}
        self.refusing_until = 0.0
        self.bouncing: set[str] = set()
        self.temporary_refusals = 0
        self.hold_from: int | None = None
        self.holding = threading.Event()
        self.released = threading.Event()

    def refuse_for(self, seconds: float) -> None:
        self.refusing_until = time.monotonic() + seconds

    def hold_after(self, count: int) -> threading.Event:
        """Accept `count` messages in all, then leave each later one unanswered until
        `release`; the event is set once a sender waits on a held message."""
        self.hold_from = count
        return self.holding

    def release(self) -> None:
        """Held messages are refused as temporary failures (their sender may be gone), and
        the next ones accepted."""
        self.hold_from = None
        self.released.set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.bouncing:
            return "550 5.1.1 No such mailbox here"
        if time.monotonic() < self.refusing_until:
            with self.lock:
                self.temporary_refusals += 1
            return "451 4.3.2 Too busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.hold_from is not None and self.total() >= self.hold_from:
            self.holding.set()
            await asyncio.to_thread(self.released.wait)
            return "451 4.3.2 Held, try again later"
        with self.lock:
            for address in envelope.rcpt_tos:
                self.received[address] += 1
                self.messages[address] = envelope.original_content
            self.last_accepted_at = time.time()
        return "250 Accepted"

    def total(self) -> int:
        with self.lock:
            return sum(self.received.values())

    def message(self, address: str):
        return message_from_bytes(self.messages[address])

    def tallies(self) -> dict:
        with self.lock:
            total = sum(self.received.values())
            return {
                "messages": total,
                "unique": len(self.received),
                "duplicates": total - len(self.received),
                "last_accepted_at": self.last_accepted_at,
            }


def start(handler: RecordingHandler, port: int | None = None) -> Controller:
    controller = Controller(handler, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    return controller


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--stats", type=Path, required=True)
    args = parser.parse_args()
    handler = RecordingHandler()
    start(handler, args.port)
    while True:
        partial = args.stats.with_suffix(".tmp")
        partial.write_text(json.dumps(handler.tallies()))
        os.replace(partial, args.stats)
        time.sleep(0.2)


if __name__ == "__main__":
    main()
