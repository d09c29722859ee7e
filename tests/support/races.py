"""Processes that do the same thing at the same moment: each a fresh interpreter, all let go together at a barrier."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from typing import Any


def run_at_once(target: Callable[..., None], argument_lists: Sequence[tuple[Any, ...]], results: int) -> list[Any]:
    """Run `target(*arguments, barrier, queue)` in one process per argument list and return the `results` items
    they put into `queue`; every process must end cleanly. `target` waits at `barrier` before each racing step."""
    context = multiprocessing.get_context("spawn")  # nothing inherited: each process opens its own connections
    barrier, queue = context.Barrier(len(argument_lists)), context.Queue()
    processes = [context.Process(target=target, args=(*arguments, barrier, queue)) for arguments in argument_lists]
    for process in processes:
        process.start()
    # Read before joining: a process that has put items ends only once they are taken from the queue.
    outcomes = [queue.get(timeout=180) for _ in range(results)]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0, f"a racing process ended with {process.exitcode}"
    return outcomes
