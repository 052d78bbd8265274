#!/usr/bin/env python3
"""The split topology of deploy/docker-compose.postgres.yml, run with local processes instead of containers.

    scripts/compose-smoke.py [RECSMITH_BINARY]        (default .build/debug/recsmith; `make test-compose`)

Reads the compose file and deploy/nginx.conf and starts what they describe: PostgreSQL (a private cluster from
scripts/postgres-test-cluster.sh in place of the postgres:15 container), every service built from the recsmith
image with the command and environment the file gives it (two `--role api` replicas and a `--role trainer`), and
nginx with deploy/nginx.conf. Then, through the proxy: events in, the replicas' refusal to train, a pass on the
trainer, its model set on both replicas, recommendations answered by each replica behind the proxy; and the
trainer's readiness and metrics. Everything it started is stopped when it ends, whatever the outcome.

What differs from the containers, and nothing else (so that a change to either file changes what runs here):
- the store URL's host `postgres:5432` becomes the cluster's loopback address (the cluster trusts loopback
  connections, so the compose file's password is accepted and ignored);
- each recsmith process listens on 127.0.0.1 at a port of its own (`--host 127.0.0.1 --port 0` in place of the
  container's `--host 0.0.0.0` on 8080) and keeps its models in a directory of its own (the container's tmpfs);
- nginx's upstream host names (the compose services) become those ports, it listens on a free loopback port,
  and its pid, error log and temporary files live in the run's directory.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMPOSE = os.path.join(ROOT, "deploy", "docker-compose.postgres.yml")
NGINX_CONF = os.path.join(ROOT, "deploy", "nginx.conf")
CLUSTER = os.path.join(ROOT, "scripts", "postgres-test-cluster.sh")
# What the compose file asks of its caller (`export RECSMITH_ADMIN_TOKEN=… POSTGRES_PASSWORD=…`).
VARIABLES = {"RECSMITH_ADMIN_TOKEN": "compose-smoke-admin-token", "POSTGRES_PASSWORD": "compose-smoke-password"}


class SmokeFailure(Exception):
    pass


def log(message):
    print(f"compose-smoke: {message}", file=sys.stderr, flush=True)


def interpolate(value, variables):
    """Compose's `${VAR}`, `${VAR:?message}` and `${VAR:-default}` in a string."""
    def replace(match):
        name, operator, argument = match.group(1), match.group(2), match.group(3)
        if variables.get(name):
            return variables[name]
        if operator == ":-":
            return argument
        raise SmokeFailure(f"the compose file needs {name}: {argument or 'unset'}")
    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:[?-])([^}]*))?\}", replace, str(value))


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(method, url, body=None, headers=None, timeout=30):
    """(status, headers, body bytes) of one HTTP request; HTTP errors are answers too."""
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_until(description, seconds, condition):
    deadline = time.monotonic() + seconds
    while True:
        try:
            value = condition()
        except (OSError, ValueError):
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise SmokeFailure(f"timed out after {seconds} s waiting until {description}")
        time.sleep(0.2)


def check(condition, message):
    if not condition:
        raise SmokeFailure(message)


