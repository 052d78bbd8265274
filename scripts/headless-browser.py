#!/usr/bin/env python3
"""Loads one page in one headless Chromium and reports what a person's browser would have done with it.

Talks the Chrome DevTools Protocol over --remote-debugging-pipe (file descriptors 3 and 4, no port, no
WebSocket library: the standard library is enough), so it sees what --dump-dom cannot: every request the page
made and every console error or uncaught exception. Prints one JSON object on stdout:

  {"url", "dom", "requests": [urls], "foreign_requests": [urls outside --allow],
   "console_errors": [texts], "evaluations": {name: value}, "screenshot": path or null}

Exit status: 0 when the page loaded with no console error and no request outside the allowed prefixes, 1 when
it loaded with either (the JSON says which), 2 when the browser could not be run or the page did not load
within --timeout seconds (the whole run, browser start to exit, is bounded by it).

Usage: headless-browser.py URL [--allow PREFIX]... [--screenshot OUT.png] [--width 1200] [--height 800]
       [--run JS] [--wait-for JS_EXPRESSION] [--evaluate NAME=JS_EXPRESSION]... [--timeout 30] [--chromium PATH]

--run is evaluated once after the load event, before --wait-for: what a person does on the page (fill a form,
press a button).
"""
import argparse
import base64
import fcntl
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

# Requests that never leave the machine: the page itself is checked against --allow, these are always fine.
LOCAL_SCHEMES = ("data:", "about:", "blob:")


class BrowserError(Exception):
    """The browser could not be started, answered with an error, or ran out of time."""


class DevTools:
    """One Chromium process and its DevTools pipe: commands out on fd 3, replies and events in from fd 4."""

    def __init__(self, chromium, deadline):
        self.deadline = deadline
        self.next_id = 0
        self.buffer = b""
        self.events = []
        self.profile = tempfile.mkdtemp(prefix="recsmith-chromium-")
        to_browser_read, self.to_browser = os.pipe()
        self.from_browser, from_browser_write = os.pipe()

        def map_pipes():
            # Above 10 first, so that neither end is overwritten when the other lands on 3 or 4.
            reading = fcntl.fcntl(to_browser_read, fcntl.F_DUPFD_CLOEXEC, 10)
            writing = fcntl.fcntl(from_browser_write, fcntl.F_DUPFD_CLOEXEC, 10)
            os.dup2(reading, 3)
            os.dup2(writing, 4)
            os.setsid()

        args = [
            chromium, "--headless", "--remote-debugging-pipe", "--user-data-dir=" + self.profile,
            "--no-first-run", "--no-default-browser-check", "--disable-gpu", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-default-apps", "--mute-audio", "--hide-scrollbars", "--password-store=basic",
            "about:blank",
        ]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox.
        try:
            self.process = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                close_fds=False, preexec_fn=map_pipes)  # Python's own descriptors are close-on-exec already.
        except OSError as error:
            raise BrowserError(f"cannot start {chromium}: {error}")
        os.close(to_browser_read)
        os.close(from_browser_write)

    def call(self, method, params=None, session=None):
        """Sends a command and returns its result, keeping the events that arrive meanwhile."""
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self.receive()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_for_event(self, method):
        """Returns the first event named `method`, among those kept or yet to come."""
        while True:
            for event in self.events:
                if event["method"] == method:
                    return event
            self.events.append(self.receive())

    def receive(self):
        while b"\0" not in self.buffer:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                raise BrowserError("timed out waiting for the browser")
            ready, _, _ = select.select([self.from_browser], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                stderr = self.process.stderr.read().decode(errors="replace")[-2000:] if self.process.poll() is not None else ""
                raise BrowserError("the browser closed its DevTools pipe" + (f": {stderr}" if stderr else ""))
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def close(self):
        try:
            if self.process.poll() is None:
                self.call("Browser.close")
        except (BrowserError, OSError):
            pass
        try:
            self.process.wait(timeout=max(1, min(5, self.deadline - time.monotonic())))
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        for descriptor in (self.to_browser, self.from_browser):
            try:
                os.close(descriptor)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)


