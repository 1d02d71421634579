"""A local stand-in for Sentry: receivers.Receiver recording what services POST,
and the envelope format (header line, item header line, event) taken apart."""
import json

from receivers import Receiver


def parse_envelope(body):
    """(envelope header, item header, event) of one envelope holding one event;
    asserts that the item's length is the event's."""
    header_line, rest = body.split(b"\n", 1)
    item_line, rest = rest.split(b"\n", 1)
    item = json.loads(item_line)
    assert item["type"] == "event", item
    payload = rest[:item["length"]]
    assert len(payload) == item["length"], (item, rest)
    assert rest[item["length"]:] in (b"", b"\n"), rest
    return json.loads(header_line), item, json.loads(payload)


class SentryReceiver(Receiver):
    """Answers 200 to every envelope; events() are those received so far, each
    with the request (path, headers, body) it came in."""

    def dsn(self, key, project):
        return f"http://{key}@127.0.0.1:{self.port}/{project}"

    def events(self):
        out = []
        for r in self.received():
            header, _, event = parse_envelope(r["body"])
            out.append({"request": r, "header": header, "event": event,
                        "tags": event.get("tags", {})})
        return out

    def bodies(self):
        return [r["body"] for r in self.received()]