class Topology:
    def __init__(self, binary):
        self.binary = binary
        self.work = tempfile.mkdtemp(prefix="recsmith-compose-")
        # nginx's workers run as an unprivileged user when it starts as root: they write its temporary files here.
        os.chmod(self.work, 0o755)
        self.cluster = None
        self.processes = {}   # service name → (Popen, port, stderr path)
        self.nginx = None
        self.proxy_port = None
        self.token = VARIABLES["RECSMITH_ADMIN_TOKEN"]

    # MARK: starting

    def start(self):
        with open(COMPOSE) as file:
            compose = yaml.safe_load(file)
        services = compose["services"]
        check("postgres" in services and "proxy" in services, "the compose file has no postgres or proxy service")
        self.start_cluster()
        recsmith = {name: service for name, service in services.items() if service.get("image") == "recsmith:local"}
        check(len(recsmith) >= 2, f"expected the API replicas and a trainer built from the image, found {sorted(recsmith)}")
        # The trainer first (depends_on orders nothing among them), then the replicas, in name order.
        for name in sorted(recsmith, key=lambda name: (role(recsmith[name]["command"]) != "trainer", name)):
            self.start_recsmith(name, recsmith[name])
        self.start_nginx(services["proxy"])

    def start_cluster(self):
        self.cluster = subprocess.run([CLUSTER, "start"], check=True, capture_output=True, text=True).stdout.strip()
        with open(os.path.join(self.cluster, "port")) as file:
            self.database_port = int(file.read().strip())
        log(f"PostgreSQL cluster {self.cluster} on 127.0.0.1:{self.database_port}")

    def start_recsmith(self, name, service):
        environment = {key: interpolate(value, VARIABLES) for key, value in service["environment"].items()}
        store = environment["RECSMITH_STORE"]
        check("@postgres:5432/" in store, f"{name}: RECSMITH_STORE does not name the postgres service: {store}")
        environment["RECSMITH_STORE"] = store.replace("@postgres:5432/", f"@127.0.0.1:{self.database_port}/")
        directory = os.path.join(self.work, name)
        os.makedirs(directory)
        environment["RECSMITH_MODELS_DIR"] = os.path.join(directory, "models")
        command = list(service["command"])
        check(command[:1] == ["serve"] and command[command.index("--host") + 1] == "0.0.0.0",
              f"{name}: expected `serve --host 0.0.0.0 …`, found {command}")
        command[command.index("--host") + 1] = "127.0.0.1"
        stderr_path = os.path.join(directory, "stderr.log")
        process = subprocess.Popen(
            [self.binary] + command + ["--port", "0"], cwd=directory, stdout=subprocess.PIPE,
            stderr=open(stderr_path, "wb"), env={**os.environ, **environment}, start_new_session=True)
        line = process.stdout.readline().decode()
        match = re.search(r"listening on https?://127\.0\.0\.1:(\d+)", line)
        if not match:
            process.wait(timeout=10)
            raise SmokeFailure(f"{name} did not start: {line!r}\n{open(stderr_path).read()}")
        self.processes[name] = (process, int(match.group(1)), stderr_path)
        log(f"{name}: {' '.join(command)} on 127.0.0.1:{match.group(1)}")

    def start_nginx(self, proxy):
        check(any(volume.startswith("./nginx.conf:") for volume in proxy["volumes"]), "the proxy does not mount ./nginx.conf")
        with open(NGINX_CONF) as file:
            conf = file.read()
        upstreams = re.findall(r"server\s+([A-Za-z0-9_-]+):8080\b", conf)
        check(upstreams and all(host in self.processes for host in upstreams),
              f"nginx's upstreams {upstreams} are not the compose services {sorted(self.processes)}")
        for host in upstreams:
            conf = re.sub(rf"server\s+{re.escape(host)}:8080\b", f"server 127.0.0.1:{self.processes[host][1]}", conf)
        self.proxy_port = free_port()
        conf, listens = re.subn(r"listen\s+8080;", f"listen 127.0.0.1:{self.proxy_port};", conf)
        check(listens == 1, "nginx.conf does not listen on 8080 once")
        nginx_dir = os.path.join(self.work, "nginx")
        os.makedirs(nginx_dir)
        conf = re.sub(r"pid\s+[^;]+;", f"pid {nginx_dir}/nginx.pid;", conf)
        temporaries = "".join(f"    {kind}_temp_path {nginx_dir}/{kind};\n"
                              for kind in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"])
        conf = conf.replace("http {\n", "http {\n" + temporaries, 1)
        path = os.path.join(nginx_dir, "nginx.conf")
        with open(path, "w") as file:
            file.write(conf)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.nginx = subprocess.Popen(
            [nginx, "-p", nginx_dir, "-c", path, "-e", os.path.join(nginx_dir, "error.log"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(nginx_dir, "stderr.log"), "wb"), start_new_session=True)
        wait_until("nginx answers", 10, lambda: self.proxy("GET", "/healthz")[0] == 200)
        log(f"nginx with deploy/nginx.conf on 127.0.0.1:{self.proxy_port} → {', '.join(upstreams)}")

    # MARK: requests

    def proxy(self, method, path, body=None, headers=None):
        return request(method, f"http://127.0.0.1:{self.proxy_port}{path}", body, headers)

    def direct(self, name, method, path, body=None, headers=None):
        return request(method, f"http://127.0.0.1:{self.processes[name][1]}{path}", body, headers)

    def admin(self):
        return {"Authorization": f"Bearer {self.token}"}

    # MARK: stopping

    def stop(self):
        for process in [self.nginx] + [entry[0] for entry in self.processes.values()]:
            if process and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in [self.nginx] + [entry[0] for entry in self.processes.values()]:
            if process:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        if self.cluster:
            subprocess.run([CLUSTER, "stop", self.cluster], check=False)

    def logs(self):
        for name, (_, _, path) in self.processes.items():
            with open(path, errors="replace") as file:
                print(f"---- {name} stderr ----\n{file.read()[-4000:]}", file=sys.stderr)


def role(command):
    """The `--role` of a `serve` command (`all` when it names none)."""
    return command[command.index("--role") + 1] if "--role" in command else "all"


def metric(text, name):
    """The sum of a Prometheus metric's samples (every label set)."""
    total, found = 0.0, False
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            total += float(line.rsplit(" ", 1)[1])
            found = True
    return total if found else None


def scenario(topology):
    roles = {name: role(process.args) for name, (process, _, _) in topology.processes.items()}
    replicas = sorted(name for name, role in roles.items() if role == "api")
    trainers = sorted(name for name, role in roles.items() if role == "trainer")
    check(len(replicas) == 2 and len(trainers) == 1, f"expected two api replicas and one trainer: {roles}")
    trainer = trainers[0]

    # Events through the proxy (to whichever replica), NDJSON with ids, as a shop would send them.
    lines = [json.dumps({"user": f"u{(i * 7) % 60}", "item": f"i{(i * 13 + i // 60) % 150}", "id": f"smoke-{i}",
                         "timestamp": 1_767_000_000 + i}) for i in range(3000)]
    status, _, body = topology.proxy("POST", "/events", "\n".join(lines), {"Content-Type": "application/x-ndjson"})
    check(status == 200 and json.loads(body)["accepted"] == 3000, f"POST /events through the proxy: {status} {body!r}")
    log("3000 events accepted through the proxy")

    # The replicas do not train (nginx passes the 409 on); the trainer does.
    status, _, body = topology.proxy("POST", "/retrain", "", topology.admin())
    check(status == 409 and json.loads(body)["error"]["code"] == "not_a_trainer", f"POST /retrain through the proxy: {status} {body!r}")
    wait_until("the trainer leads", 15, lambda: json.loads(topology.direct(trainer, "GET", "/readyz")[2]).get("leader") is True)
    status, _, body = topology.direct(trainer, "POST", "/retrain", "", topology.admin())
    check(status == 202, f"POST /retrain on the trainer: {status} {body!r}")
    job = json.loads(body)["job"]

    def finished():
        state = json.loads(topology.direct(trainer, "GET", f"/retrain/{job}", headers=topology.admin())[2])
        return state if state["status"] not in ("queued", "running") else None
    state = wait_until(f"pass {job} ends", 120, finished)
    # Asked for right after the events were accepted by a replica: the pass reads them all the same (it catches up
    # with the change feed before reading).
    check(state["status"] == "succeeded", f"the trainer's pass {job}: {state}")
    log(f"trainer pass {job} succeeded: {', '.join(f'{k} {v:.2f}s' for k, v in state['durations'].items())}")

    # Its model set reaches both replicas; recommendations come from each of them behind the proxy.
    def version(name):
        models = json.loads(topology.direct(name, "GET", "/models")[2])["models"]
        return models[0]["version"] if models else None
    versions = wait_until("both replicas serve the trainer's set", 15,
                          lambda: (lambda v: v if None not in v and len(set(v)) == 1 else None)([version(n) for n in replicas]))
    models = json.loads(topology.direct(replicas[0], "GET", "/models")[2])["models"]
    names = [model["name"] for model in models]
    check(all(model["events"] == 3000 for model in models), f"the pass did not read every event: {models}")
    served_before = {name: metric(topology.direct(name, "GET", "/metrics")[2].decode(), "recsmith_http_requests_total") or 0
                     for name in replicas}
    for user in range(20):
        status, _, body = topology.proxy("GET", f"/users/u{user}/recommendations?k=5")
        answer = json.loads(body)
        check(status == 200 and len(answer["items"]) == 5 and answer["version"] == versions[0],
              f"recommendations for u{user} through the proxy: {status} {body!r}")
    served_after = {name: metric(topology.direct(name, "GET", "/metrics")[2].decode(), "recsmith_http_requests_total") or 0
                    for name in replicas}
    check(all(served_after[name] - served_before[name] >= 5 for name in replicas),
          f"nginx spread the requests over both replicas: {served_before} → {served_after}")
    status, _, body = topology.proxy("GET", "/readyz")
    check(status == 200 and json.loads(body)["status"] == "ready", f"/readyz through the proxy: {status} {body!r}")
    log(f"model set {versions[0]} ({', '.join(names)}) on both replicas; 20 recommendations through the proxy")

    # The trainer: leads, serves only its routes, and its metrics count the pass.
    status, _, _ = topology.direct(trainer, "GET", "/users/u1/recommendations")
    check(status == 404, f"the trainer answered a recommendation route: {status}")
    metrics = topology.direct(trainer, "GET", "/metrics")[2].decode()
    leader, passes = metric(metrics, "recsmith_trainer_leader"), metric(metrics, "recsmith_training_passes_total")
    check(leader == 1 and passes and passes >= 1, f"trainer metrics: leader {leader}, passes {passes}")
    log(f"trainer metrics: recsmith_trainer_leader {leader:g}, recsmith_training_passes_total {passes:g}")


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "debug", "recsmith"))
    check(os.access(binary, os.X_OK), f"no recsmith binary at {binary}")
    started = time.monotonic()
    topology = Topology(binary)
    # SIGTERM (a CI timeout) stops everything too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ok = False
    try:
        topology.start()
        scenario(topology)
        ok = True
    except SmokeFailure as failure:
        log(f"FAILED: {failure}")
        topology.logs()
    finally:
        topology.stop()
        if ok:
            shutil.rmtree(topology.work, ignore_errors=True)
        else:
            log(f"kept {topology.work} for inspection")
    log(f"{'ok' if ok else 'failed'} in {time.monotonic() - started:.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
