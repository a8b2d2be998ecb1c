#!/usr/bin/env python3
"""The emailer's side of the embedded broker, in plain Python (no library): log in over STOMP
as the user 'emailer', take the dunning requests from collections.emailer, and answer each with a
reminder.sent on collections.invoices. Run beside the service on its data folder:

    python3 examples/emailer_consumer.py data/broker-credentials.properties

Another machine gets the password from the service's operator (the line emailer=... of that file).
The emailer may send only reminder.sent and reminder.failed; anything else is dead-lettered.
"""
import json
import socket
import sys
import uuid
from datetime import datetime, timezone

HOST, PORT = "127.0.0.1", 61616


def password(credentials_file, user="emailer"):
    with open(credentials_file, encoding="utf-8") as f:
        for line in f:
            key, _, value = line.strip().partition("=")
            if key == user:
                return value
    raise SystemExit(f"no {user} in {credentials_file}")


def frame(command, headers, body=""):
    head = "".join(f"{k}:{v}\n" for k, v in headers.items())
    return f"{command}\n{head}\n{body}\0".encode("utf-8")


def read_frame(sock, buf=bytearray()):
    while b"\0" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise SystemExit("the broker closed the connection")
        buf.extend(chunk)
    end = buf.index(b"\0")
    raw, buf[:] = bytes(buf[:end]).lstrip(b"\r\n"), buf[end + 1:]
    head, _, body = raw.decode("utf-8").partition("\n\n")
    command, *lines = head.split("\n")
    return command, dict(line.split(":", 1) for line in lines if ":" in line), body


def main(credentials_file):
    sock = socket.create_connection((HOST, PORT), timeout=60)
    sock.sendall(frame("CONNECT", {"accept-version": "1.2", "host": HOST,
                                   "login": "emailer", "passcode": password(credentials_file)}))
    command, headers, body = read_frame(sock)
    if command != "CONNECTED":
        raise SystemExit(f"refused: {headers.get('message', body)}")
    sock.sendall(frame("SUBSCRIBE", {"id": "1", "destination": "collections.emailer",
                                     "destination-type": "ANYCAST", "ack": "client-individual"}))
    sent = set()  # request_ids already handled: a request may come again after a crash; keep this durable in real life
    while True:
        command, message, body = read_frame(sock)
        if command != "MESSAGE":
            raise SystemExit(f"{command}: {message.get('message', body)}")
        request = json.loads(body)
        if request["request_id"] not in sent:
            print(f"{request['type']} {request['request_id']} {request['client']}/{request['invoice_number']}"
                  f" level {request['level']} to {request.get('contact_email')}: {request['balance']} {request['currency']}",
                  flush=True)
            # ... send the email here ...
            sent.add(request["request_id"])
        # A message_id derived from the request makes a repeated acknowledgement a duplicate, not a second reminder.
        answer = {"type": "reminder.sent", "message_id": f"sent-{request['request_id']}", "client": request["client"],
                  "invoice_number": request["invoice_number"], "level": request.get("level", "reminder"),
                  "sent_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                  "request_id": request.get("request_id")}
        receipt = str(uuid.uuid4())
        sock.sendall(frame("SEND", {"destination": "collections.invoices", "destination-type": "ANYCAST",
                                    "persistent": "true", "content-type": "application/json", "receipt": receipt},
                           json.dumps({k: v for k, v in answer.items() if v is not None})))
        command, headers, body = read_frame(sock)
        if command != "RECEIPT":
            raise SystemExit(f"reminder.sent not accepted: {headers.get('message', body)}")
        # Acknowledged only once the answer is confirmed: a crash before means the request comes again.
        sock.sendall(frame("ACK", {"id": message["ack"]}))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "data/broker-credentials.properties")