def console_error(event):
    """The text of a console error or uncaught exception event, or None for other events."""
    method, params = event["method"], event.get("params", {})
    if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
        return "console." + params["type"] + ": " + " ".join(
            str(argument.get("value", argument.get("description", ""))) for argument in params.get("args", []))
    if method == "Runtime.exceptionThrown":
        details = params.get("exceptionDetails", {})
        return "exception: " + details.get("exception", {}).get("description", details.get("text", ""))
    if method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
        entry = params["entry"]
        return f"{entry.get('source')}: {entry.get('text')} {entry.get('url', '')}".strip()
    return None


def inspect(options, deadline):
    browser = DevTools(options.chromium, deadline)
    try:
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            browser.call(domain + ".enable", session=session)
        metrics = {"width": options.width, "height": options.height, "deviceScaleFactor": 1,
                   "mobile": options.width < 600}
        browser.call("Emulation.setDeviceMetricsOverride", metrics, session=session)
        navigation = browser.call("Page.navigate", {"url": options.url}, session=session)
        if navigation.get("errorText"):
            raise BrowserError(f"cannot load {options.url}: {navigation['errorText']}")
        browser.wait_for_event("Page.loadEventFired")

        def evaluate(expression):
            result = browser.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                       "awaitPromise": True}, session=session)
            if "exceptionDetails" in result:
                raise BrowserError(f"{expression}: {result['exceptionDetails'].get('text')}")
            return result["result"].get("value")

        if options.run:
            evaluate(options.run)
        if options.wait_for:
            while not evaluate(options.wait_for):
                if time.monotonic() > deadline:
                    raise BrowserError(f"timed out waiting for {options.wait_for}")
                time.sleep(0.1)
        evaluations = {}
        for item in options.evaluate:
            name, _, expression = item.partition("=")
            evaluations[name] = evaluate(expression)
        dom = evaluate("document.documentElement.outerHTML")
        screenshot = None
        if options.screenshot:
            size = browser.call("Page.getLayoutMetrics", session=session)["cssContentSize"]
            full = dict(metrics, height=min(int(size["height"]) + 1, 16384))
            browser.call("Emulation.setDeviceMetricsOverride", full, session=session)
            image = browser.call("Page.captureScreenshot", {"format": "png"}, session=session)["data"]
            with open(options.screenshot, "wb") as file:
                file.write(base64.b64decode(image))
            screenshot = options.screenshot
        browser.call("Runtime.evaluate", {"expression": "0"}, session=session)  # flush pending events
        events = browser.events
    finally:
        browser.close()
    requests = [event["params"]["request"]["url"] for event in events if event["method"] == "Network.requestWillBeSent"]
    allowed = tuple(options.allow) + LOCAL_SCHEMES
    return {
        "url": options.url,
        "dom": dom,
        "requests": requests,
        "foreign_requests": [url for url in requests if not url.startswith(allowed)],
        "console_errors": [text for text in map(console_error, events) if text is not None],
        "evaluations": evaluations,
        "screenshot": screenshot,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("--allow", action="append", default=[],
                        help="URL prefix the page may request (repeatable); default: the page's own origin")
    parser.add_argument("--screenshot", help="write a full-page PNG here")
    parser.add_argument("--width", type=int, default=1200)
    parser.add_argument("--height", type=int, default=800)
    parser.add_argument("--run", help="JavaScript run once after the load event, before --wait-for")
    parser.add_argument("--wait-for", help="JavaScript expression polled until true after the load event")
    parser.add_argument("--evaluate", action="append", default=[], metavar="NAME=EXPRESSION",
                        help="JavaScript whose JSON value is reported under evaluations.NAME (repeatable)")
    parser.add_argument("--timeout", type=float, default=30, help="seconds for the whole run")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM") or shutil.which("chromium")
                        or shutil.which("chromium-browser") or "chromium")
    options = parser.parse_args()
    if not options.allow:
        options.allow = [own_origin(options.url)]
    try:
        outcome = inspect(options, time.monotonic() + options.timeout)
    except BrowserError as error:
        print(f"headless-browser: {error}", file=sys.stderr)
        return 2
    json.dump(outcome, sys.stdout)
    sys.stdout.write("\n")
    return 1 if outcome["foreign_requests"] or outcome["console_errors"] else 0


def own_origin(url):
    """file:// for a file, scheme://host:port/ for anything else."""
    if url.startswith("file:"):
        return "file://"
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}/"


if __name__ == "__main__":
    sys.exit(main())
