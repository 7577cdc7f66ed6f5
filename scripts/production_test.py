#!/usr/bin/env python3
"""Quill as an operator runs it: the unpacked release, two instances on one fresh PostgreSQL
database, nginx in front with deploy/nginx/quill.conf. Driven by scripts/production-test.sh,
which builds the tarball, makes the certificate and the database, and starts nginx; this
starts and stops the two instances and checks, through nginx over HTTPS:

1. both instances start at once on a fresh database (concurrent migrations);
2. HTTP redirects to HTTPS and serves the ACME challenge; register and log in (Secure
   cookie), create a post; a session made through nginx works on each instance; a picture
   uploaded to one instance is served by the other; the WASM comes from nginx, compressed and
   immutable;
3. the micro-cache: two anonymous page loads within a second reach Quill once, signed-in
   ones always reach it, a new post shows to anonymous readers within 2 s;
4. kill -9 of one instance under reads and API writes, restarted 2 s later as systemd's
   Restart=on-failure does: no acknowledged write lost, no failure but of requests inside
   the killed process (the connections that arrive meanwhile wait on the socket);
5. a rolling restart under reads and writes: no failed request at all.
Like systemd's socket units (deploy/systemd/quill.socket), this holds each instance's
listening socket and hands it to every process started on it (LISTEN_FDS), so connections
that arrive while an instance restarts wait for the next process instead of being reset;
6. the client address in Quill's log is the real one behind nginx, and a forged
   X-Forwarded-For sent straight to Quill is not believed.

Standard library only. Every address is a loopback one; every wait has a deadline."""

import http.client
import json
import os
import random
import re
import signal
import socket
import ssl
import struct
import subprocess
import sys
import threading
import time
import uuid
import zlib

ENV = os.environ
QUILL = ENV["PT_QUILL"]
WORK = ENV["PT_WORK"]
HOST = "blog.example.org"
HTTP_PORT = int(ENV["PT_HTTP_PORT"])
HTTPS_PORT = int(ENV["PT_HTTPS_PORT"])
PORTS = [int(ENV["PT_PORT_A"]), int(ENV["PT_PORT_B"])]
PUBLIC_URL = f"https://{HOST}:{HTTPS_PORT}"
TLS = ssl.create_default_context(cafile=ENV["PT_CA"])
PASSWORD = "correct horse battery"

SUMMARY = {}


def say(text):
    print(f"[production] {text}", flush=True)


def check(condition, message):
    if not condition:
        raise AssertionError(message)


# --- HTTP ------------------------------------------------------------------------------------


class Answer:
    def __init__(self, response, body):
        self.status = response.status
        self.headers = response.headers
        self.body = body

    def header(self, name):
        return self.headers.get(name)

    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)

    def cookies(self):
        """name -> (value, attributes) of every Set-Cookie."""
        found = {}
        for line in self.headers.get_all("Set-Cookie") or []:
            first, _, attributes = line.partition(";")
            name, _, value = first.partition("=")
            found[name.strip()] = (value.strip(), attributes)
        return found


def request(method, path, *, instance=None, scheme="https", headers=None, body=None,
            source=None, timeout=15):
    """One request on a new connection: through nginx (HTTPS, or HTTP with scheme="http"), or
    straight to instance 0 or 1."""
    headers = dict(headers or {})
    if instance is not None:
        conn = http.client.HTTPConnection("127.0.0.1", PORTS[instance], timeout=timeout,
                                          source_address=source)
        headers.setdefault("Host", f"127.0.0.1:{PORTS[instance]}")
    elif scheme == "http":
        conn = http.client.HTTPConnection("127.0.0.1", HTTP_PORT, timeout=timeout,
                                          source_address=source)
        headers.setdefault("Host", HOST)
    else:
        conn = http.client.HTTPSConnection("127.0.0.1", HTTPS_PORT, timeout=timeout,
                                           context=TLS, source_address=source)
        headers.setdefault("Host", f"{HOST}:{HTTPS_PORT}")
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return Answer(response, response.read())
    finally:
        conn.close()


def page(path, cookie=None, **kwargs):
    headers = {"Accept": "text/html", "Accept-Encoding": "identity"}
    if cookie:
        headers["Cookie"] = cookie
    headers.update(kwargs.pop("headers", {}))
    return request("GET", path, headers=headers, **kwargs)


def form(path, fields, cookie=None, page_path="/", **kwargs):
    """A plain HTML form post from `page_path`, as a browser without JavaScript sends it."""
    body = "&".join(f"{k}={quote(v)}" for k, v in fields.items())
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html",
               "Origin": PUBLIC_URL, "Referer": PUBLIC_URL + page_path}
    if cookie:
        headers["Cookie"] = cookie
    return request("POST", path, headers=headers, body=body, **kwargs)


