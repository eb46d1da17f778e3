"""Latency of the language server as an editor sees it, over its stdio JSON-RPC (no client library).

Measures, each over ``--repeat`` rounds (median and worst):

- didOpen -> publishDiagnostics of the seed example (a new document each round);
- didChange -> publishDiagnostics of that document (the server waits ``DEBOUNCE_SECONDS`` after a
  change before it analyses: shown with and without it);
- hover on a tensor of the seed example;
- a small file opened while a large one (module-level tensor code, several seconds to analyse) is
  being analysed: the small file's didOpen -> diagnostics, and whether they came before the large
  file's.

    python benchmarks/lsp_latency.py [--repeat 10] [--large 1000]

The server runs this checkout's code (``src`` first on its ``PYTHONPATH``); pygls and lsprotocol
come from the ``lsp`` extra.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = (ROOT / "examples" / "mnist_convnet.py").read_text()
SMALL = "import tensorflow as tf\nx = tf.zeros([2, 3])\ny = tf.matmul(x, tf.zeros([4, 4]))\n"


def large_program(copies: int) -> str:
    return "import tensorflow as tf\n" + "".join(
        f"x{i} = tf.nn.conv2d(tf.zeros([8, 28, 28, 3]), tf.zeros([3, 3, 3, 16]), 1, 'SAME')\n"
        f"y{i} = tf.matmul(tf.reshape(x{i}, [-1, 28*28*16]), tf.zeros([28*28*16, 10]))\n" for i in range(copies))


class Server:
    """The server in a subprocess; a thread reads its messages into a queue, stamped on arrival."""

    def __init__(self, root: Path):
        paths = [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]  # this checkout's code
        self.process = subprocess.Popen([sys.executable, "-m", "tfshapelint", "lsp", "--stdio"], cwd=root,
                                        env={**os.environ, "PYTHONPATH": os.pathsep.join(paths)},
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.messages: queue.Queue = queue.Queue()
        self.ids = iter(range(1, 1 << 30))
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            headers = {}
            while (line := stream.readline().decode()).strip():
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            if not headers:
                return
            self.messages.put((time.perf_counter(), json.loads(stream.read(int(headers["content-length"])))))

    def send(self, method: str, params: dict, request: bool = False) -> int | None:
        message = {"jsonrpc": "2.0", "method": method, "params": params}
        number = next(self.ids) if request else None
        if request:
            message["id"] = number
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()
        return number

    def wait_for(self, match, timeout: float = 120.0) -> tuple[float, dict]:
        deadline = time.monotonic() + timeout
        while True:
            arrived, message = self.messages.get(timeout=max(0.0, deadline - time.monotonic()))
            if match(message):
                return arrived, message

    def diagnostics_of(self, uri: str, version: int) -> float:
        arrived, _ = self.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                                   and m["params"]["uri"] == uri and m["params"].get("version") == version)
        return arrived

    def stop(self) -> None:
        number = self.send("shutdown", {}, request=True)
        self.wait_for(lambda m: m.get("id") == number)
        self.send("exit", {})
        self.process.wait(timeout=30)


def open_document(server: Server, path: Path, text: str) -> tuple[str, float]:
    path.write_text(text)
    uri = path.as_uri()
    sent = time.perf_counter()
    server.send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1,
                                                          "text": text}})
    return uri, sent


def summary(name: str, seconds: list) -> str:
    values = sorted(s * 1000 for s in seconds)
    return f"{name:<48} median {statistics.median(values):7.1f} ms   worst {values[-1]:7.1f} ms   (n={len(values)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--large", type=int, default=1000, help="copies of the large file's block")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from tfshapelint.lsp import DEBOUNCE_SECONDS

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        server = Server(root)
        number = server.send("initialize", {"processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": {}},
                             request=True)
        server.wait_for(lambda m: m.get("id") == number)
        server.send("initialized", {})
        # Warm up: the first analysis imports the op families.
        uri, _ = open_document(server, root / "warm.py", EXAMPLE)
        server.diagnostics_of(uri, 1)

        opened, changed, hovered = [], [], []
        hover_line = next(i for i, line in enumerate(EXAMPLE.splitlines()) if "dense1 = tf.reshape(conv2" in line)
        hover_column = EXAMPLE.splitlines()[hover_line].index("conv2") + 1
        for round_ in range(args.repeat):
            uri, sent = open_document(server, root / f"seed_{round_}.py", EXAMPLE)
            opened.append(server.diagnostics_of(uri, 1) - sent)
            sent = time.perf_counter()
            server.send("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                                   "contentChanges": [{"text": EXAMPLE + "\n# edited\n"}]})
            changed.append(server.diagnostics_of(uri, 2) - sent)
            sent = time.perf_counter()
            number = server.send("textDocument/hover", {"textDocument": {"uri": uri}, "position": {
                "line": hover_line, "character": hover_column}}, request=True)
            arrived, reply = server.wait_for(lambda m: m.get("id") == number)
            assert reply.get("result"), reply
            hovered.append(arrived - sent)

        beside, first = [], 0
        large_text = large_program(args.large)
        for round_ in range(max(1, args.repeat // 5)):
            large, large_sent = open_document(server, root / f"large_{round_}.py", large_text)
            time.sleep(0.2)
            small, sent = open_document(server, root / f"small_{round_}.py", SMALL)
            small_arrived = server.diagnostics_of(small, 1)
            large_arrived = server.diagnostics_of(large, 1)
            beside.append(small_arrived - sent)
            first += small_arrived < large_arrived
        server.stop()

    print(summary("didOpen -> diagnostics (seed example)", opened))
    print(summary("didChange -> diagnostics", changed))
    print(summary(f"didChange -> diagnostics, less the {DEBOUNCE_SECONDS} s debounce",
                  [s - DEBOUNCE_SECONDS for s in changed]))
    print(summary("hover", hovered))
    print(summary(f"small file's diagnostics while a large one is analysed", beside))
    print(f"{'small file answered before the large one':<48} {first} of {len(beside)} "
          f"(the large file took {large_arrived - large_sent:.1f} s in the last round)")


if __name__ == "__main__":
    main()
