"""The meeting point of the race tests: two threads, each at the seam a
service offers right after it read (or wrote) the state the race is about."""

import contextlib
import threading


def meeting_point(*, lock: bool):
    """A stand-in for the service's seam where two threads wait for each
    other. With the lock the second thread is held before it gets here, so
    the first one's wait times out (1 s) and it goes on alone. Without it
    they always meet; the long wait only covers a loaded machine, where the
    second thread may take seconds to arrive."""
    barrier = threading.Barrier(2)
    wait = 1 if lock else 30

    def meet(*_state) -> None:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=wait)

    return meet