def api(method, path, token=None, payload=None, **kwargs):
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = None
    if payload is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(payload)
    return request(method, f"/api/v1{path}", headers=headers, body=body, **kwargs)


def quote(text):
    from urllib.parse import quote_plus
    return quote_plus(text)


def png(side=8):
    """A small valid PNG, made here."""
    raw = b"".join(b"\x00" + bytes([(x * 30) % 256, 80, 160] * side) for x in range(side))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


# --- the instances ---------------------------------------------------------------------------


class Instance:
    def __init__(self, index):
        self.index = index
        self.port = PORTS[index]
        self.log = os.path.join(WORK, f"quill-{'ab'[index]}.log")
        self.process = None
        # The listening socket, held here for the instance's whole life, as systemd does.
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", self.port))
        self.socket.listen(1024)

    def start(self):
        env = dict(ENV)
        env.update({
            "QUILL_ENV": "production",
            "DATABASE_URL": ENV["PT_DATABASE_URL"],
            "SECRET_KEY": "production-test-secret-0123456789abcdef",
            "PUBLIC_URL": PUBLIC_URL,
            "TRUSTED_PROXIES": "127.0.0.1",
            "LEPTOS_SITE_ADDR": f"127.0.0.1:{self.port}",
            "LOG_FORMAT": "json",
            "RUST_LOG": "info,sqlx=warn",
            "MAIL_DIR": os.path.join(WORK, "mail"),
            # Every request of this test comes from a handful of loopback addresses.
            "THROTTLE_LOGIN_PER_CLIENT": "100000",
            "THROTTLE_LOGIN_PER_ACCOUNT": "100000",
            "THROTTLE_REGISTER_PER_CLIENT": "100000",
        })
        for name in [k for k in env if k.startswith("LEPTOS_") and k != "LEPTOS_SITE_ADDR"]:
            del env[name]
        log = open(self.log, "ab")
        # The socket as descriptor 3, named by LISTEN_FDS and LISTEN_PID (the shell's pid is
        # Quill's after exec), as systemd passes it.
        fd = self.socket.fileno()
        move = "" if fd == 3 else f"exec 3<&{fd} {fd}<&-; "
        script = f'{move}export LISTEN_FDS=1 LISTEN_PID=$$; exec "$0" serve'
        # From a folder of its own: the release runs from anywhere, with its site beside it.
        self.process = subprocess.Popen(["/bin/sh", "-c", script, QUILL], env=env,
                                        cwd=os.path.join(WORK, "run"), pass_fds=(fd,),
                                        stdout=log, stderr=subprocess.STDOUT)
        log.close()

    def wait_ready(self, seconds=30):
        deadline = time.time() + seconds
        while time.time() < deadline:
            check(self.process.poll() is None,
                  f"instance {self.index} exited: {tail(self.log)}")
            try:
                if request("GET", "/readyz", instance=self.index, timeout=2).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"instance {self.index} not ready after {seconds} s")

    def stop(self, sig=signal.SIGTERM, seconds=30):
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=seconds)


def tail(path, lines=20):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""


def metric_total(name_filter):
    """Sum over both instances of quill_http_requests_total lines matching name_filter."""
    total = 0.0
    for index in (0, 1):
        text = request("GET", "/metrics", instance=index).text()
        for line in text.splitlines():
            if line.startswith("quill_http_requests_total{") and name_filter(line):
                total += float(line.rsplit(" ", 1)[1])
    return total


def home_loads():
    return metric_total(lambda l: 'route="/"' in l and 'method="GET"' in l)


def requests_other_than_metrics():
    return metric_total(lambda l: 'route="/metrics"' not in l)


def log_line(request_id):
    for instance in (0, 1):
        with open(os.path.join(WORK, f"quill-{'ab'[instance]}.log"), encoding="utf-8",
                  errors="replace") as f:
            for line in f:
                if request_id in line and '"answered"' in line:
                    return json.loads(line)
    return None


def wait_for_log_line(request_id, seconds=5):
    deadline = time.time() + seconds
    while time.time() < deadline:
        found = log_line(request_id)
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"no log line for request {request_id}")


def client_of(line):
    span = line.get("span") or {}
    return span.get("client") or line.get("client")


# --- the checks ------------------------------------------------------------------------------


