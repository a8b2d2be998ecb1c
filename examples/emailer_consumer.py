#!/usr/bin/env python3
"""The emailer's side of the embedded broker, in plain Python (no library): log in over STOMP
as the user 'emailer', take the dunning requests from collections.emailer, "send" each once, and
acknowledge it with a reminder.sent on collections.invoices. Run beside the service on its data
folder:

    python3 examples/emailer_consumer.py data/broker-credentials.properties [PORT] [JOURNAL]

Another machine gets the password from the service's operator (the line emailer=... of that file).
The emailer may send only reminder.sent and reminder.failed; anything else is dead-lettered.

What it shows the emailer team:
- A request may come more than once (after a crash of either side): the journal (a JSON Lines
  file, fsynced before anything is acknowledged) remembers what was sent, and when, so a repeat
  sends no second email and its acknowledgement is the very same message (same message_id, same
  sent_at): the service counts it as a duplicate.
- reminder.revoked: the invoice was paid or paused; an email not sent yet is not sent.
- A queue message is ACKed only once its answer is confirmed by a RECEIPT; frames that arrive
  while waiting for the RECEIPT (the broker sends ahead) are kept and handled next.
"""
import collections
import json
import os
import socket
import sys
import uuid
from datetime import datetime, timezone

HOST = "127.0.0.1"


def password(credentials_file, user="emailer"):
    with open(credentials_file, encoding="utf-8") as f:
        for line in f:
            key, _, value = line.strip().partition("=")
            if key == user:
                return value
    raise SystemExit(f"no {user} in {credentials_file}")


class Journal:
    """request_id -> what was done ({"sent_at": ...} or {"revoked": true}), durable before any ACK."""

    def __init__(self, path):
        self.path, self.done = path, {}
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        entry = json.loads(line)
                        self.done.setdefault(entry["request_id"], {}).update(entry)

    def record(self, request_id, **facts):
        entry = {"request_id": request_id, **facts}
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")
            f.flush()
            os.fsync(f.fileno())
        self.done.setdefault(request_id, {}).update(entry)


class Stomp:
    def __init__(self, port, login, passcode):
        self.sock = socket.create_connection((HOST, port), timeout=120)
        self.buf, self.waiting = bytearray(), collections.deque()
        self.send_frame("CONNECT", {"accept-version": "1.2", "host": HOST, "login": login, "passcode": passcode})
        command, headers, body = self.read_frame()
        if command != "CONNECTED":
            raise SystemExit(f"refused: {headers.get('message', body)}")

    def send_frame(self, command, headers, body=""):
        head = "".join(f"{k}:{v}\n" for k, v in headers.items())
        self.sock.sendall(f"{command}\n{head}\n{body}\0".encode("utf-8"))

    def read_frame(self):
        while b"\0" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise SystemExit("the broker closed the connection")
            self.buf.extend(chunk)
        end = self.buf.index(b"\0")
        raw, self.buf[:] = bytes(self.buf[:end]).lstrip(b"\r\n"), self.buf[end + 1:]
        head, _, body = raw.decode("utf-8").partition("\n\n")
        command, *lines = head.split("\n")
        return command, dict(line.split(":", 1) for line in lines if ":" in line), body

    def next_message(self):
        if self.waiting:
            return self.waiting.popleft()
        return self.read_frame()

    def send_confirmed(self, destination, body):
        """SEND with a receipt; MESSAGE frames that come first are kept for next_message()."""
        receipt = str(uuid.uuid4())
        self.send_frame("SEND", {"destination": destination, "destination-type": "ANYCAST", "persistent": "true",
                                 "content-type": "application/json", "receipt": receipt}, body)
        while True:
            frame = self.read_frame()
            if frame[0] == "RECEIPT" and frame[1].get("receipt-id") == receipt:
                return
            if frame[0] == "MESSAGE":
                self.waiting.append(frame)
                continue
            raise SystemExit(f"{frame[0]}: {frame[1].get('message', frame[2])}")


def main(credentials_file, port=61616, journal_file="emailer-journal.jsonl"):
    journal = Journal(journal_file)
    stomp = Stomp(port, "emailer", password(credentials_file))
    stomp.send_frame("SUBSCRIBE", {"id": "1", "destination": "collections.emailer",
                                   "destination-type": "ANYCAST", "ack": "client-individual"})
    while True:
        command, message, body = stomp.next_message()
        if command != "MESSAGE":
            raise SystemExit(f"{command}: {message.get('message', body)}")
        request = json.loads(body)
        request_id, done = request["request_id"], journal.done.get(request["request_id"], {})
        if request["type"] == "reminder.revoked":
            if "sent_at" not in done and not done.get("revoked"):
                print(f"revoked {request_id} ({request['reason']}): not sent", flush=True)
                journal.record(request_id, revoked=True)
        elif done.get("revoked"):
            pass  # revoked before it came (a re-emission overtaken): never send it
        else:
            if "sent_at" not in done:
                print(f"{request['type']} {request_id} {request['client']}/{request['invoice_number']}"
                      f" level {request['level']} to {request.get('contact_email')}:"
                      f" {request['balance']} {request['currency']}", flush=True)
                # ... send the email here, then record it before anything is acknowledged ...
                journal.record(request_id, sent_at=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
            # The same answer every time: a repeat after a crash is a duplicate for the service, not a conflict.
            answer = {"type": "reminder.sent", "message_id": f"sent-{request_id}", "client": request["client"],
                      "invoice_number": request["invoice_number"], "level": request["level"],
                      "sent_at": journal.done[request_id]["sent_at"], "request_id": request_id}
            stomp.send_confirmed("collections.invoices", json.dumps(answer))
        stomp.send_frame("ACK", {"id": message["ack"]})


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "data/broker-credentials.properties",
         int(sys.argv[2]) if len(sys.argv) > 2 else 61616,
         sys.argv[3] if len(sys.argv) > 3 else "emailer-journal.jsonl")
