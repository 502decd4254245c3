"""A long-running program's JSON stdout lines, each waited for with a timeout: a hung program
fails the test instead of hanging it. Shared by the agent integration tests."""
import json
import queue
import threading


class Lines:
    def __init__(self, process):
        self.queue = queue.Queue()
        threading.Thread(target=self._pump, args=(process.stdout,), daemon=True).start()

    def _pump(self, stream):
        for line in stream:
            self.queue.put(line)
        self.queue.put(None)

    def next(self, timeout=60):
        line = self.queue.get(timeout=timeout)
        if line is None:
            raise AssertionError("the process ended")
        return json.loads(line)
