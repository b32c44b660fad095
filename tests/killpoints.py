"""Run an irdocs command many times, killing it (SIGKILL) at a chosen moment of its work each time.

Not a test: ``tests/test_crash_safety.py`` starts it as a program. A moment is counted, in order,
at each SQL statement sent to SQLite, each file opened, renamed, changed or removed under the
working folder and, if asked, each line run in irdocs' writing modules. The same command with the same
files passes the same moments, so "the 37th moment" is the same place in every run: the kill
points are chosen, not timed.

The program imports irdocs and its libraries once, then forks one child per kill point (so each
run starts at once); after the kill, a copy of what it left is given to the same command again,
run to its end (``again``), so a test can check both. Usage::

    python tests/killpoints.py SPEC.json

SPEC holds ``source`` (a folder copied afresh for each run), ``work`` (where the copies go),
``args`` (the irdocs command line), ``points`` (kill points; an empty list counts the moments
of one complete run) and ``lines`` (whether lines of irdocs' writing modules count as moments). It prints a JSON result: the count and landmarks of a complete run, or the
outcome of each run (killed, or the exit code).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import sys
from pathlib import Path

#: The modules whose lines are moments: where records, serials and documents are written.
WATCHED = tuple(f"/irdocs/{name}.py" for name in ("write", "append", "entry", "importer", "register", "certificates"))
FILE_EVENTS = ("open", "os.replace", "os.rename", "os.remove", "os.unlink", "os.chmod", "os.truncate", "shutil.move")


def preload() -> None:
    """What the commands import, imported before forking so each child starts at once."""
    import weasyprint  # noqa: F401


def warm_up(spec: dict, folder: Path) -> None:
    """Run the command once here, in a scratch copy, so that every child inherits warm caches
    (the fonts' character maps, fontconfig's list): each run then costs only its own work."""
    from click.testing import CliRunner

    from irdocs.cli import main

    shutil.copytree(spec["source"], folder, symlinks=True)
    here = os.getcwd()
    os.chdir(folder)
    try:
        CliRunner().invoke(main, spec["args"])
    finally:
        os.chdir(here)


def watch(kill_at: int | None, folder: str, landmarks: list[tuple[int, str]], lines_too: bool) -> list[int]:
    """Count moments from now on; SIGKILL this process at moment ``kill_at``."""
    count = [0]

    def moment(what: str | None = None) -> None:
        count[0] += 1
        if what is not None:
            landmarks.append((count[0], what))
        if count[0] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    def lines(frame, event, arg):
        if event == "line":
            moment()
        return lines

    def calls(frame, event, arg):
        return lines if frame.f_code.co_filename.endswith(WATCHED) else None

    connect = sqlite3.connect

    def traced_connect(*args, **kwargs):
        connection = connect(*args, **kwargs)
        connection.set_trace_callback(lambda sql: moment(f"sql {sql.split()[0].upper()}"))
        return connection

    sqlite3.connect = traced_connect  # every connection the register opens reports its statements

    def audit(event: str, args: tuple) -> None:
        if event in FILE_EVENTS and args and isinstance(args[0], (str, bytes, os.PathLike)):
            path = os.fsdecode(args[0])
            if path.startswith(folder) or not os.path.isabs(path):
                moment(f"{event} {os.path.relpath(path, folder)}")

    sys.addaudithook(audit)
    if lines_too:  # a tracer slows every Python call down: left out for commands that render a lot
        sys.settrace(calls)
    return count


def run_child(args: list[str], kill_at: int | None, folder: str, report: int, lines_too: bool, watched: bool = True) -> None:
    """In a forked child: run the command in ``folder``, report on the pipe; never returns."""
    from click.testing import CliRunner

    from irdocs.cli import main

    os.chdir(folder)
    landmarks: list[tuple[int, str]] = []
    count = watch(kill_at, os.path.realpath(folder), landmarks, lines_too) if watched else [0]
    result = CliRunner().invoke(main, args)
    sys.settrace(None)
    os.write(report, json.dumps({"count": count[0], "landmarks": landmarks, "exit": result.exit_code, "output": result.output}).encode())
    os._exit(result.exit_code)


def run(args: list[str], folder: Path, kill_at: int | None, lines_too: bool, watched: bool = True) -> dict:
    """Fork a child that runs the command in ``folder``: what it reported, and whether it was killed."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        run_child(args, kill_at, str(folder), write, lines_too, watched)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    return {**(json.loads(data) if data else {}), "folder": str(folder), "killed": killed}


def kill_and_rerun(spec: dict, point: int) -> dict:
    """One kill point: the command killed there, then (in a copy of what it left) run again to its end."""
    killed = Path(spec["work"]) / f"killed-at-{point}"
    shutil.copytree(spec["source"], killed, symlinks=True)
    outcome = run(spec["args"], killed, point, spec["lines"])
    again = killed.with_name(f"{killed.name}-again")
    shutil.copytree(killed, again, symlinks=True)
    rerun = run(spec["args"], again, None, False, watched=False)
    return {"folder": str(killed), "killed": outcome["killed"], "again": str(again), "again_exit": rerun.get("exit"), "again_output": rerun.get("output", "")}


def main() -> None:
    spec = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    preload()
    work = Path(spec["work"])
    warm_up(spec, work / f"warm-up-{os.getpid()}")
    if not spec["points"]:
        folder = work / "complete"
        shutil.copytree(spec["source"], folder, symlinks=True)
        print(json.dumps(run(spec["args"], folder, None, spec["lines"])))
        return
    # One worker process per kill point, as many at a time as there are processors.
    running: dict[int, int] = {}
    pending = list(spec["points"])
    while pending or running:
        while pending and len(running) < (os.cpu_count() or 1):
            point = pending.pop(0)
            pid = os.fork()
            if pid == 0:
                result = kill_and_rerun(spec, point)
                (work / f"outcome-{point}.json").write_text(json.dumps(result), encoding="utf-8")
                os._exit(0)
            running[pid] = point
        pid, _ = os.wait()
        running.pop(pid, None)
    print(json.dumps({point: json.loads((work / f"outcome-{point}.json").read_text(encoding="utf-8")) for point in spec["points"]}))


if __name__ == "__main__":
    main()