def register_and_log_in(name):
    email = f"{name}@example.com"
    res = form("/_fn/register", {"username": name, "email": email, "password": PASSWORD,
                                 "confirm_password": PASSWORD}, page_path="/register")
    check(res.status in (302, 303), f"register: {res.status} {res.text()[:300]}")
    res = form("/_fn/login", {"email": email, "password": PASSWORD}, page_path="/login")
    check(res.status in (302, 303), f"login: {res.status} {res.text()[:300]}")
    cookies = res.cookies()
    check("__Host-quill_session" in cookies, f"no session cookie: {cookies}")
    value, attributes = cookies["__Host-quill_session"]
    check("secure" in attributes.lower(), f"the session cookie is not Secure: {attributes}")
    check("httponly" in attributes.lower(), f"the session cookie is not HttpOnly: {attributes}")
    return f"__Host-quill_session={value}"


def basics():
    res = page("/login", scheme="http")
    check(res.status == 301, f"HTTP: {res.status}")
    check(res.header("Location") == f"https://{HOST}/login", f"Location {res.header('Location')}")
    token = uuid.uuid4().hex
    with open(os.path.join(WORK, "nginx", "acme", ".well-known", "acme-challenge", token), "w") as f:
        f.write("acme " + token)
    res = request("GET", f"/.well-known/acme-challenge/{token}", scheme="http")
    check(res.status == 200 and res.text() == "acme " + token, f"ACME challenge: {res.status}")
    say("HTTP redirects to HTTPS; the ACME challenge is served over HTTP")

    cookie = register_and_log_in("ann")
    title = f"Hello from behind nginx {uuid.uuid4().hex[:8]}"
    res = form("/_fn/create_post", {"title": title, "content": "Served over TLS."}, cookie=cookie,
               page_path="/post/new")
    check(res.status in (302, 303), f"create post: {res.status}")
    check(title in page("/", cookie=cookie).text(), "the new post is not on the home page")
    say("registered, logged in (Secure, HttpOnly cookie) and posted over HTTPS")

    for instance in (0, 1):
        res = page("/account", cookie=cookie, instance=instance)
        check(res.status == 200 and 'value="ann"' in res.text(),
              f"instance {instance} does not know the session: {res.status}")
    say("the session works on each instance")

    picture = png()
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in (("username", "ann"), ("email", "ann@example.com")):
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="picture"; '
                 f'filename="me.png"\r\nContent-Type: image/png\r\n\r\n'.encode()
                 + picture + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    res = request("POST", "/_fn/update_account", instance=0, body=b"".join(parts), headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "Accept": "text/html",
        "Origin": PUBLIC_URL, "Referer": PUBLIC_URL + "/account", "Cookie": cookie})
    check(res.status in (302, 303), f"upload: {res.status} {res.text()[:300]}")
    found = re.search(r'src="(/media/avatars/[^"]+)"', page("/account", cookie=cookie).text())
    check(found, "no picture on the account page")
    avatar = found.group(1).replace("&amp;", "&")
    res = request("GET", avatar, instance=1)
    check(res.status == 200 and res.header("Content-Type") == "image/png",
          f"the other instance: {res.status} {res.header('Content-Type')}")
    check(request("GET", avatar).status == 200, "the picture through nginx")
    say("a picture uploaded to one instance is served by the other")

    html = page("/").text()
    wasm = re.search(r'/pkg/quill\.[0-9A-Za-z_-]+\.wasm', html)
    check(wasm, f"no hashed WASM name in the page: {html[:600]}")
    before = requests_other_than_metrics()
    for encoding in ("br", "gzip"):
        res = request("GET", wasm.group(0), headers={"Accept-Encoding": encoding})
        check(res.status == 200, f"{wasm.group(0)}: {res.status}")
        check(res.header("Content-Encoding") == encoding,
              f"{encoding}: Content-Encoding {res.header('Content-Encoding')}")
        check("immutable" in (res.header("Cache-Control") or ""),
              f"Cache-Control {res.header('Cache-Control')}")
    check(requests_other_than_metrics() == before, "the WASM was fetched from Quill, not nginx")
    say(f"{wasm.group(0)} comes from nginx, br and gzip, immutable")
    # Quill on its own answers the same files, from memory (src/web/site_files.rs).
    site = os.path.join(os.path.dirname(QUILL), "site")
    for encoding, suffix in (("br", ".br"), ("gzip", ".gz"), ("identity", "")):
        res = request("GET", wasm.group(0), instance=1, headers={"Accept-Encoding": encoding})
        with open(site + wasm.group(0) + suffix, "rb") as f:
            check(res.status == 200 and res.body == f.read(), f"Quill's {encoding} WASM differs")
        check((res.header("Content-Encoding") or "identity") == encoding,
              f"Quill's {encoding}: Content-Encoding {res.header('Content-Encoding')}")
        check("immutable" in (res.header("Cache-Control") or ""), "Quill's WASM not immutable")
    etag = request("GET", wasm.group(0), instance=1).header("ETag")
    check(request("GET", wasm.group(0), instance=1, headers={"If-None-Match": etag}).status == 304,
          "Quill's WASM: no 304 for its ETag")
    say("and from Quill itself, from memory: br, gzip, identity, 304 for its ETag")
    for path, kind in (("/default-avatar.svg", "image/svg+xml"), ("/favicon.svg", "image/svg+xml")):
        for instance in (None, 1):
            res = request("GET", path, instance=instance)
            check(res.status == 200 and res.header("Content-Type") == kind,
                  f"{path} from {instance or 'nginx'}: {res.status} {res.header('Content-Type')}")
    say("the icons are images, from nginx and from Quill")
    return cookie


