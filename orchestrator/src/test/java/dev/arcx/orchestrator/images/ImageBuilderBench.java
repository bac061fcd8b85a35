package dev.arcx.orchestrator.images;

import static dev.arcx.testkit.engine.TestEngine.docker;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arcx.common.events.EventCodec;
import dev.arcx.common.images.ImageEnsureReply;
import dev.arcx.common.images.ImageSelection;
import dev.arcx.common.images.ImageSubjects;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.testkit.TestSettings;
import dev.arcx.testkit.callers.TestTokens;
import dev.arcx.testkit.engine.TestEngine;
import dev.arcx.testkit.process.ServiceProcess;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The image-builder as deployed (packaged jar, real recipes): a cold build of base, js and code-server with the
 * engine's step cache off (seconds per layer and for the combination), the images' sizes next to the catalog's
 * estimates, and the cache-hit ensure latency over NATS and HTTP (goal ≤ 50 ms) next to its floor: a NATS
 * request/reply to an echo responder and the engine's image lookup, from the same JVM in the same run. Prints the
 * figures; asserts only that the build succeeded. Run with {@code ./arcx bench imagebuilder}; the cold build takes
 * many minutes. {@code -Dbench.cold=false} measures the cached path on images built by an earlier bench run.
 */
@Tag("bench")
class ImageBuilderBench {
    private static final int ENSURES = 200;
    private static final int WARM_UP = 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = TestSettings.repositoryRoot();
    /** An installation of its own: its ensure requests must reach this image-builder only. */
    private static final String INSTALLATION = TestSettings.installation() + "-bench";
    /** The catalog's size estimates: the base (always included) about 500 MB, each flavor its own. */
    private static final Map<String, Integer> ESTIMATED_MB = Map.of("arcx-base", 500, "arcx-js", 800);

