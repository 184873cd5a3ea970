"""PDF printing: one long-lived headless Chromium per run, driven over its DevTools protocol.

Debian's ``chromium`` is started once with ``--remote-debugging-pipe`` (no port is opened:
the protocol runs over file descriptors 3 and 4, messages separated by NUL bytes).  Each
document is a fresh tab: navigate to the local HTML file, wait for the load event, then
``Page.printToPDF`` with the page footer "第 N 页 共 M 页" and the CSS page size; the PDF comes
back as a stream read in chunks, so a long document never sits in one message.

    with Renderer() as renderer:
        renderer.print(html_path, pdf_path)

A run prints through a ``RendererPool``: one Chromium per core, documents printed side by side,
and many documents by one print each (``combined.py``: printing costs Chromium about the same for
one page as for fifty).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any

from .errors import OutputError

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--mute-audio",
    "--js-flags=--max-old-space-size=1024",
    # a tab opened over the protocol counts as a background tab: never throttle or deprioritise it
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    "--disable-renderer-backgrounding",
    "--disable-ipc-flooding-protection",
    "--disable-hang-monitor",
    "--disable-features=Translate,BackForwardCache,MediaRouter,OptimizationHints",
)
# The footer is drawn by Chromium itself in the page's bottom margin; pageNumber / totalPages
# are filled in per page.  Its font is the documents' Noto Serif CJK (fonts-noto-cjk).  A batch
# of documents printed together gets the same text and style per page (combined.py).
PAGE_NUMBER = "第 {page} 页　共 {pages} 页"
FOOTER_STYLE = (
    "width:100%;text-align:center;font-size:10.5pt;"
    "font-family:'ZC Serif','Noto Serif CJK SC','Noto Sans CJK SC',serif;color:#111;"
)
FOOTER = (
    f'<div style="{FOOTER_STYLE}">'
    + PAGE_NUMBER.format(page='<span class="pageNumber"></span>', pages='<span class="totalPages"></span>')
    + "</div>"
)
# one document alone: Chromium draws the footer in the bottom margin of each page
NUMBERED = {"displayHeaderFooter": True, "headerTemplate": "<span></span>", "footerTemplate": FOOTER}
STREAM_CHUNK = 1 << 20
TAB_REUSE = 50  # documents printed in one tab before it is replaced by a fresh one
MAX_RENDERERS = 4
PRINT_BATCH = 40  # documents printed together (one print of their content, one of their page numbers)


def _high_fd(fd: int) -> int:
    import fcntl

    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


def chromium_path() -> str:
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise OutputError("未找到 chromium：请安装 Debian 软件包 chromium（make system-deps），用于生成 PDF")


class Renderer:
    """One headless Chromium for many documents (thread-safe: one print at a time)."""

    def __init__(self, timeout: float = 300.0):
        self.timeout = timeout
        self._lock = threading.Lock()
        self._next_id = 0
        self._buffer = b""
        self._proc: subprocess.Popen | None = None
        self._profile: tempfile.TemporaryDirectory | None = None
        self._target: str | None = None
        self._session: str | None = None
        self.printed = 0

    # ------------------------------------------------------------------ process
    @property
    def running(self) -> bool:
        return self._proc is not None

    def start(self) -> Renderer:
        if self._proc is not None:
            return self
        self._profile = tempfile.TemporaryDirectory(prefix="zhicheng-chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        # the child's ends above fd 9, so that moving them to 3 and 4 clobbers nothing
        to_child_r, from_child_w = (_high_fd(fd) for fd in (to_child_r, from_child_w))
        # the child reads commands on fd 3 and writes answers on fd 4
        launcher = f'exec "$0" "$@" 3<&{to_child_r} 4>&{from_child_w} {to_child_r}<&- {from_child_w}>&-'
        cmd = [
            "bash",
            "-c",
            launcher,
            chromium_path(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={self._profile.name}",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        env = {**os.environ, "HOME": self._profile.name}
        try:
            self._proc = subprocess.Popen(
                cmd,
                pass_fds=(to_child_r, from_child_w),
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        finally:
            os.close(to_child_r)
            os.close(from_child_w)
        return self

    def close(self) -> None:
        self._target = self._session = None
        proc, self._proc = self._proc, None
        if proc is not None:
            try:
                self._send("Browser.close")
            except OutputError:
                pass
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            for fd in (self._to_child, self._from_child):
                try:
                    os.close(fd)
                except OSError:
                    pass
        if self._profile is not None:
            self._profile.cleanup()
            self._profile = None

    def __enter__(self) -> Renderer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ protocol
    def _write(self, message: dict) -> None:
        data = json.dumps(message).encode("utf-8") + b"\0"
        try:
            while data:
                written = os.write(self._to_child, data)
                data = data[written:]
        except OSError as exc:
            raise OutputError(f"chromium 已退出，无法生成 PDF：{exc}") from exc

    def _read_message(self) -> dict:
        import select

        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._from_child], [], [], self.timeout)
            if not ready:
                raise OutputError(f"chromium 在 {self.timeout:.0f} 秒内没有响应，PDF 生成失败")
            chunk = os.read(self._from_child, 1 << 16)
            if not chunk:
                raise OutputError("chromium 意外退出，PDF 生成失败（请检查内存和 chromium 软件包）")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def _send(
        self, method: str, params: dict | None = None, session: str | None = None, wait_event: str | None = None
    ) -> dict[str, Any]:
        """Send one command and return its result (after `wait_event` of the session, if given)."""
        self._next_id += 1
        ident = self._next_id
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._write(message)
        result, seen_event = None, wait_event is None
        while result is None or not seen_event:
            answer = self._read_message()
            if answer.get("id") == ident:
                if "error" in answer:
                    raise OutputError(f"chromium 拒绝了 {method}：{answer['error'].get('message')}")
                result = answer.get("result", {})
            elif wait_event and answer.get("method") == wait_event and answer.get("sessionId") == session:
                seen_event = True
        return result

    # ------------------------------------------------------------------ tabs
    def _tab(self) -> str:
        """The session of the tab documents are printed in (one tab, reused: no start-up per document)."""
        if self._session is None:
            self._target = self._send("Target.createTarget", {"url": "about:blank"})["targetId"]
            self._session = self._send("Target.attachToTarget", {"targetId": self._target, "flatten": True})[
                "sessionId"
            ]
            self._send("Page.enable", session=self._session)
        return self._session

    def _close_tab(self) -> None:
        target, self._target, self._session = self._target, None, None
        if target is not None and self._proc is not None:
            try:
                self._send("Target.closeTarget", {"targetId": target})
            except OutputError:
                pass

    # ------------------------------------------------------------------ printing
    def _print_to(self, html_path: Path, out: Path, params: dict[str, Any]) -> None:
        """Navigate the tab to a local HTML file and stream its PDF into ``out`` (the caller holds the lock)."""
        self.start()
        session = self._tab()
        try:
            self._send("Page.navigate", {"url": html_path.as_uri()}, session=session, wait_event="Page.loadEventFired")
            stream = self._send(
                "Page.printToPDF",
                {"printBackground": True, "preferCSSPageSize": True, "transferMode": "ReturnAsStream", **params},
                session=session,
            )["stream"]
            with open(out, "wb") as handle:
                while True:
                    chunk = self._send("IO.read", {"handle": stream, "size": STREAM_CHUNK}, session=session)
                    data = chunk.get("data", "")
                    handle.write(base64.b64decode(data) if chunk.get("base64Encoded") else data.encode("latin-1"))
                    if chunk.get("eof"):
                        break
            self._send("IO.close", {"handle": stream}, session=session)
        except BaseException:
            out.unlink(missing_ok=True)
            self._close_tab()  # a fresh tab for the next document
            raise
        self.printed += 1
        if self.printed % TAB_REUSE == 0:
            self._close_tab()  # bounded memory: a tab lives for a limited number of documents
        if out.stat().st_size == 0:
            out.unlink(missing_ok=True)
            raise OutputError(f"chromium 生成的 PDF 为空：{html_path}")

    def print(self, html_path: Path, pdf_path: Path) -> Path:
        """Print a local HTML file to an A4 PDF with page numbers; written atomically."""
        html_path, pdf_path = Path(html_path).resolve(), Path(pdf_path).resolve()
        pdf_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = pdf_path.with_name(pdf_path.name + ".part")
        with self._lock:
            self._print_to(html_path, tmp, NUMBERED)
        os.replace(tmp, pdf_path)
        return pdf_path

    def print_many(self, jobs: list[tuple[Path, Path]], done=None) -> None:
        """Print several documents by one print each of content and page numbers (see ``combined``).

        Falls back to one print per document when the combined print cannot be split back.
        """
        from . import combined

        jobs = [(Path(h).resolve(), Path(p).resolve()) for h, p in jobs]
        if len(jobs) > 1:
            with tempfile.TemporaryDirectory(prefix="zhicheng-print-", dir=jobs[0][0].parent) as tmp:
                try:
                    with self._lock:
                        combined.print_combined(
                            self._print_to, jobs, Path(tmp), done, footer_style=FOOTER_STYLE, page_number=PAGE_NUMBER
                        )
                    return
                except combined.Unsplittable:
                    pass  # each document alone, below
        for html_path, pdf_path in jobs:
            self.print(html_path, pdf_path)
            if done is not None:
                done(html_path, pdf_path)


class RendererPool:
    """Several long-lived renderers, one print each at a time: documents printed side by side.

    ``print`` takes a free renderer (thread-safe); ``print_all`` prints a list of documents
    with one thread per renderer.  Chromium does the work in its own processes, so on a
    machine with n cores n renderers print about n times as fast as one.
    """

    def __init__(self, size: int | None = None):
        import queue

        self.size = max(1, size or renderer_count())
        self._renderers = [Renderer() for _ in range(self.size)]
        # last in, first out: a document printed alone goes to the browser that printed last (already
        # running), not to one that would first have to start (about a second)
        self._free: queue.LifoQueue[Renderer] = queue.LifoQueue()
        for renderer in self._renderers:
            self._free.put(renderer)

    @property
    def printed(self) -> int:
        return sum(r.printed for r in self._renderers)

    @property
    def running(self) -> int:
        """How many of the pool's browsers have been started."""
        return sum(r.running for r in self._renderers)

    def print(self, html_path: Path, pdf_path: Path) -> Path:
        renderer = self._free.get()
        try:
            return renderer.print(html_path, pdf_path)
        finally:
            self._free.put(renderer)

    def print_all(self, jobs: list[tuple[Path, Path]], done=None) -> None:
        """Print every (html, pdf) pair, ``PRINT_BATCH`` documents per print, the renderers side by side.

        ``done(html, pdf)`` is called after each document, in the printing thread.
        """
        from concurrent.futures import ThreadPoolExecutor

        share = -(-len(jobs) // self.size) if jobs else 0  # every renderer gets a share
        size = max(1, min(PRINT_BATCH, share))
        batches = [jobs[i : i + size] for i in range(0, len(jobs), size)]

        def one(batch: list[tuple[Path, Path]]) -> None:
            renderer = self._free.get()
            try:
                renderer.print_many(batch, done)
            finally:
                self._free.put(renderer)

        if len(batches) <= 1:
            for batch in batches:
                one(batch)
            return
        with ThreadPoolExecutor(max_workers=min(self.size, len(batches)), thread_name_prefix="pdf") as pool:
            for future in [pool.submit(one, batch) for batch in batches]:
                future.result()  # the first failure is raised here

    def start_one(self) -> None:
        """Start the browser the next print takes (the last one put back), so that it starts while the
        documents are composed."""
        renderer = self._free.get()
        try:
            renderer.start()
        finally:
            self._free.put(renderer)

    def close(self) -> None:
        for renderer in self._renderers:
            renderer.close()

    def __enter__(self) -> RendererPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def renderer_count() -> int:
    """Renderers of a run: one per core, at most ``MAX_RENDERERS`` (each Chromium holds a few hundred MB)."""
    return max(1, min(os.cpu_count() or 1, MAX_RENDERERS))


def start_early(renderer: Renderer | RendererPool | None = None) -> None:
    """Start the browser that will print next (``renderer``, else the run's): a browser takes about a second to
    start, in its own processes, and a print waits for it only if it has not started by then."""
    printer = renderer or shared_renderer()
    if isinstance(printer, RendererPool):
        printer.start_one()
    else:
        printer.start()


def html_to_pdf(html_path: Path, pdf_path: Path, renderer: Renderer | RendererPool | None = None) -> Path:
    """Print one HTML file; with a renderer of the run, without starting a browser of its own."""
    if renderer is not None:
        return renderer.print(html_path, pdf_path)
    with Renderer() as own:
        return own.print(html_path, pdf_path)


_SHARED: RendererPool | None = None


def shared_renderer() -> RendererPool:
    """The process's renderers: each started at its first print, closed when the process ends (one pool per run)."""
    global _SHARED
    if _SHARED is None:
        import atexit

        _SHARED = RendererPool()
        atexit.register(_SHARED.close)
    return _SHARED
