# A python interpreter started before the code exists: the pool starts it in a
# fresh container, then the orchestrator writes /sandbox/main.py through the
# archive API and sends one newline on stdin to release it. Interpreter start
# and the imports below are paid before the run, not during it.
#
# Only the release line is read, a byte at a time, straight from fd 0: the rest
# of stdin (the caller's input) stays unread for the code, whether it reads
# sys.stdin or the file descriptor.
import os
import sys
import types

SCRIPT = "/sandbox/main.py"


def await_release():
    while os.read(0, 1) not in (b"\n", b""):
        pass


def run():
    # What `python3 main.py` gives the code: argv, its directory first on the
    # import path (files sent along with it import), a fresh __main__ module.
    sys.argv[:] = ["main.py"]
    sys.path[0] = os.path.dirname(SCRIPT)
    main = types.ModuleType("__main__")
    main.__file__ = SCRIPT
    main.__cached__ = None
    main.__annotations__ = {}
    sys.modules["__main__"] = main
    try:
        with open(SCRIPT, "rb") as source:
            # Bytes, so a coding declaration in the file is honoured.
            code = compile(source.read(), SCRIPT, "exec")
        exec(code, main.__dict__)
    except SystemExit:
        raise
    except BaseException as error:
        # The report starts at the code's own frames, as it would without this
        # launcher in front of it; a syntax error has none and prints bare.
        trace = error.__traceback__
        while trace is not None and trace.tb_frame.f_code.co_filename != SCRIPT:
            trace = trace.tb_next
        sys.excepthook(type(error), error.with_traceback(trace), trace)
        raise SystemExit(1)


await_release()
run()
