"""A small TCP fault proxy for the sync tests (127.0.0.1 only).

It sits between the kiosk and the real reference server and, per connection, decides what to do:

- "pass": forward both ways;
- "reset": close the client's connection at once, before anything reaches the server;
- "drop_response": forward the request, let the server answer (it has committed by then),
  then cut the client off without the answer: the outcome is unknown to the kiosk;
- "delay:SECONDS": wait, then forward both ways;
- "garbage": answer with a non-HTTP-JSON body (a captive portal's page) without asking the
  server;
- "429:SECONDS": answer 429 Too Many Requests with that Retry-After, without asking the server.

The client should use one connection per request (`Connection: close`) so that each request
gets its own decision. Runs an asyncio loop in a daemon thread; `close()` stops it.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable


class FaultProxy:
    def __init__(self, target_port: int, decide: Callable[[int], str]) -> None:
        self.target_port = target_port
        self.decide = decide  # connection number -> action
        self.counts: dict[str, int] = {}
        self._connections = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.port = 0
        self._server: asyncio.base_events.Server | None = None
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("fault proxy did not start")

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", 0)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._connections += 1
        action = self.decide(self._connections)
        self.counts[action.split(":")[0]] = self.counts.get(action.split(":")[0], 0) + 1
        try:
            if action == "reset":
                _abort(writer)
                return
            if action.startswith("429:"):
                await reader.read(65536)
                writer.write(
                    b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: "
                    + action.split(":", 1)[1].encode()
                    + b"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                )
                await writer.drain()
                writer.close()
                return
            if action == "garbage":
                await reader.read(65536)
                body = b"<html>Please log in to the Wi-Fi</html>"
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Content-Length: "
                    + str(len(body)).encode()
                    + b"\r\nConnection: close\r\n\r\n"
                    + body
                )
                await writer.drain()
                writer.close()
                return
            if action.startswith("delay:"):
                await asyncio.sleep(float(action.split(":", 1)[1]))
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
            upstream = asyncio.ensure_future(_pipe(reader, up_writer))
            if action == "drop_response":
                # Wait for the server's first bytes: it answers only after its commit.
                await up_reader.read(1)
                _abort(writer)
                up_writer.close()
                upstream.cancel()
                return
            await _pipe(up_reader, writer)
            upstream.cancel()
            up_writer.close()
        except (ConnectionError, OSError):
            _abort(writer)

    def close(self) -> None:
        async def stop() -> None:
            if self._server is not None:
                self._server.close()
            # Connections still being served (a delay, a kiosk that went away) end here.
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        with contextlib.suppress(RuntimeError):
            asyncio.run_coroutine_threadsafe(stop(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        return  # the other side went away: nothing left to forward (finally closes ours)
    finally:
        with contextlib.suppress(Exception):
            writer.close()


def _abort(writer: asyncio.StreamWriter) -> None:
    transport = writer.transport
    if transport is not None:
        transport.abort()  # RST where possible: the client sees a reset, not a clean close
