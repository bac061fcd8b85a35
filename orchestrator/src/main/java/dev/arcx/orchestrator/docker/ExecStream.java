package dev.arcx.orchestrator.docker;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A started exec with its streams attached over a connection of its own to the engine. Exists because docker-java's
 * transport never half-closes the hijacked connection, so a process reading its stdin to the end would wait for an
 * end that never comes; here {@link #closeStdin()} is a real end of input.
 *
 * <p>Output arrives on a virtual thread as the engine's multiplexed frames (8-byte header: stream, 3 zero bytes,
 * big-endian length) and goes to the {@link FrameListener}. Blocking: use from worker or virtual threads.
 */
public final class ExecStream implements Closeable {
    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.[01] (\\d{3})");
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^Content-Length:\\s*(\\d+)");
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    /** Receives each output frame; {@code stderr} tells which stream it belongs to. */
    public interface FrameListener {
        void frame(boolean stderr, byte[] payload);
    }

    private final SocketChannel channel;
    private final CountDownLatch ended = new CountDownLatch(1);

    private ExecStream(SocketChannel channel) {
        this.channel = channel;
    }

    /**
     * Starts exec {@code execId} (created with stdout/stderr and, if wanted, stdin attached) on the engine at
     * {@code dockerHost} ({@code unix://path} or plain {@code tcp://host:port}).
     */
    public static ExecStream start(String dockerHost, String apiVersion, String execId, FrameListener listener) {
        SocketChannel channel = connect(dockerHost);
        try {
            byte[] body = "{\"Detach\":false,\"Tty\":false}".getBytes(StandardCharsets.US_ASCII);
            String head = "POST /v" + apiVersion + "/exec/" + execId + "/start HTTP/1.1\r\n"
                    + "Host: docker\r\nContent-Type: application/json\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n";
            writeFully(channel, head.getBytes(StandardCharsets.US_ASCII));
            writeFully(channel, body);
            ByteBuffer rest = readResponseHead(channel, execId);
            ExecStream stream = new ExecStream(channel);
            Thread.ofVirtual().name("exec-stream-" + execId.substring(0, Math.min(12, execId.length())))
                    .start(() -> stream.pump(rest, listener));
            return stream;
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw e instanceof RuntimeException r ? r : new UncheckedIOException("exec start failed: " + e, (IOException) e);
        }
    }

    /** Sends bytes to the process's stdin. */
    public void write(byte[] bytes) throws IOException {
        writeFully(channel, bytes);
    }

    /** Ends the process's stdin: what it reads after the bytes written so far is end of file. */
    public void closeStdin() throws IOException {
        channel.shutdownOutput();
    }

    /** Waits until the process's output has ended (the process is done); false when {@code timeout} came first. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Whether the output has ended already: the process exited, or the connection to the engine broke (an engine
     * restart, or a close). Costs no engine call.
     */
    public boolean ended() {
        return ended.getCount() == 0;
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private void pump(ByteBuffer pending, FrameListener listener) {
        ByteBuffer header = ByteBuffer.allocate(8);
        try {
            while (true) {
                header.clear();
                if (!fill(pending, header)) {
                    return;
                }
                boolean stderr = header.get(0) == 2;
                byte[] payload = new byte[header.getInt(4)];
                if (!fill(pending, ByteBuffer.wrap(payload))) {
                    return;
                }
                listener.frame(stderr, payload);
            }
        } catch (IOException closed) {
            // Closed by a kill at the deadline or by close(): the output ends here either way.
        } finally {
            ended.countDown();
        }
    }

    /** Fills {@code target} from what was read with the response head first, then the channel; false on end. */
    private boolean fill(ByteBuffer pending, ByteBuffer target) throws IOException {
        while (target.hasRemaining()) {
            if (pending.hasRemaining()) {
                int n = Math.min(pending.remaining(), target.remaining());
                ByteBuffer slice = pending.slice().limit(n);
                target.put(slice);
                pending.position(pending.position() + n);
            } else if (channel.read(target) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Reads the HTTP response head; returns the bytes after it (the first of the stream), refuses other statuses. */
    private static ByteBuffer readResponseHead(SocketChannel channel, String execId) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_HEADER_BYTES);
        while (true) {
            if (channel.read(buffer) < 0) {
                throw new IOException("the engine closed the connection before answering exec start " + execId);
            }
            String seen = new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1);
            int end = seen.indexOf("\r\n\r\n");
            if (end >= 0) {
                String head = seen.substring(0, end);
                Matcher status = STATUS.matcher(head);
                int code = status.find() ? Integer.parseInt(status.group(1)) : -1;
                if (code != 101 && code != 200) {
                    throw new IllegalStateException("exec start " + execId + " refused: " + head.lines().findFirst()
                            .orElse("") + " " + errorBody(channel, head, seen.substring(end + 4)));
                }
                return ByteBuffer.wrap(buffer.array(), end + 4, buffer.position() - end - 4).slice();
            }
            if (!buffer.hasRemaining()) {
                throw new IOException("the engine's answer to exec start " + execId + " has no end of headers");
            }
        }
    }

    private static String errorBody(SocketChannel channel, String head, String start) throws IOException {
        Matcher length = CONTENT_LENGTH.matcher(head);
        int want = length.find() ? Math.min(Integer.parseInt(length.group(1)), 4096) : start.length();
        ByteBuffer body = ByteBuffer.allocate(Math.max(want, start.length()));
        body.put(start.getBytes(StandardCharsets.ISO_8859_1));
        while (body.position() < want && channel.read(body) >= 0) {
            // Reads the error message the engine sends, if any.
        }
        return new String(body.array(), 0, body.position(), StandardCharsets.UTF_8).strip();
    }

    private static SocketChannel connect(String dockerHost) {
        URI uri = URI.create(dockerHost);
        try {
            return switch (uri.getScheme()) {
                case "unix" -> {
                    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                    try {
                        channel.connect(UnixDomainSocketAddress.of(uri.getPath()));
                    } catch (IOException e) {
                        closeQuietly(channel);
                        throw e;
                    }
                    yield channel;
                }
                case "tcp" -> SocketChannel.open(new InetSocketAddress(uri.getHost(), uri.getPort()));
                default -> throw new IllegalArgumentException("unsupported engine address for exec streams: "
                        + dockerHost + " (unix:// or plain tcp://)");
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the engine at " + dockerHost, e);
        }
    }

    private static void writeFully(SocketChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing is all that is left to do with it.
        }
    }
}
