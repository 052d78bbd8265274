"""Drives the allocation gate's request scenarios against one running `recsmith serve` (Benchmarks/alloc/gate.sh).

    drive.py --port PORT --pid PID --counters FILE --metric allocations|instructions --out RESULT.json
             [--callgrind-out PREFIX] [--scenarios a,b]

For each scenario, one keep-alive connection on loopback sends its warm-up requests, then the process is marked
(SIGUSR2: Benchmarks/alloc/counters.c writes its counts and, under callgrind, dumps callgrind's), then the measured
requests go one at a time (each answer read before the next request is sent, so the server does the same reads
and writes for every request), then the process is marked again. The result is the difference between the two
marks over the measured requests:

    allocations    the counts of counters.so (the server runs with LD_PRELOAD=counters.so)
    instructions   the `totals:` of callgrind's dump at the second mark: every instruction the server's threads
                   ran between the two marks (the server runs under valgrind --tool=callgrind with marks.so)

Every answer is checked (status, and the accepted count of an event POST); a wrong one stops the run. Every loop
is bounded by its count and every wait by a timeout.
"""

import argparse
import dataclasses
import json
import os
import signal
import socket
import sys
import time
import typing

import h2.config
import h2.connection
import h2.events

RECOMMENDATION_PATH = "/users/u42/recommendations?k=10"
# The synthetic store gate.sh makes has users u0…u1999 and items i0…i999; events name existing ones.
USERS = 2000
ITEMS = 1000


@dataclasses.dataclass
class Scenario:
    """One request shape: its connection kind, and how many requests warm up and are measured, natively and
    under callgrind (where the server runs some 20 to 50 times slower)."""

    name: str
    summary: str
    connection: type
    warm_up: int
    requests: int
    callgrind_warm_up: int
    callgrind_requests: int
    send: typing.Callable


class HTTP1Connection:
    """A keep-alive HTTP/1.1 connection that sends one request and reads its whole answer at a time."""

    def __init__(self, port, timeout):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.host = f"127.0.0.1:{port}"
        self.buffer = bytearray()

    def request(self, method, path, body=b"", content_type=None):
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\n"
        if content_type is not None:
            head += f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
        self.sock.sendall(head.encode("ascii") + b"\r\n" + body)
        return self._read_response()

    def _read_response(self):
        while (end := self.buffer.find(b"\r\n\r\n")) < 0:
            self._fill()
        lines = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding":
                raise RuntimeError(f"unexpected transfer-encoding {value.strip()}")
        needed = end + 4 + length
        while len(self.buffer) < needed:
            self._fill()
        body = bytes(self.buffer[end + 4:needed])
        del self.buffer[:needed]
        return status, body

    def _fill(self):
        data = self.sock.recv(1 << 16)
        if not data:
            raise RuntimeError("the server closed the connection")
        self.buffer += data

    def close(self):
        self.sock.close()


class HTTP2Connection:
    """A cleartext HTTP/2 connection with prior knowledge (h2c) that runs one stream at a time."""

    def __init__(self, port, timeout):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.authority = f"127.0.0.1:{port}"
        self.connection = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding="ascii"))
        self.connection.initiate_connection()
        self.sock.sendall(self.connection.data_to_send())

    def request(self, method, path, body=b"", content_type=None):
        if body or content_type is not None:
            raise ValueError("the HTTP/2 client sends GET requests only")
        stream = self.connection.get_next_available_stream_id()
        headers = [(":method", method), (":scheme", "http"), (":authority", self.authority), (":path", path)]
        self.connection.send_headers(stream, headers, end_stream=True)
        self.sock.sendall(self.connection.data_to_send())
        status = None
        answer = bytearray()
        ended = False
        while not ended:
            data = self.sock.recv(1 << 16)
            if not data:
                raise RuntimeError("the server closed the HTTP/2 connection")
            for event in self.connection.receive_data(data):
                if isinstance(event, h2.events.ResponseReceived) and event.stream_id == stream:
                    status = int(dict(event.headers)[":status"])
                elif isinstance(event, h2.events.DataReceived):
                    answer += event.data
                    self.connection.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                elif isinstance(event, h2.events.StreamEnded) and event.stream_id == stream:
                    ended = True
                elif isinstance(event, (h2.events.StreamReset, h2.events.ConnectionTerminated)):
                    raise RuntimeError(f"HTTP/2 request failed: {event}")
            pending = self.connection.data_to_send()
            if pending:
                self.sock.sendall(pending)
        return status, bytes(answer)

    def close(self):
        self.sock.close()


def expect(status, body, wanted_status, accepted=None):
    if status != wanted_status:
        raise RuntimeError(f"answer {status} (wanted {wanted_status}): {body[:300]!r}")
    if accepted is not None:
        answer = json.loads(body)
        if answer.get("accepted") != accepted:
            raise RuntimeError(f"POST /events accepted {answer.get('accepted')} of {accepted} events: {body[:300]!r}")


def get_recommendation(connection, sequence):
    status, body = connection.request("GET", RECOMMENDATION_PATH)
    expect(status, body, 200)
    # The trained ALS snapshot answers (not live popularity, which serves a store without models).
    if b'"model":"als"' not in body:
        raise RuntimeError(f"the answer is not the ALS model's: {body[:300]!r}")


def event(tag, number):
    # Distinct ids, so every event is stored (not a duplicate); users and items cycle through the store's.
    return (f'{{"user":"u{(number * 7) % USERS}","item":"i{(number * 13) % ITEMS}","type":"click",'
            f'"id":"gate-{tag}-{number}"}}')


