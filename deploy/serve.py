"""`make serve`: several Streamlit replicas of the dashboard behind HAProxy, on one host (issue 12).

    python -m deploy.serve --replicas 2 --port 8501 --db data/oversight.duckdb

Starts REPLICAS Streamlit servers on free loopback ports, writes deploy/haproxy.cfg (filled in)
into a run folder, starts HAProxy listening on ADDRESS:PORT, waits until every replica and the
proxy answer /_stcore/health, and then watches: a replica that exits is started again on its port
(HAProxy's health check takes it out of rotation meanwhile and back in when it answers). SIGINT or
SIGTERM stops HAProxy and every replica. The run folder keeps each replica's log and the proxy's
configuration and admin socket.

Every replica reads the same database file (OVERSIGHT_DB) and follows its swaps by itself
(oversight/db.py: a new file version is noticed at the next query), and reads the same
.streamlit/secrets.toml (or --secrets), so a sign-in cookie signed by one replica is valid on all.
No Streamlit import here: the replicas are separate processes.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import ssl
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from oversight.security import content_security_policy

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "haproxy.cfg"
HEALTH = "/_stcore/health"
START_TIMEOUT = 180.0  # seconds for a replica to answer its health check (a busy 2-core machine)
RESTART_PAUSE = 5.0  # seconds between two starts of the same replica


def free_port(address: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((address, 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    # Readiness only, on this host: a throwaway certificate is not checked here (browsers check it).
    context = ssl._create_unverified_context() if url.startswith("https:") else None
    try:
        with urllib.request.urlopen(url + HEALTH, timeout=2, context=context) as response:
            return response.status == 200
    except OSError:
        return False


def wait_healthy(url: str, process: subprocess.Popen, timeout: float, what: str, log_path: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        if healthy(url):
            return
        time.sleep(0.3)
    tail = log_path.read_text(errors="replace")[-1500:] if log_path.exists() else ""
    raise RuntimeError(f"{what} did not answer {url}{HEALTH} (exit code {process.poll()}); log {log_path}:\n{tail}")


@dataclass(frozen=True)
class Limits:
    """What one client address may do at the proxy (docs/security.md). The defaults leave room for a
    meeting room behind one ministry proxy address; a test lowers them to show a flood refused."""

    connections: int = 500  # open at once (a tab holds one websocket)
    connection_rate: int = 600  # new connections per 10 s
    request_rate: int = 3000  # HTTP requests per 10 s (a page's first load is about 40)
    upload_bytes: int = 50 * 1024 * 1024  # Streamlit's own cap (.streamlit/config.toml maxUploadSize)
    upload_rate: int = 20  # uploads per minute


@dataclass(frozen=True)
class Tls:
    """A PEM certificate (chain) and key: HTTPS on the port, and `http_port` only redirecting."""

    cert: Path
    key: Path
    http_port: int | None = None


def haproxy_config(port: int, address: str, replica_ports: list[int], run_dir: Path, tls_pem: Path | None = None,
                   http_port: int | None = None, limits: Limits = Limits()) -> str:
    servers = "\n".join(f"    server replica{i} 127.0.0.1:{p} check cookie replica{i}"
                        for i, p in enumerate(replica_ports, start=1))
    if tls_pem is None:
        binds, redirect, hsts, cookie_secure, secure_cookies = f"    bind {address}:{port}", "", "", "", ""
    else:
        binds = f"    bind {address}:{port} ssl crt {tls_pem} alpn http/1.1 ssl-min-ver TLSv1.2"
        if http_port is not None:
            binds += f"\n    bind {address}:{http_port}"
        # The HTTP port answers only this: the same host and path on the HTTPS port.
        redirect = (f"    http-request redirect location https://%[req.hdr(host),field(1,:)]:{port}%[capture.req.uri]"
                    " code 301 unless { ssl_fc }")
        hsts = '    http-response set-header Strict-Transport-Security "max-age=31536000; includeSubDomains"'
        cookie_secure = " secure"
        # Streamlit sets its sign-in cookie HttpOnly but not Secure (for Safari's sake over plain HTTP);
        # behind TLS every cookie gets Secure. Single quotes: HAProxy expands "$..." in double quotes.
        secure_cookies = "    http-response replace-header Set-Cookie '^((?:(?!; [Ss]ecure).)*)$' '\\1; Secure'"
    return string.Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        port=port, address=address, servers=servers, run_dir=run_dir, binds=binds, redirect=redirect, hsts=hsts,
        cookie_secure=cookie_secure, secure_cookies=secure_cookies,
        content_security_policy=content_security_policy(),
        max_connections=limits.connections, max_connection_rate=limits.connection_rate,
        max_request_rate=limits.request_rate, max_upload_bytes=limits.upload_bytes,
        max_upload_rate=limits.upload_rate)


def stop_process(process: subprocess.Popen, timeout: float = 20) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class Cluster:
    """The replicas and the proxy in front of them; `start()` returns when all are healthy."""

    def __init__(self, db: Path, replicas: int, port: int, run_dir: Path, address: str = "127.0.0.1",
                 secrets: Path | None = None, env: dict[str, str] | None = None, tls: Tls | None = None,
                 limits: Limits = Limits()):
        if replicas < 1:
            raise ValueError("at least one replica")
        self.db, self.port, self.address, self.secrets = Path(db).resolve(), port, address, secrets
        self.tls, self.limits = tls, limits
        self.run_dir = Path(run_dir)
        self.env = {**os.environ, **(env or {}), "OVERSIGHT_DB": str(self.db)}
        self.ports = [free_port() for _ in range(replicas)]
        self.replicas: list[subprocess.Popen] = []
        self.proxy: subprocess.Popen | None = None
        self._started_at = [0.0] * replicas

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.address}:{self.port}"

    def replica_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.ports[index]}"

    def _log(self, name: str) -> Path:
        return self.run_dir / f"{name}.log"

    def _start_replica(self, index: int) -> subprocess.Popen:
        command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                   "--server.headless", "true", "--server.address", "127.0.0.1",
                   "--server.port", str(self.ports[index]), "--browser.gatherUsageStats", "false",
                   # The same as .streamlit/config.toml asks, stated here so that no local
                   # configuration can make a replica poll the tree or collect after every run.
                   "--server.fileWatcherType", "none", "--runner.postScriptGC", "false"]
        if self.secrets:
            command += ["--secrets.files", str(self.secrets)]
        self._started_at[index] = time.monotonic()
        with open(self._log(f"replica{index + 1}"), "a") as log:
            return subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def start(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        try:
            self.replicas = [self._start_replica(i) for i in range(len(self.ports))]
            for i, process in enumerate(self.replicas):
                wait_healthy(self.replica_url(i), process, START_TIMEOUT, f"replica {i + 1}",
                             self._log(f"replica{i + 1}"))
            config = self.run_dir / "haproxy.cfg"
            config.write_text(haproxy_config(self.port, self.address, self.ports, self.run_dir, self._tls_pem(),
                                             self.tls.http_port if self.tls else None, self.limits),
                              encoding="utf-8")
            check = subprocess.run(["haproxy", "-c", "-q", "-f", str(config)], capture_output=True, text=True)
            if check.returncode != 0:
                raise RuntimeError(f"haproxy refused {config}: {check.stderr.strip() or check.stdout.strip()}")
            with open(self._log("haproxy"), "a") as log:
                self.proxy = subprocess.Popen(["haproxy", "-db", "-f", str(config)], stdout=log,
                                              stderr=subprocess.STDOUT)
            wait_healthy(self.url, self.proxy, 30, "HAProxy", self._log("haproxy"))
        except BaseException:
            self.stop()
            raise

    def _tls_pem(self) -> Path | None:
        """HAProxy reads the certificate and its key from one file: written to the run folder, 0600."""
        if self.tls is None:
            return None
        pem = self.run_dir / "tls.pem"
        pem.touch(mode=0o600)
        pem.write_text(self.tls.cert.read_text(encoding="ascii").rstrip("\n") + "\n"
                       + self.tls.key.read_text(encoding="ascii"), encoding="ascii")
        return pem

    def kill_replica(self, index: int) -> None:
        """Kill one replica at once (SIGKILL), as a crash would; for tests and drills."""
        self.replicas[index].kill()
        self.replicas[index].wait(timeout=10)

    def restart_dead(self, say=print) -> None:
        """Start again every replica that has exited (not more often than every RESTART_PAUSE s)."""
        for i, process in enumerate(self.replicas):
            if process.poll() is not None and time.monotonic() - self._started_at[i] >= RESTART_PAUSE:
                say(f"replica {i + 1} exited with code {process.returncode}; starting it again "
                    f"(log: {self._log(f'replica{i + 1}')})")
                self.replicas[i] = self._start_replica(i)

    def stop(self) -> None:
        if self.proxy is not None:
            stop_process(self.proxy)
        for process in self.replicas:
            process.terminate()  # all at once, then wait for each
        for process in self.replicas:
            stop_process(process)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.serve", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replicas", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--address", default="127.0.0.1", help="where HAProxy listens (replicas: loopback only)")
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "oversight.duckdb")
    parser.add_argument("--secrets", type=Path, help="secrets.toml for every replica (default: .streamlit/secrets.toml)")
    parser.add_argument("--tls-cert", type=Path, help="PEM certificate (chain): serve HTTPS only (with --tls-key)")
    parser.add_argument("--tls-key", type=Path, help="PEM private key of --tls-cert")
    parser.add_argument("--http-port", type=int, help="with TLS: a plain HTTP port that only redirects to HTTPS")
    parser.add_argument("--run-dir", type=Path, help="logs, proxy configuration and socket (default: a new temporary folder)")
    args = parser.parse_args(argv)
    if (args.tls_cert is None) != (args.tls_key is None):
        parser.error("--tls-cert and --tls-key go together")
    tls = Tls(args.tls_cert, args.tls_key, args.http_port) if args.tls_cert else None
    run_dir = args.run_dir or Path(tempfile.mkdtemp(prefix="oversight-serve-"))
    cluster = Cluster(args.db, args.replicas, args.port, run_dir, address=args.address, secrets=args.secrets,
                      tls=tls)

    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(True))
    print(f"Starting {args.replicas} replicas over {cluster.db} (logs in {run_dir})", flush=True)
    cluster.start()
    print(f"Serving {cluster.url} through HAProxy: replicas on ports {', '.join(map(str, cluster.ports))}. "
          "Ctrl-C stops everything.", flush=True)
    try:
        while not stopping:
            time.sleep(1)
            if stopping:  # Ctrl-C in a terminal reaches the children too: do not restart them
                break
            if cluster.proxy.poll() is not None:
                print(f"HAProxy exited with code {cluster.proxy.returncode}; stopping", flush=True)
                return 1
            cluster.restart_dead(say=lambda message: print(message, flush=True))
    finally:
        cluster.stop()
        print("Stopped HAProxy and every replica.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
