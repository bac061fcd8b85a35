package dev.arcx.orchestrator.sandbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.testkit.TestSettings;
import dev.arcx.testkit.engine.SandboxImage;
import dev.arcx.testkit.engine.TestEngine;
import dev.arcx.testkit.process.ServiceProcess;
import io.restassured.RestAssured;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Round trip of {@code print(1)} in python through {@code POST /api/exec}, sequential and 10 at a time, next to
 * {@code docker run --rm --network none} of the same image in the same run. Goals: arcx p99 ≤ 100 ms at 10
 * concurrent, and arcx p50 ≤ 0.1× the baseline's sequential p50.
 * The orchestrator runs as the packaged jar in production mode, as deployed: a test JVM hosting both the server and
 * the harness measures the harness too. Prints the figures; asserts only that every run succeeded. Run with
 * {@code ./arcx bench sandbox}.
 */
@Tag("bench")
class SandboxBench {
    private static final int SEQUENTIAL = 40;
    private static final int CONCURRENT = 10;
    private static final int CONCURRENT_ROUNDS = 6;
    private static final int POOL_SIZE = CONCURRENT + 2;
    private static final Pattern READY = Pattern.compile("arcx_sandbox_pool_ready\\{language=\"python\"} ([0-9.]+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WARM_UP = 5;
    private static final Duration SETTLE = Duration.ofMillis(1500);

    private static final String INSTALLATION = TestSettings.installation() + "-bench";

    private ServiceProcess orchestrator;

    @Test
    void printOneRoundTrip() throws Exception {
        // A pool deep enough for 10 concurrent runs, and limits that do not refuse the benchmark's own load.
        orchestrator = ServiceProcess.orchestrator("sandbox-bench", List.of(
                "-Darcx.sandbox.pool-size=" + POOL_SIZE,
                "-Darcx.sandbox.limits.max-concurrent-runs=50",
                "-Darcx.sandbox.limits.runs-per-minute=100000"), Map.of(
                "ARCX_DB_NAME", TestSettings.database(),
                "ARCX_INSTALLATION", INSTALLATION,
                "ARCX_SANDBOX_IMAGE", SandboxImage.tag()));
        RestAssured.baseURI = "http://127.0.0.1";
        RestAssured.port = orchestrator.port();
        try {
            measure();
        } catch (Throwable failure) {
            orchestrator.printLogTail();
            throw failure;
        } finally {
            orchestrator.stopGracefully();
            RestAssured.reset();
            TestEngine.removeLabelled("arcx.installation", INSTALLATION);
        }
    }

    private void measure() throws Exception {
        TestUser user = Api.newUser("pro");
        URI api = URI.create(orchestrator.baseUri());
        awaitPool();
        // Per mode, then phase: where the time of arcx's runs went.
        Map<String, Map<String, List<Long>>> phases = new java.util.concurrent.ConcurrentHashMap<>();
        String[] mode = {"warm-up"};
        RawHttp http = new RawHttp(api.getHost(), api.getPort(), user.token());
        Callable<Long> viaArcx = () -> {
            String[] body = new String[1];
            long took = timed(() -> body[0] = http.postExec("{\"language\":\"python\",\"code\":\"print(1)\"}"));
            // Parsed off the clock: the harness's JSON handling is not arcx's latency.
            JsonNode result = JSON.readTree(body[0]);
            assertEquals("1\n", result.get("stdout").asText());
            for (String phase : List.of("poolTakeMs", "writeMs", "execMs", "collectMs")) {
                phases.computeIfAbsent(mode[0], k -> new java.util.concurrent.ConcurrentHashMap<>())
                        .computeIfAbsent(phase, k -> Collections.synchronizedList(new ArrayList<>()))
                        .add(result.get("timings").get(phase).asLong());
            }
            return took;
        };
        Callable<Long> viaDockerRun = () -> timed(() -> assertEquals("1\n", dockerRun()));

        // Warm both paths (JIT, page cache, connections) before measuring.
        for (int i = 0; i < WARM_UP; i++) {
            viaArcx.call();
            awaitPool();
            viaDockerRun.call();
        }

        mode[0] = "sequential";
        List<Long> arcxSeq = sequential(viaArcx);
        List<Long> dockerSeq = sequential(viaDockerRun);
        mode[0] = "10 concurrent";
        List<Long> arcxPar = concurrent(viaArcx);
        List<Long> dockerPar = concurrent(viaDockerRun);

        System.out.println();
        // The engine's version decides the archive API's cost (20.10: 80-90 ms per write, 23+: ~15 ms).
        var engine = TestEngine.docker().versionCmd().exec();
        System.out.printf("Sandbox round trip of print(1) in python, milliseconds (image %s, Docker engine %s, API %s)%n",
                SandboxImage.tag(), engine.getVersion(), engine.getApiVersion());
        System.out.printf("%-16s %5s %9s %9s %9s %11s %11s %11s %9s%n", "mode", "runs", "arcx p50", "arcx p95",
                "arcx p99", "docker p50", "docker p95", "docker p99", "p50 ratio");
        row("sequential", arcxSeq, dockerSeq);
        row("10 concurrent", arcxPar, dockerPar);
        System.out.printf("goal: arcx p99 at 10 concurrent <= 100 ms: %d ms%n", pct(arcxPar, 99));
        System.out.printf("goal: arcx p50 / docker run p50, sequential, <= 0.10: %.2f%n",
                (double) pct(arcxSeq, 50) / pct(dockerSeq, 50));
        for (String measured : List.of("sequential", "10 concurrent")) {
            Map<String, List<Long>> p = phases.get(measured);
            System.out.printf("where arcx's time goes (%s, p50 ms): pool take %d, write (files on stdin) %d, exec %d, "
                    + "collect %d%n", measured, pct(p.get("poolTakeMs"), 50), pct(p.get("writeMs"), 50),
                    pct(p.get("execMs"), 50), pct(p.get("collectMs"), 50));
        }
        System.out.println();
    }

    /**
     * Waits until the previous runs' containers are removed and the pool is full again, so every sample starts
     * from the same quiet state instead of competing with the clean-up of the sample before it.
     */
    private void awaitPool() {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> readyPythonContainers() == POOL_SIZE);
    }

