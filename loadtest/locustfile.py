"""One endpoint, hammered by every simulated user with no think time: throughput and latency at saturation.

``loadtest/run.py`` runs this once per endpoint (LOADTEST_NAME, LOADTEST_PATH, and LOADTEST_HEADERS, a
JSON object of extra request headers), so each figure is that endpoint's alone. Clients accept gzip, as
real ones do.
"""

import json
import os

from locust import FastHttpUser, constant, task


class Client(FastHttpUser):
    wait_time = constant(0)
    default_headers = {
        "Accept": "application/json",
        "Accept-Encoding": "gzip",
        **json.loads(os.environ.get("LOADTEST_HEADERS") or "{}"),
    }

    @task
    def get(self):
        self.client.get(os.environ["LOADTEST_PATH"], name=os.environ.get("LOADTEST_NAME"))
