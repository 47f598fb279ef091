"""A fork server for the conformance kit's many ``dossier`` commands: ``python -m dossier`` without the
half second or so a new interpreter takes to start and import dossier, pydantic and WeasyPrint.

The kit scripts (shared/conformance/check_case.py, check_bad_inputs.py) run the command they are given
(``--dossier "..."``) once per check, a few hundred times in a session. Given :func:`command`'s, each
check runs this file as a small client (no site-packages, standard library only); the client sends its
arguments, current folder, environment and its standard input, output and error (the file descriptors
themselves) to the server, a process that has imported the CLI once; the server forks, and the child runs
``dossier.cli.main`` on the client's descriptors, in its folder, with its environment, then tells the client
its exit code, which the client exits with. So every command is still a process of its own, writing to
the kit's pipes as ``python -m dossier`` does (a terminal stays a terminal); an exception the CLI lets
through is printed with its traceback, exit 1, as the interpreter does.

    python tests/forkserver.py --serve SOCKET           the server (prints "ready" once it listens)
    python -S tests/forkserver.py --connect SOCKET ARGS  one command, as ``python -m dossier ARGS``
"""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import struct
import sys

HEADER = struct.Struct("!I")
CODE = struct.Struct("!i")


def _stream(fd: int, errors: str, line_buffering: bool) -> io.TextIOWrapper:
    encoding, _, chosen = (os.environ.get("PYTHONIOENCODING") or "utf-8").partition(":")
    mode = "r" if fd == 0 else "w"
    return io.TextIOWrapper(io.FileIO(fd, mode, closefd=False), encoding=encoding or "utf-8",
                            errors=chosen or errors, line_buffering=line_buffering)


def _run_child(conn: socket.socket) -> None:
    """In the forked child: run one command on the client's descriptors; never returns."""
    code = 1
    try:
        header, fds, _, _ = socket.recv_fds(conn, HEADER.size, 3)
        size = HEADER.unpack(header)[0]
        payload = b""
        while len(payload) < size:
            chunk = conn.recv(size - len(payload))
            if not chunk:
                raise ConnectionError("the client went away")
            payload += chunk
        request = json.loads(payload)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        import tempfile

        tempfile.tempdir = None  # TMPDIR as the client has it
        sys.stdin = _stream(0, "strict", False)
        sys.stdout = _stream(1, "strict", os.isatty(1))
        sys.stderr = _stream(2, "backslashreplace", True)
        sys.argv = ["python -m dossier", *request["args"]]
        from dossier.cli import main

        try:
            main(args=request["args"], prog_name="python -m dossier")
            code = 0
        except SystemExit as exc:
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:
                print(exc.code, file=sys.stderr)
                code = 1
        except BaseException:  # noqa: BLE001 - what the interpreter would print
            import traceback

            traceback.print_exc()
            code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
            conn.sendall(CODE.pack(code))
        except (OSError, ValueError):
            pass
        os._exit(code)


def _reap(_signum, _frame) -> None:
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def serve(path: str) -> None:
    import dossier.cli  # noqa: F401 - what every command imports, then what they import on first use
    import dossier.pipeline.build  # noqa: F401
    import dossier.pipeline.listing  # noqa: F401
    import dossier.pipeline.outputs  # noqa: F401
    import dossier.pipeline.session  # noqa: F401
    import dossier.pipeline.submissions  # noqa: F401
    import dossier.pipeline.verify  # noqa: F401

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    # the children are reaped as they end (waited for, not ignored: so their CPU time counts in the server's,
    # and in the test session's)
    signal.signal(signal.SIGCHLD, _reap)
    print("ready", flush=True)
    while True:
        conn, _ = listener.accept()
        if os.fork() == 0:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # a build waits for its own renderers
            listener.close()
            _run_child(conn)
        conn.close()


def connect(path: str, args: list[str]) -> int:
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.connect(path)
    payload = json.dumps({"args": args, "cwd": os.getcwd(), "env": dict(os.environ)}).encode("utf-8")
    socket.send_fds(client, [HEADER.pack(len(payload))], [0, 1, 2])
    client.sendall(payload)
    answer = b""
    while len(answer) < CODE.size:
        chunk = client.recv(CODE.size - len(answer))
        if not chunk:
            print("dossier fork server: the command ended without an exit code", file=sys.stderr)
            return 1
        answer += chunk
    return CODE.unpack(answer)[0]


if __name__ == "__main__":
    if sys.argv[1] == "--serve":
        serve(sys.argv[2])
    elif sys.argv[1] == "--connect":
        sys.exit(connect(sys.argv[2], sys.argv[3:]))
    else:
        sys.exit(f"usage: {sys.argv[0]} --serve SOCKET | --connect SOCKET ARGS")
