# Benchmark timer for tests/ansible/bench.sh: records, for every task, the wall time from its
# start to the start of the next task and, for every host, the time from the start of its
# run to its result; prints both tables as JSON on stdout at the end of the playbook.
from __future__ import annotations

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: hvp_bench_timer
type: aggregate
short_description: time per task and per host for the hvp benchmark
description:
  - Writes the timings to the file named by HVP_BENCH_TIMINGS (JSON).
requirements:
  - enabled with ANSIBLE_CALLBACKS_ENABLED=hvp_bench_timer
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "hvp_bench_timer"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self._tasks = []  # [name, start, end, hosts]
        self._host_start = {}
        self._hosts = {}  # host -> {"tasks": n, "seconds": s}

    def _close_task(self, now):
        if self._tasks and self._tasks[-1][2] is None:
            self._tasks[-1][2] = now

    def v2_playbook_on_task_start(self, task, is_conditional):
        now = time.perf_counter()
        self._close_task(now)
        self._tasks.append([task.get_name(), now, None, 0])

    v2_playbook_on_handler_task_start = v2_playbook_on_task_start

    def v2_playbook_on_play_start(self, play):
        self._close_task(time.perf_counter())

    def v2_runner_on_start(self, host, task):
        self._host_start[(host.get_name(), task._uuid)] = time.perf_counter()

    def _result(self, result, *args, **kwargs):
        now = time.perf_counter()
        host = result._host.get_name()
        start = self._host_start.pop((host, result._task._uuid), None)
        if start is None:
            return
        entry = self._hosts.setdefault(host, {"tasks": 0, "seconds": 0.0})
        entry["tasks"] += 1
        entry["seconds"] += now - start
        if self._tasks:
            self._tasks[-1][3] += 1

    v2_runner_on_ok = _result
    v2_runner_on_failed = _result
    v2_runner_on_skipped = _result
    v2_runner_on_unreachable = _result

    def v2_playbook_on_stats(self, stats):
        self._close_task(time.perf_counter())
        out = {
            "tasks": [
                {"task": name, "seconds": round(end - start, 6), "hosts": hosts}
                for name, start, end, hosts in self._tasks
            ],
            "hosts": {h: {"tasks": v["tasks"], "seconds": round(v["seconds"], 6)} for h, v in self._hosts.items()},
        }
        path = os.environ.get("HVP_BENCH_TIMINGS")
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(out, handle, indent=1)