    /** The pool's own gauge, read as Prometheus would. */
    private int readyPythonContainers() throws IOException, InterruptedException {
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(orchestrator.baseUri() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher ready = READY.matcher(metrics);
        return ready.find() ? (int) Double.parseDouble(ready.group(1)) : -1;
    }

    /**
     * One request at a time on an otherwise idle engine: after each sample the pool refills and the engine gets a
     * moment to finish tearing the last container down (unmounts, cgroup clean-up), for both arcx and docker run.
     */
    private List<Long> sequential(Callable<Long> call) throws Exception {
        List<Long> samples = new ArrayList<>();
        for (int i = 0; i < SEQUENTIAL; i++) {
            samples.add(call.call());
            awaitPool();
            Thread.sleep(SETTLE.toMillis());
        }
        return samples;
    }

    private List<Long> concurrent(Callable<Long> call) throws Exception {
        List<Long> samples = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(CONCURRENT)) {
            for (int round = 0; round < CONCURRENT_ROUNDS; round++) {
                awaitPool();
                List<Future<Long>> futures = new ArrayList<>();
                for (int i = 0; i < CONCURRENT; i++) {
                    futures.add(threads.submit(call));
                }
                for (Future<Long> f : futures) {
                    samples.add(f.get());
                }
            }
        }
        return samples;
    }

    /**
     * A minimal keep-alive HTTP/1.1 client: the whole request in one write, no Nagle. The JDK's client splits
     * headers and body into separate writes, and the delayed-ACK stalls that causes (tens of ms) are the client's
     * cost, not arcx's.
     */
    private static final class RawHttp {
        private final String host;
        private final int port;
        private final String token;
        private final ThreadLocal<Socket> sockets = new ThreadLocal<>();

        RawHttp(String host, int port, String token) {
            this.host = host;
            this.port = port;
            this.token = token;
        }

        String postExec(String json) throws IOException {
            Socket socket = sockets.get();
            if (socket == null) {
                socket = new Socket(host, port);
                socket.setTcpNoDelay(true);
                sockets.set(socket);
            }
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            String head = "POST /api/exec HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
            byte[] request = new byte[head.length() + body.length];
            System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, request, 0, head.length());
            System.arraycopy(body, 0, request, head.length(), body.length);
            socket.getOutputStream().write(request);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            String status = readLine(in);
            int length = -1;
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            assertEquals("HTTP/1.1 200 OK", status);
            byte[] response = new byte[length];
            in.readFully(response);
            return new String(response, StandardCharsets.UTF_8);
        }

        private static String readLine(DataInputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }
    }

    private static String dockerRun() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("docker", "run", "--rm", "--network", "none", SandboxImage.tag(),
                "python3", "-c", "print(1)").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    private interface Step {
        void run() throws Exception;
    }

    private static long timed(Step step) throws Exception {
        long start = System.nanoTime();
        step.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static void row(String mode, List<Long> arcx, List<Long> docker) {
        System.out.printf("%-16s %5d %9d %9d %9d %11d %11d %11d %9.2f%n", mode, arcx.size(), pct(arcx, 50),
                pct(arcx, 95), pct(arcx, 99), pct(docker, 50), pct(docker, 95), pct(docker, 99),
                (double) pct(arcx, 50) / pct(docker, 50));
    }

    private static long pct(List<Long> samples, int percentile) {
        List<Long> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }
}