def micro_cache(cookie):
    # nginx counts a copy's life in whole seconds: one second of validity ends within 2 s.
    time.sleep(2.1)
    before = home_loads()
    first = page("/")
    second = page("/")
    check(first.status == 200 and second.status == 200, "anonymous home page")
    time.sleep(0.5)
    anonymous = home_loads() - before
    check(anonymous == 1, f"two anonymous loads within a second reached Quill {anonymous} times")
    check(second.header("X-Cache-Status") in ("HIT", "UPDATING"),
          f"second anonymous load: {second.header('X-Cache-Status')}")

    before = home_loads()
    for _ in range(2):
        res = page("/", cookie=cookie)
        check(res.status == 200 and res.header("X-Cache-Status") == "BYPASS",
              f"signed in: {res.status} {res.header('X-Cache-Status')}")
        check("private" in (res.header("Cache-Control") or ""), "a personal page is not private")
    time.sleep(0.3)
    signed_in = home_loads() - before
    check(signed_in == 2, f"two signed-in loads reached Quill {signed_in} times")

    page("/")  # the cache holds the page without the new post
    title = f"Fresh {uuid.uuid4().hex[:8]}"
    form("/_fn/create_post", {"title": title, "content": "New."}, cookie=cookie,
         page_path="/post/new")
    posted = time.time()
    while title not in page("/").text():
        check(time.time() - posted < 2.0, "a new post did not reach anonymous readers in 2 s")
        time.sleep(0.01)
    shown = time.time() - posted
    SUMMARY["micro-cache"] = (f"2 anonymous loads -> {anonymous:.0f} render, 2 signed-in -> "
                              f"{signed_in:.0f}, new post shown after {shown:.2f} s")
    say("micro-cache: " + SUMMARY["micro-cache"])


def client_addresses():
    res = page("/about", source=("127.0.0.5", 0))
    check(res.status == 200, f"/about: {res.status}")
    request_id = res.header("X-Request-Id")
    check(request_id, "no X-Request-Id")
    line = wait_for_log_line(request_id)
    check(client_of(line) == "127.0.0.5", f"logged client {client_of(line)}: {line}")

    forged = f"forged-{uuid.uuid4().hex}"
    res = page("/about", instance=0, source=("127.0.0.3", 0),
               headers={"X-Forwarded-For": "203.0.113.9", "X-Request-Id": forged})
    check(res.status == 200, f"/about straight: {res.status}")
    line = wait_for_log_line(forged)
    check(client_of(line) == "127.0.0.3", f"a forged X-Forwarded-For was believed: {line}")
    say("the log names the real client behind nginx and ignores a forged X-Forwarded-For")


class Load:
    """Readers and API writers through nginx until stopped; every failure is kept with its time."""

    def __init__(self, token, post_ids, readers=4, writers=2):
        self.token = token
        self.post_ids = post_ids
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.sent = 0
        self.failures = []
        self.acknowledged = []
        self.threads = [threading.Thread(target=self.read, daemon=True) for _ in range(readers)]
        self.threads += [threading.Thread(target=self.write, daemon=True) for _ in range(writers)]

    def start(self):
        for thread in self.threads:
            thread.start()
        return self

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def note(self, what, ok):
        with self.lock:
            self.sent += 1
            if not ok:
                self.failures.append((time.time(), what))

    def read(self):
        paths = ["/", "/about", "/user/ann"] + [f"/post/{i}" for i in self.post_ids[:5]]
        while not self.stopping.is_set():
            path = random.choice(paths)
            try:
                res = page(path, timeout=10)
                self.note(f"GET {path}: {res.status}", res.status == 200)
            except (OSError, http.client.HTTPException) as err:
                self.note(f"GET {path}: {err!r}", False)
            time.sleep(0.01)

    def write(self):
        while not self.stopping.is_set():
            title = f"load {uuid.uuid4().hex[:12]}"
            try:
                res = api("POST", "/posts", self.token, {"title": title, "content": "steady"},
                          timeout=10)
                ok = res.status == 201
                if ok:
                    with self.lock:
                        self.acknowledged.append((res.json()["data"]["id"], title))
                self.note(f"POST /posts: {res.status} {res.text()[:120]}", ok)
            except (OSError, http.client.HTTPException, ValueError, KeyError) as err:
                self.note(f"POST /posts: {err!r}", False)
            time.sleep(0.02)


