"""Fixtures of the SDK suite: a fresh hvp-engine-sim per test module, an SDK connection."""

import json
import os
import subprocess
import urllib.request

import pytest

import ovirtsdk4 as sdk

PASSWORD = "sdk-suite-pw"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Server:
    """One hvp-engine-sim process on a free loopback port, stopped by its PID."""

    def __init__(self, *extra):
        binary = os.environ.get("HVP_ENGINE_SIM", os.path.join(ROOT, "target", "debug", "hvp-engine-sim"))
        self.proc = subprocess.Popen(
            [binary, "--listen", "127.0.0.1:0", "--password", PASSWORD, *extra],
            stdout=subprocess.PIPE,
            text=True,
        )
        self.addr = self.proc.stdout.readline().strip()
        assert self.addr.startswith("127.0.0.1:"), self.addr
        self.base = "http://%s" % self.addr
        self.url = self.base + "/ovirt-engine/api"

    def hook(self, method, name):
        req = urllib.request.Request(self.base + "/hvp-sim/" + name, method=method)
        with urllib.request.urlopen(req) as r:
            return json.loads(r.read() or b"null")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server():
    srv = Server("--seed-host", "node0.mgmt.private", "--host-install-ticks", "2")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def conn(server):
    c = sdk.Connection(url=server.url, username="admin@internal", password=PASSWORD, insecure=True)
    yield c
    c.close()
