# The python launcher: the pool starts it in a fresh container before the code
# exists (interpreter start and the imports below are paid before the run);
# cold and session runs start it directly. The run's files, code first, arrive
# on stdin as a length-prefixed tar stream, which unpack.py reads and writes
# into /sandbox; the caller's input after it stays unread for the code, whether
# it reads sys.stdin or the file descriptor.
import os
import sys
import types

import unpack

SCRIPT = "/sandbox/main.py"


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


unpack.receive()
# The code's own module of that name, if it has one, must be what it imports.
del sys.modules["unpack"]
run()
