"""The connector immune to CPython gh-106905 (``SystemError: AST constructor recursion depth mismatch`` when
threads build ASTs at once, before Python 3.11.8 and 3.12.2): a stress test that catches the race where the
interpreter has it, and does not once the console script's guard is on."""

import subprocess
import sys

from source_linkedin_org.interpreter import AFFECTED

# Eight threads parse the kind of literal airbyte-cdk's interpolation evaluates, while cyclic garbage with a
# finalizer makes the collector run Python code in the middle of a construction. Each thread stops at its
# first SystemError; the number of threads that met one is printed.
STRESS = """
import ast, gc, sys, threading
class Finalized:
    def __del__(self):
        sum(range(50))
met = []
def parse_many():
    for i in range(6000):
        try:
            ast.literal_eval("{'a': [1, 2, {'b': (3, 4, [5, 6, {'c': 7, 'e': [8, 9, (10, 11)]}])}], 'd': 'x'}")
        except SystemError:
            met.append(1)
            return
        if i % 7 == 0:
            cycle = Finalized()
            cycle.me = cycle
gc.set_threshold(5, 1, 1)
sys.setswitchinterval(1e-6)
threads = [threading.Thread(target=parse_many) for _ in range(8)]
[t.start() for t in threads]
[t.join() for t in threads]
print(len(met))
"""


def threads_that_met_the_race(guarded: bool) -> int:
    guard = "from source_linkedin_org.interpreter import serialize_ast_construction\nserialize_ast_construction()\n"
    code = (guard if guarded else "") + STRESS
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stderr[-2000:]
    return int(run.stdout.split()[-1])


def test_threads_building_asts_at_once_never_fail_under_the_guard():
    assert threads_that_met_the_race(guarded=True) == 0
    if AFFECTED:  # the stress test does catch the race on this interpreter, so the line above means something
        assert threads_that_met_the_race(guarded=False) > 0, f"gh-106905 not met on {sys.version.split()[0]}"
