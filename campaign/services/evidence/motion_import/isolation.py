"""Run a parser of untrusted files in a fresh Python process that limits its own CPU time and memory."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ProcessLimits:
    """What the separate process may use: CPU seconds, address space, and seconds on the clock."""

    cpu_seconds: int
    memory_bytes: int
    wall_seconds: float


class LimitExceeded(Exception):
    """The process was stopped at one of its limits (`what` is "time" or "memory")."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def run_isolated(script: Path, data: bytes, limits: ProcessLimits, *arguments: str) -> dict[str, Any]:
    """Feed `data` to `script` on stdin and return the JSON object it prints.

    The script gets the CPU and memory limits as its first two arguments and applies them before it reads
    anything (`apply_limits` below). `-I` keeps the environment and the working directory out of the child.
    Raises LimitExceeded when a limit stopped it, RuntimeError when it failed in any other way.
    """
    command = [sys.executable, "-I", str(script), str(limits.cpu_seconds), str(limits.memory_bytes), *arguments]
    try:
        finished = subprocess.run(command, input=data, capture_output=True, timeout=limits.wall_seconds, check=False)
    except subprocess.TimeoutExpired as exc:
        raise LimitExceeded("time") from exc
    if finished.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise LimitExceeded("time")
    if b"MemoryError" in finished.stderr:
        raise LimitExceeded("memory")
    try:
        result = json.loads(finished.stdout)
    except ValueError as exc:
        raise RuntimeError(f"exit {finished.returncode}: {finished.stderr[-500:]!r}") from exc
    if not isinstance(result, dict):
        raise RuntimeError(f"unexpected output {finished.stdout[:100]!r}")
    if result.get("error") == "memory":
        raise LimitExceeded("memory")
    return result
