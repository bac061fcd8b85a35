package dev.arcx.testkit.process;

import static org.awaitility.Awaitility.await;

import dev.arcx.testkit.callers.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged arcx service (its target/quarkus-app, named by a system property such as {@code test.orchestrator.jar};
 * not under {@code arcx.}, which the application's config mapping owns) run as a child process in production mode,
 * for what only a real process shows: being killed mid-flight, its true request latency, or a second service
 * beside the one under test.
 *
 * @param log the file the process's console goes to
 */
public record ServiceProcess(Process process, Path log, int port) {
    private static final Path LOGS = Path.of("target", "service-processes");

    /** The packaged orchestrator; see {@link #start}. */
    public static ServiceProcess orchestrator(String name, List<String> jvmArgs, Map<String, String> env)
            throws IOException {
        return start("test.orchestrator.jar", "ARCX_HTTP_PORT", name, jvmArgs, env);
    }

    /** The packaged image-builder (built before the orchestrator in the reactor); see {@link #start}. */
    public static ServiceProcess imageBuilder(String name, Map<String, String> env) throws IOException {
        return start("test.image-builder.jar", "ARCX_IMAGE_BUILDER_PORT", name, List.of(), env);
    }

    /**
     * Starts the jar named by {@code jarProperty} on a free port (passed in {@code portVariable}) with the tests'
     * tokens, and waits until it is ready.
     *
     * @param env added to (and winning over) the defaults
     */
    static ServiceProcess start(String jarProperty, String portVariable, String name, List<String> jvmArgs,
            Map<String, String> env) throws IOException {
        String jar = System.getProperty(jarProperty);
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("no packaged service at " + jar + " (" + jarProperty + "): run through "
                    + "./arcx test or ./arcx bench, which package it first");
        }
        int port = LocalProcesses.freePort();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow()));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar));
        Files.createDirectories(LOGS);
        Path log = LOGS.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> environment = new HashMap<>(Map.of(portVariable, String.valueOf(port),
                "ARC_ADMIN_TOKEN", TestTokens.ADMIN_TOKEN, "ARCX_SESSION_SECRET", TestTokens.SESSION_SECRET));
        environment.putAll(env);
        builder.environment().putAll(environment);
        ServiceProcess started = new ServiceProcess(builder.start(), log, port);

        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(started.baseUri() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .failFast(name + " exited", () -> !started.process.isAlive())
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        } catch (RuntimeException | Error notReady) {
            started.printLogTail();
            started.process.destroyForcibly();
            throw notReady;
        }
        return started;
    }

    public String baseUri() {
        return "http://127.0.0.1:" + port;
    }

    /** SIGTERM, as an operator's stop would send, and waits for the process to end. */
    public boolean stopGracefully() throws InterruptedException {
        process.destroy();
        return process.waitFor(60, TimeUnit.SECONDS);
    }

    public void printLogTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            System.err.printf("--- last lines of %s ---%n", log);
            lines.subList(Math.max(0, lines.size() - 80), lines.size()).forEach(System.err::println);
        } catch (IOException e) {
            System.err.printf("cannot read %s: %s%n", log, e.getMessage());
        }
    }
}