def verify_writes(acknowledged):
    lost = []
    for post_id, title in acknowledged:
        res = api("GET", f"/posts/{post_id}")
        if res.status != 200 or res.json()["data"]["title"] != title:
            lost.append(post_id)
    check(not lost, f"acknowledged writes lost: {lost[:10]} of {len(acknowledged)}")
    return len(acknowledged)


def api_token():
    res = api("POST", "/auth/login", payload={"email": "ann@example.com", "password": PASSWORD})
    check(res.status == 200, f"API login: {res.status} {res.text()[:200]}")
    return res.json()["auth_token"]


def kill_one(instances, token, post_ids):
    load = Load(token, post_ids).start()
    time.sleep(2)
    killed_at = time.time()
    instances[0].stop(signal.SIGKILL)
    # systemd's Restart=on-failure with RestartSec=2s (deploy/systemd/quill.service).
    time.sleep(2)
    instances[0].start()
    instances[0].wait_ready()
    time.sleep(6)
    load.stop()
    # A request inside the killed process dies with it (nginx resends a read to the other
    # instance, not a write). Those that arrive meanwhile wait on the socket for the next
    # process: nothing may fail later.
    early = [what for at, what in load.failures if at < killed_at]
    check(not early, f"requests failed before the kill: {early[:5]}")
    late = [what for at, what in load.failures if at > killed_at + 1.0]
    check(not late, f"requests failed after the kill: {late[:5]}")
    if load.failures:
        say(f"failed at the kill: {[what for _, what in load.failures][:5]}")
    found = verify_writes(load.acknowledged)
    SUMMARY["kill -9"] = (f"{load.sent} requests, {len(load.failures)} failed at the kill, "
                          f"{len(late)} after; {len(load.acknowledged)} writes acknowledged, "
                          f"{found} found")
    say("kill -9: " + SUMMARY["kill -9"])
    with open(instances[0].log, encoding="utf-8", errors="replace") as f:
        taken = f.read().count("listening on the socket it was given")
    check(taken == 2, f"the socket was taken {taken} times by the two processes of instance 0")


def rolling_restart(instances, token, post_ids):
    # An instance nginx saw fail stays out for fail_timeout (5 s): wait for it to be back.
    time.sleep(6)
    load = Load(token, post_ids).start()
    time.sleep(2)
    stops = []
    for instance in instances:
        started = time.time()
        instance.stop(signal.SIGTERM)
        stops.append(time.time() - started)
        instance.start()
        instance.wait_ready()
        time.sleep(6)
    load.stop()
    check(not load.failures, f"{len(load.failures)} requests failed: {load.failures[:5]}")
    found = verify_writes(load.acknowledged)
    SUMMARY["rolling restart"] = (f"{load.sent} requests, {len(load.failures)} failed; "
                                  f"{len(load.acknowledged)} writes acknowledged, {found} found; "
                                  f"stopped in {', '.join(f'{s:.2f} s' for s in stops)}")
    say("rolling restart: " + SUMMARY["rolling restart"])


def main():
    os.makedirs(os.path.join(WORK, "run"), exist_ok=True)
    instances = [Instance(0), Instance(1)]
    try:
        for instance in instances:
            instance.start()
        for instance in instances:
            instance.wait_ready()
        say("two instances started at once on one fresh PostgreSQL database")
        cookie = basics()
        micro_cache(cookie)
        client_addresses()
        token = api_token()
        post_ids = [p["id"] for p in api("GET", "/posts").json()["data"]]
        kill_one(instances, token, post_ids)
        rolling_restart(instances, token, post_ids)
    except AssertionError as err:
        print(f"\n[production] FAILED: {err}", file=sys.stderr)
        for instance in instances:
            print(f"--- {instance.log} ---\n{tail(instance.log)}", file=sys.stderr)
        return 1
    finally:
        for instance in instances:
            try:
                instance.stop(signal.SIGTERM, seconds=20)
            except subprocess.TimeoutExpired:
                instance.process.kill()
    print("\nproduction test summary")
    for name, text in SUMMARY.items():
        print(f"  {name:16} {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
