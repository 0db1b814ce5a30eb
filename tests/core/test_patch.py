"""The patch on history and changes-feed entries: RFC 6902, and the same whichever process made it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonpatch

from apps.core.record.versions import patch

BEFORE = {"text": "a", "topics": [{"slug": "nato"}], "citations": [{"excerpt": "x", "note": ""}], "gone": 1}
AFTER = {"text": "b", "topics": [{"slug": "nato"}, {"slug": "arms"}], "citations": [{"excerpt": "y", "note": "n"}]}
SCRIPT = (
    "import django, json; django.setup(); from apps.core.record.versions import patch; "
    f"print(json.dumps(patch({BEFORE!r}, {AFTER!r})))"
)


def test_a_patch_turns_the_version_before_into_this_one():
    assert jsonpatch.apply_patch(BEFORE, patch(BEFORE, AFTER)) == AFTER
    assert jsonpatch.apply_patch({}, patch(None, AFTER)) == AFTER
    assert patch(AFTER, AFTER) == []


def test_a_patch_is_the_same_in_every_process():
    # jsonpatch compared keys as sets, in hash-seed order: each process gave the operations another order.
    root = Path(__file__).resolve().parents[2]
    made = {
        subprocess.run(
            [sys.executable, "-c", SCRIPT],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": str(seed), "DJANGO_SETTINGS_MODULE": "factsapi.test_settings"},
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
        for seed in (1, 2, 3, 4)
    }
    assert len(made) == 1
    assert json.loads(made.pop()) == patch(BEFORE, AFTER)
