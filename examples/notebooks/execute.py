"""Executes Jupyter notebooks headless with nbclient; called by run.sh (Debian's /usr/bin/python3).

    execute.py KERNEL_NAME BUILD_DIR NOTEBOOK.ipynb...

Each notebook runs in a fresh kernel whose working directory is the notebook's own directory (as in
Jupyter). The executed copy goes to BUILD_DIR/NAME.ipynb and the kernel's own log to
BUILD_DIR/NAME.kernel.log, also when a cell fails. Prints one line per notebook with its run time; exits 1
if any cell of any notebook raised an error (or a kernel did not start, or a cell ran past its timeout), or
if a notebook is stored with outputs (committed notebooks stay output-free).
"""

import atexit
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

CELL_TIMEOUT_S = int(os.environ.get("FC4J_NOTEBOOK_CELL_TIMEOUT", "600"))
STARTUP_TIMEOUT_S = int(os.environ.get("FC4J_NOTEBOOK_STARTUP_TIMEOUT", "60"))
START_ATTEMPTS = 3


def execute(kernel_name, build_dir, path):
    nb = nbformat.read(path, as_version=4)
    name = os.path.splitext(os.path.basename(path))[0]
    # committed notebooks carry no outputs (they could hold shares or other secrets): only build/ copies do
    stored_outputs = sum(len(c.get("outputs", [])) for c in nb.cells if c.cell_type == "code")
    out_path = os.path.join(build_dir, name + ".ipynb")
    log_path = os.path.join(build_dir, name + ".kernel.log")
    t0 = time.monotonic()
    error = None
    with open(log_path, "w") as log:
        for attempt in range(1, START_ATTEMPTS + 1):
            client = NotebookClient(
                nb,
                kernel_name=kernel_name,
                timeout=CELL_TIMEOUT_S,
                startup_timeout=STARTUP_TIMEOUT_S,
                allow_errors=False,
                resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
            )
            try:
                # stdout/stderr go to the kernel process (jupyter_client's launcher), not to the cells
                client.execute(stdout=log, stderr=log)
                error = None
                break
            except CellExecutionError as e:
                error = "a cell raised an error:\n" + str(e)
                break
            except CellTimeoutError as e:
                error = "a cell ran past %d s: %s" % (CELL_TIMEOUT_S, e)
                break
            except DeadKernelError as e:
                error = "the kernel died: %s" % e
                break
            except RuntimeError as e:
                # "Kernel didn't respond in N seconds": nothing was executed, so start a fresh kernel
                error = "the kernel did not start (attempt %d of %d): %s" % (attempt, START_ATTEMPTS, e)
                print("notebook %s: %s" % (name, error), file=sys.stderr, flush=True)
            finally:
                # nbclient leaves its kernel clean-up registered when execute() raises; it has already run
                atexit.unregister(client._cleanup_kernel)
    elapsed = time.monotonic() - t0
    nbformat.write(nb, out_path)
    if error is None and stored_outputs:
        error = ("%s is stored with %d outputs; clear them before committing (Jupyter: Cell > All Output > "
                 "Clear, then save)" % (path, stored_outputs))
    if error is None:
        print("notebook %s: ok in %.1f s (executed copy %s)" % (name, elapsed, out_path), flush=True)
        return True
    print("notebook %s: FAILED after %.1f s: %s" % (name, elapsed, error), file=sys.stderr)
    print("notebook %s: executed copy %s, kernel log %s" % (name, out_path, log_path), file=sys.stderr,
          flush=True)
    return False


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    kernel_name, build_dir, notebooks = argv[1], argv[2], argv[3:]
    os.makedirs(build_dir, exist_ok=True)
    t0 = time.monotonic()
    failed = [nb for nb in notebooks if not execute(kernel_name, build_dir, nb)]
    print("notebooks: %d run, %d failed, %.1f s in all" % (len(notebooks), len(failed), time.monotonic() - t0),
          flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
