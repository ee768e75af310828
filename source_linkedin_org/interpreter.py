"""A CPython bug the connector meets: before 3.11.8 (and 3.12.2), two threads building ASTs at once can fail with
``SystemError: AST constructor recursion depth mismatch`` (CPython gh-106905: a garbage collection that runs
Python code in the middle of one construction lets another thread's run, and both count depth in one shared
place). airbyte-cdk's interpolation calls ``ast.literal_eval`` from its worker threads, so a read failed about
once in four on Python 3.11.7. On such an interpreter the console script builds one AST at a time."""

import ast
import sys
import threading

AFFECTED = sys.version_info[:3] < (3, 11, 8) or (3, 12) <= sys.version_info[:3] < (3, 12, 2)


def serialize_ast_construction() -> bool:
    """Make ``ast.parse`` (which ``ast.literal_eval`` calls) take one lock; True if this interpreter needs it."""
    if not AFFECTED or getattr(ast.parse, "serialized", False):
        return AFFECTED
    lock, parse = threading.Lock(), ast.parse

    def serialized_parse(*args: object, **kwargs: object) -> ast.AST:
        with lock:
            return parse(*args, **kwargs)  # type: ignore[arg-type]

    serialized_parse.serialized = True  # type: ignore[attr-defined]
    ast.parse = serialized_parse  # type: ignore[assignment]
    return True