    @Test
    void coldBuildAndCachedEnsure() throws Exception {
        boolean cold = Boolean.parseBoolean(System.getProperty("bench.cold", "true"));
        String version = cold ? "bench-" + UUID.randomUUID().toString().substring(0, 8) : "bench";
        Map<String, String> env = new HashMap<>(Map.of(
                "ARCX_INSTALLATION", INSTALLATION,
                "ARCX_IMAGES_RECIPES", ROOT.resolve("images/recipes").toString(),
                "ARCX_IMAGES_BOOTSTRAP_SCRIPT", ROOT.resolve("images/bootstrap-rootfs.sh").toString(),
                "ARCX_IMAGES_PULL_BASE", "false",
                "ARCX_IMAGES_VERSION", version,
                "ARCX_IMAGES_BUILD_NO_CACHE", String.valueOf(cold)));
        if (Files.isReadable(Path.of("/etc/ssl/certs/ca-certificates.crt"))) {
            env.put("ARCX_EXTRA_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt");
        }
        ServiceProcess builder = ServiceProcess.imageBuilder("image-builder-bench", env);
        HttpClient http = HttpClient.newHttpClient();
        String body = "{\"flavor\":\"js\",\"addons\":[\"code-server\"]}";
        HttpRequest ensure = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + builder.port()
                + "/api/images/builds")).header("Authorization", "Bearer " + TestTokens.ADMIN_TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try (Connection nats = Nats.connect(TestSettings.natsUrl())) {
            JsonNode first = JSON.readTree(http.send(ensure, HttpResponse.BodyHandlers.ofString()).body());
            if (first.hasNonNull("buildId")) {
                JsonNode build = awaitBuild(http, builder, first.get("buildId").asText());
                assertEquals("succeeded", build.get("status").asText(), build.path("error").asText());
                printBuild(build);
            } else {
                System.out.println("no cold build: " + first.get("image").asText() + " was present");
            }
            printSizes(version);
            printEnsureLatency(http, ensure, nats, ImageSelection.of("js", List.of("code-server")),
                    first.get("image").asText());
        } catch (Throwable failure) {
            builder.printLogTail();
            throw failure;
        } finally {
            builder.stopGracefully();
            if (cold) {
                TestEngine.removeImagesTagged(version);
            }
        }
    }

    private static JsonNode awaitBuild(HttpClient http, ServiceProcess builder, String id) throws Exception {
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + builder.port()
                + "/api/images/builds/" + id)).header("Authorization", "Bearer " + TestTokens.ADMIN_TOKEN).build();
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofMinutes(60)).pollInterval(Duration.ofSeconds(5)).until(() -> {
            last[0] = JSON.readTree(http.send(get, HttpResponse.BodyHandlers.ofString()).body());
            String status = last[0].get("status").asText();
            return status.equals("succeeded") || status.equals("failed");
        });
        return last[0];
    }

    private static void printBuild(JsonNode build) {
        System.out.println("Cold build of arcx-js-code (engine step cache off), seconds");
        System.out.printf("%-22s %-28s %9s%n", "layer", "image", "seconds");
        for (JsonNode layer : build.get("layers")) {
            System.out.printf("%-22s %-28s %9.1f%n", layer.get("layer").asText(), layer.get("image").asText(),
                    layer.get("seconds").asDouble());
        }
        System.out.printf("%-22s %-28s %9.1f%n", "whole combination", build.get("image").asText(),
                build.get("seconds").asDouble());
    }

    private static void printSizes(String version) {
        System.out.println("Image sizes (the engine's, uncompressed) next to the catalog's estimates");
        System.out.printf("%-28s %10s %10s %7s%n", "image", "arcx MB", "seed MB", "ratio");
        for (String repository : List.of("arcx-base", "arcx-js", "arcx-js-code")) {
            long bytes = docker().inspectImageCmd(repository + ":" + version).exec().getSize();
            long mb = bytes / 1_000_000;
            Integer seed = ESTIMATED_MB.get(repository);
            System.out.printf("%-28s %10d %10s %7s%n", repository + ":" + version, mb,
                    seed == null ? "-" : seed, seed == null ? "-" : String.format("%.2f", mb / (double) seed));
        }
    }

    private static void printEnsureLatency(HttpClient http, HttpRequest ensure, Connection nats,
            ImageSelection selection, String image) throws Exception {
        byte[] request = EventCodec.encode(selection);
        Dispatcher echo = nats.createDispatcher(m -> nats.publish(m.getReplyTo(), m.getData()));
        String echoSubject = "bench.echo." + UUID.randomUUID();
        echo.subscribe(echoSubject);
        List<Long> viaNats = new ArrayList<>();
        List<Long> viaHttp = new ArrayList<>();
        List<Long> natsFloor = new ArrayList<>();
        List<Long> engineLookup = new ArrayList<>();
        for (int i = 0; i < WARM_UP + ENSURES; i++) {
            long t0 = System.nanoTime();
            ImageEnsureReply reply = EventCodec.decode(nats.request(new ImageSubjects(INSTALLATION).ensure(), request,
                    Duration.ofSeconds(5)).getData(), ImageEnsureReply.class);
            long t1 = System.nanoTime();
            int status = http.send(ensure, HttpResponse.BodyHandlers.discarding()).statusCode();
            long t2 = System.nanoTime();
            nats.request(echoSubject, request, Duration.ofSeconds(5));
            long t3 = System.nanoTime();
            docker().inspectImageCmd(image).exec();
            long t4 = System.nanoTime();
            assertEquals(ImageEnsureReply.Status.READY, reply.status());
            assertEquals(200, status);
            if (i >= WARM_UP) {
                viaNats.add(t1 - t0);
                viaHttp.add(t2 - t1);
                natsFloor.add(t3 - t2);
                engineLookup.add(t4 - t3);
            }
        }
        nats.closeDispatcher(echo);
        System.out.printf("Cache-hit ensure of %s, %d sequential requests, milliseconds (goal p50 <= 50)%n", image,
                ENSURES);
        System.out.printf("%-34s %8s %8s %8s %14s%n", "path", "p50", "p95", "p99", "p50 / floor");
        double floor = pct(natsFloor, 50) + pct(engineLookup, 50);
        row("ensure over NATS", viaNats, floor);
        row("ensure over HTTP (POST)", viaHttp, floor);
        row("floor: NATS echo round trip", natsFloor, floor);
        row("floor: engine image lookup", engineLookup, floor);
        System.out.printf("floor = NATS echo p50 + engine lookup p50 = %.2f ms%n", floor);
    }

    private static void row(String path, List<Long> nanos, double floor) {
        System.out.printf("%-34s %8.2f %8.2f %8.2f %14.2f%n", path, pct(nanos, 50), pct(nanos, 95), pct(nanos, 99),
                pct(nanos, 50) / floor);
    }

    private static double pct(List<Long> nanos, int percentile) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int index = Math.max(0, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1);
        return sorted.get(index) / 1e6;
    }
}
