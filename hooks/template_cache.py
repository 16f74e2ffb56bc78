"""MkDocs hook: compile each theme template once per process, not once per build.

mkdocs-static-i18n builds the site once per language, and each build makes a new Jinja
environment that compiles Material's templates and our overrides again (about 3 % of a
build). Jinja's bytecode cache keeps the compiled code keyed by the template's name and
checked against the SHA-1 of its source, so an edited template (`mkdocs serve` watches
overrides/) is compiled afresh: nothing outlives a change of the files' content.
"""

from __future__ import annotations

import jinja2

# Shared by every environment of this process; holds compiled code only.
_COMPILED: dict[str, bytes] = {}


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Jinja's bytecode cache in memory (a bucket whose source checksum differs is discarded
    by Jinja itself and compiled again)."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = _COMPILED.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        _COMPILED[bucket.key] = bucket.bytecode_to_string()


def on_env(env: jinja2.Environment, config, files, **kwargs) -> jinja2.Environment:
    env.bytecode_cache = _MemoryBytecodeCache()
    return env
