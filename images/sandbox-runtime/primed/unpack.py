# Receives a run's files on stdin and writes them into /sandbox; run as a
# program, it then replaces itself with the command in its arguments (bash
# runs this way). The python launcher imports it.
#
# The orchestrator sends one line with the length of a tar stream in bytes,
# the tar stream, then the caller's input. Exactly that many bytes are read
# from fd 0, so the caller's input stays unread for the code. The stream is
# unpacked here, by this reader and no shell or tar(1): only regular files and
# directories, names that are relative paths of plain segments (no '..', '.',
# empty segment, control character or backslash) taken literally, and nothing
# is ever written through a link or into anything but a regular file.
#
# Before that, whatever an earlier run in this container left running is
# ended (a session's container outlives its runs), and one byte (0x06) on
# stderr says the launcher is up and reading: the warm pool counts a container
# as ready once it has it, and it never reaches the run's output.
import os
import signal
import stat
import sys
import time

ROOT = "/sandbox"
MAX_HEADER = 20
BLOCK = 512
# The same refusal status for every delivery failure, so it reads apart from the code's own.
EXIT_REFUSED = 126
READY = b"\x06"


class Refused(Exception):
    pass


def end_leftovers():
    # kill(-1) reaches every process this user may signal but this one and
    # the container's init, which reaps them; ESRCH means none is left.
    give_up = time.monotonic() + 2
    while time.monotonic() < give_up:
        try:
            os.kill(-1, 9)
        except ProcessLookupError:
            return
        time.sleep(0.001)


def read_exactly(count):
    chunks = []
    while count > 0:
        chunk = os.read(0, min(count, 1 << 16))
        if not chunk:
            raise Refused("the input ended before the files did")
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def read_length():
    line = b""
    while True:
        byte = os.read(0, 1)
        if not byte:
            raise Refused("the input ended before the files")
        if byte == b"\n":
            break
        line += byte
        if len(line) > MAX_HEADER or not byte.isdigit():
            raise Refused("the files' header is not a length")
    if not line:
        raise Refused("the files' header is empty")
    return int(line)


def field(header, start, length):
    raw = header[start:start + length]
    end = raw.find(b"\0")
    return raw if end < 0 else raw[:end]


def pax_path(data):
    path = None
    pos = 0
    while pos < len(data):
        space = data.index(b" ", pos)
        length = int(data[pos:space])
        key, _, value = data[space + 1:pos + length].rstrip(b"\n").partition(b"=")
        if key == b"path":
            path = value
        pos += length
    return path


def entries(data):
    """(name, kind, content) for each entry: kind '0' for a file, '5' for a directory."""
    pos = 0
    long_name = None
    while pos + BLOCK <= len(data):
        header = data[pos:pos + BLOCK]
        if header == bytes(BLOCK):
            return
        if not header[257:262] == b"ustar":
            raise Refused("the files are not a tar stream")
        size_field = field(header, 124, 12).strip()
        size = int(size_field, 8) if size_field else 0
        kind = chr(header[156]) if header[156] else "0"
        name = field(header, 0, 100)
        prefix = field(header, 345, 155)
        if prefix:
            name = prefix + b"/" + name
        content = data[pos + BLOCK:pos + BLOCK + size]
        pos += BLOCK + (size + BLOCK - 1) // BLOCK * BLOCK
        if kind == "x":
            long_name = pax_path(content)
            continue
        if long_name is not None:
            name, long_name = long_name, None
        yield name.decode("utf-8"), kind, content


def checked(name, kind):
    if kind == "5":
        name = name.rstrip("/")
    if not name or name.startswith("/") or "\\" in name:
        raise Refused("'%s' is not a relative path" % name)
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise Refused("'%s' has an empty, '.' or '..' segment" % name)
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        raise Refused("a file name has a control character")
    return parts


def open_dir(parts):
    """The directory /sandbox/<parts>, made where missing, never reached through a link."""
    fd = os.open(ROOT, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in parts:
            try:
                os.mkdir(part, 0o755, dir_fd=fd)
            except FileExistsError:
                pass
            inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = inner
        return fd
    except OSError:
        os.close(fd)
        raise


def write_file(parts, content):
    parent = open_dir(parts[:-1])
    try:
        # No link followed; non-blocking so a FIFO left in the way refuses instead of waiting for a reader.
        fd = os.open(parts[-1], os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644, dir_fd=parent)
    finally:
        os.close(parent)
    with os.fdopen(fd, "wb") as out:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Refused("'%s' exists and is not a regular file" % "/".join(parts))
        out.truncate(0)
        out.write(content)


def receive():
    """Ends leftovers, then reads the files from stdin and writes them; exits with a message on refusal."""
    end_leftovers()
    # The first byte on stderr tells the orchestrator this launcher is up and reading; it is not the code's output.
    os.write(2, READY)
    try:
        data = read_exactly(read_length())
        for name, kind, content in entries(data):
            parts = checked(name, kind)
            if kind == "5":
                os.close(open_dir(parts))
            elif kind == "0":
                write_file(parts, content)
            else:
                raise Refused("'%s' is neither a file nor a directory" % name)
    except (Refused, OSError, ValueError, UnicodeDecodeError) as error:
        os.write(2, ("arcx: the files were not written: %s\n" % error).encode("utf-8", "replace"))
        os._exit(EXIT_REFUSED)


if __name__ == "__main__":
    receive()
    # Python ignores these two; an ignored signal stays ignored across exec, and `yes | head` must end as in bash.
    for name in ("SIGPIPE", "SIGXFSZ"):
        signal.signal(getattr(signal, name), signal.SIG_DFL)
    os.execvp(sys.argv[1], sys.argv[1:])
