"""A local static server that gzips responses the way GitHub Pages does, for Lighthouse."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import threading
from pathlib import Path

_COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".csv")


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in _COMPRESSIBLE):
            return super().send_head()
        if self.path.split("?")[0].endswith("/") is False and (Path(self.translate_path(self.path))).is_dir():
            return super().send_head()  # let the base class redirect to the trailing slash
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(body)


# One local server in a background thread, for the benchmarks and the tests alike.
@contextlib.contextmanager
def serve_in_thread(handler):
    """Serve with ``handler`` on a free localhost port; yield the origin ("http://127.0.0.1:PORT")."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextlib.contextmanager
def serve_gzipped(site: Path):
    """Serve ``site`` on a free localhost port; yield its base URL ending in "/"."""
    with serve_in_thread(functools.partial(_GzipHandler, directory=str(site))) as origin:
        yield origin + "/"
