# The first process of every sandbox container. It reaps what the code leaves
# behind, and on SIGUSR1 from the orchestrator (the end of a session run, or
# its deadline) ends every other process in the container without stopping
# it, so a session's files, on a tmpfs that lives as long as the container
# runs, stay. As the namespace's init it cannot be killed from inside, and it
# acts only on signals from outside the container (sender pid 0): the code may
# signal it, to no effect. SIGTERM (docker stop) ends it, and the container.
# It runs as the code's user, so it makes itself non-dumpable: the code can
# then neither ptrace it nor read its memory.
import ctypes
import os
import signal
import time

PR_SET_DUMPABLE = 4
ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)

WANTED = {signal.SIGCHLD, signal.SIGUSR1, signal.SIGTERM, signal.SIGINT}
signal.pthread_sigmask(signal.SIG_BLOCK, WANTED)


def reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def end_all():
    # kill(-1) from init reaches every other process; killed ones stay until
    # reaped, so the loop ends with ESRCH once none is left.
    give_up = time.monotonic() + 5
    while time.monotonic() < give_up:
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            return
        signal.sigtimedwait({signal.SIGCHLD}, 0.01)
        reap()


while True:
    reap()
    info = signal.sigwaitinfo(WANTED)
    if info.si_signo == signal.SIGCHLD or info.si_pid != 0:
        continue
    if info.si_signo == signal.SIGUSR1:
        end_all()
    else:
        os._exit(0)
