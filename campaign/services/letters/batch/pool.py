"""The render processes: a pool per process and size, kept between runs, fed chunks with a bounded number in flight.

Each worker keeps one typesetter (font configuration and parsed stylesheets) for its whole life, sets a small
letter before its first chunk and then freezes what it has loaded out of the garbage collector's way. Results
come back in the order they finish, so a slow chunk never holds up the next ones and no core waits for another.
"""

from __future__ import annotations

import atexit
import gc
import multiprocessing
import os
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from campaign.services.letters.batch.renderer import ChunkTask, LetterRenderer, RenderedLetter

# Chunks queued per worker beyond the one it renders: a worker finds its next chunk ready when it finishes one,
# while the parent composes the chunks after that.
QUEUED_PER_WORKER = 2

_worker: LetterRenderer | None = None


def _init_worker() -> None:
    """Set up a worker: its renderer, warmed up before real work."""
    global _worker
    _worker = LetterRenderer()
    _worker.warm_up()
    # Fonts, stylesheets and modules stay for the process's life: keep them out of every later collection.
    gc.collect()
    gc.freeze()


def _render_in_worker(task: ChunkTask) -> list[RenderedLetter]:
    assert _worker is not None, "worker not initialised"
    return _worker.render(task)


def _worker_ready() -> int:
    return os.getpid()


class RenderPool:
    """Renders chunks on `workers` processes (every core by default), or in this process for workers=1."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers if workers is not None else (os.cpu_count() or 1))
        self._local: LetterRenderer | None = None
        self._ready: list[Future[int]] = []
        self._executor: ProcessPoolExecutor | None = None
        if self.workers > 1:
            # forkserver: workers start from a clean process, never from a copy of one holding DB connections.
            # The server imports this module, WeasyPrint and the hyphenation patterns (see batch.preload) once,
            # so each worker forks ready to render instead of paying more than two seconds for them.
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload([__name__, "campaign.services.letters.batch.preload"])
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=context,
                initializer=_init_worker,
            )
        else:
            self._local = LetterRenderer()

    def submit(self, task: ChunkTask) -> Future[list[RenderedLetter]]:
        if self._executor is not None:
            return self._executor.submit(_render_in_worker, task)
        future: Future[list[RenderedLetter]] = Future()
        try:
            assert self._local is not None
            future.set_result(self._local.render(task))
        except Exception as exc:  # handed to the caller through the future, as with the process pool
            future.set_exception(exc)
        return future

    def start(self, *, wait_ready: bool = True) -> None:
        """Start every worker now (instead of on the first chunks), and by default wait until each is ready.

        Without waiting, the workers warm up while the caller goes on (e.g. composing the first chunks).
        """
        if self._executor is not None:
            if not self._ready:
                # Submitted together, so the executor starts one process per task.
                self._ready = [self._executor.submit(_worker_ready) for _ in range(self.workers)]
            if wait_ready:
                for future in self._ready:
                    future.result()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)


# One pool per process and size, kept between runs: a job worker renders many campaigns, and starting the
# render processes (imports, fonts) costs about two seconds each time. Closed when the process exits.
_pools: dict[int, RenderPool] = {}
_pools_lock = threading.Lock()


def shared_pool(workers: int | None = None) -> RenderPool:
    """The process's render pool with `workers` processes (every core by default), started on first use."""
    count = max(1, workers if workers is not None else (os.cpu_count() or 1))
    with _pools_lock:
        if count not in _pools:
            _pools[count] = RenderPool(count)
        return _pools[count]


def warm_up(workers: int | None = None) -> None:
    """Start the shared pool's workers ahead of the first run (e.g. when a job worker starts)."""
    shared_pool(workers).start()


@atexit.register
def shutdown_pools() -> None:
    """Stop the render processes (at exit, or to free their memory)."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.close()


def _discard_pool(pool: RenderPool) -> None:
    with _pools_lock:
        for count, known in list(_pools.items()):
            if known is pool:
                del _pools[count]
    pool.close()


def render_chunks(
    tasks: Iterable[ChunkTask], *, workers: int | None = None, in_flight: int | None = None
) -> Iterator[tuple[ChunkTask, list[RenderedLetter]]]:
    """Render tasks on the shared pool, yielding each as it finishes, with at most `in_flight` chunks pending.

    The next task is taken from `tasks` (composed by the caller) as soon as one finishes, so the workers always
    have a queued chunk to go on with and only the last chunks can leave a core without work.
    """
    pool = shared_pool(workers)
    pool.start(wait_ready=False)
    limit = in_flight or pool.workers * (1 + QUEUED_PER_WORKER)
    pending: dict[Future[list[RenderedLetter]], ChunkTask] = {}
    source = iter(tasks)
    try:
        exhausted = False
        while True:
            while not exhausted and len(pending) < limit:
                task = next(source, None)
                if task is None:
                    exhausted = True
                else:
                    pending[pool.submit(task)] = task
            if not pending:
                return
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield pending.pop(future), future.result()
    except BrokenProcessPool:
        _discard_pool(pool)  # a worker died (e.g. killed for memory); the next run starts a fresh pool
        raise
    finally:
        for future in pending:
            future.cancel()