def post_event(connection, sequence):
    status, body = connection.request("POST", "/events", event("one", sequence).encode("ascii"), "application/json")
    expect(status, body, 200, accepted=1)


def post_1000_events(connection, sequence):
    lines = "\n".join(event("batch", sequence * 1000 + n) for n in range(1000))
    status, body = connection.request("POST", "/events", lines.encode("ascii"), "application/x-ndjson")
    expect(status, body, 200, accepted=1000)


# In this order: the events the POSTs add would make the next recommendation request for u42 a cache miss.
SCENARIOS = [
    Scenario("get_recommendation", f"GET {RECOMMENDATION_PATH} over HTTP/1.1 keep-alive (answer cache hit)",
             HTTP1Connection, 500, 10000, 50, 2000, get_recommendation),
    Scenario("get_recommendation_h2", f"GET {RECOMMENDATION_PATH} over h2c, one stream at a time (answer cache hit)",
             HTTP2Connection, 500, 10000, 50, 2000, get_recommendation),
    Scenario("post_event", "POST /events, one JSON event with a new id",
             HTTP1Connection, 200, 2000, 20, 400, post_event),
    Scenario("post_1000_events", "POST /events, 1,000 NDJSON events with new ids",
             HTTP1Connection, 5, 100, 2, 16, post_1000_events),
]


class Marker:
    """Marks the server (SIGUSR2) and reads what counters.c wrote for that mark."""

    def __init__(self, pid, counters, callgrind_out, timeout):
        self.pid = pid
        self.counters = counters
        self.callgrind_out = callgrind_out
        self.timeout = timeout
        self.marks = 0

    def mark(self):
        self.marks += 1
        os.kill(self.pid, signal.SIGUSR2)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            fields = self._read_counters()
            if fields.get("mark") == self.marks:
                if self.callgrind_out is not None:
                    fields["instructions"] = self._callgrind_totals()
                return fields
            time.sleep(0.005)
        raise RuntimeError(f"mark {self.marks}: no answer from pid {self.pid} in {self.timeout}s")

    def _read_counters(self):
        try:
            with open(self.counters) as file:
                return {key: int(value) for key, value in (item.split("=") for item in file.read().split())}
        except (FileNotFoundError, ValueError):
            return {}

    def _callgrind_totals(self):
        # counters.c writes its line after CALLGRIND_DUMP_STATS has returned, so the dump is complete.
        with open(f"{self.callgrind_out}.{self.marks}") as file:
            for line in file:
                if line.startswith("totals:"):
                    return int(line.split()[1])
        raise RuntimeError(f"{self.callgrind_out}.{self.marks} has no totals line")


def run(scenario, arguments, marker):
    under_callgrind = arguments.metric == "instructions"
    warm_up = scenario.callgrind_warm_up if under_callgrind else scenario.warm_up
    requests = scenario.callgrind_requests if under_callgrind else scenario.requests
    timeout = 120 if under_callgrind else 20
    connection = scenario.connection(arguments.port, timeout)
    try:
        for sequence in range(warm_up):
            scenario.send(connection, sequence)
        # Work the last answer left behind (a writer-queue step, a timer) ends before the mark, and likewise
        # before the second one.
        time.sleep(arguments.settle)
        before = marker.mark()
        started = time.monotonic()
        for sequence in range(warm_up, warm_up + requests):
            scenario.send(connection, sequence)
        seconds = time.monotonic() - started
        time.sleep(arguments.settle)
        after = marker.mark()
    finally:
        connection.close()
    result = {"summary": scenario.summary, "requests": requests, "seconds": round(seconds, 3)}
    if under_callgrind:
        result["instructions"] = after["instructions"]
    else:
        for key in ("allocations", "bytes", "frees"):
            result[key] = after[key] - before[key]
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True, help="the server's pid (valgrind's, under callgrind)")
    parser.add_argument("--counters", required=True, help="the file named by ALLOC_GATE_COUNTERS_FILE")
    parser.add_argument("--metric", choices=["allocations", "instructions"], required=True)
    parser.add_argument("--callgrind-out", help="callgrind's --callgrind-out-file (instructions only)")
    parser.add_argument("--scenarios", help="a comma list of scenario names (default: all)")
    parser.add_argument("--settle", type=float, default=0.1, help="seconds of quiet before each mark")
    parser.add_argument("--out", required=True)
    arguments = parser.parse_args()
    if (arguments.metric == "instructions") != (arguments.callgrind_out is not None):
        parser.error("--callgrind-out goes with --metric instructions, and only with it")
    chosen = SCENARIOS
    if arguments.scenarios:
        names = arguments.scenarios.split(",")
        unknown = set(names) - {scenario.name for scenario in SCENARIOS}
        if unknown:
            parser.error(f"unknown scenarios {sorted(unknown)}; known: {[scenario.name for scenario in SCENARIOS]}")
        chosen = [scenario for scenario in SCENARIOS if scenario.name in names]
    marker = Marker(arguments.pid, arguments.counters, arguments.callgrind_out,
                    timeout=120 if arguments.callgrind_out else 20)
    results = {}
    for scenario in chosen:
        results[scenario.name] = run(scenario, arguments, marker)
        print(f"  {arguments.metric}: {scenario.name}: {results[scenario.name]['requests']} requests in "
              f"{results[scenario.name]['seconds']} s", file=sys.stderr)
    with open(arguments.out, "w") as file:
        json.dump({"metric": arguments.metric, "scenarios": results}, file, indent=2)


if __name__ == "__main__":
    main()
