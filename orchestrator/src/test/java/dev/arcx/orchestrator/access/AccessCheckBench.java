package dev.arcx.orchestrator.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.common.access.AccessAnswer;
import dev.arcx.common.access.AccessClient;
import dev.arcx.common.access.WorkspaceRole;
import dev.arcx.common.events.Subjects;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The access check as another service asks it, over NATS on loopback (its own connection, the orchestrator's
 * responder and PostgreSQL on this machine): every check a question (uncached), and kept answers (cached), next to
 * the responder's own SQL query sent directly as the baseline. Goal: uncached p50 ≤ 2 ms. Prints the figures;
 * asserts only that every answer was right. Run with {@code ./arcx bench access}.
 */
@Tag("bench")
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
class AccessCheckBench {
    private static final String NATS = System.getenv().getOrDefault("ARCX_NATS_URL", "nats://127.0.0.1:4222");
    private static final int CHECKS = Integer.getInteger("bench.checks", 2_000);
    private static final int WARM_UP = 300;
    private static final double GOAL_UNCACHED_P50_MS = 2.0;

    @Inject
    Pool pool;

    @Inject
    Subjects subjects;

    @Test
    void natsCheckUncachedAndCachedNextToTheSqlQuery() throws Exception {
        TestUser member = Api.newUser("pro");
        TestUser owner = Api.newUser("pro");
        String team = Api.createTeam(owner, "Bench " + owner.login());
        Api.joinTeam(team, owner, member);
        UUID workspace = UUID.fromString(Api.createWorkspace(owner, "access-bench", "starter", List.of(), team));
        AccessAnswer expected = AccessAnswer.allowed(WorkspaceRole.TEAM_MEMBER);
        AccessClient.Settings keepNothing = new AccessClient.Settings(Duration.ofSeconds(1), Duration.ZERO,
                Duration.ZERO, 1);
        try (Connection own = Nats.connect(NATS);
                AccessClient uncached = AccessClient.start(own, subjects, keepNothing);
                AccessClient cached = AccessClient.start(own, subjects, AccessClient.Settings.defaults())) {
            own.flush(Duration.ofSeconds(5));
            List<Long> sql = measure(() -> pool.preparedQuery(AccessRepository.MAY_USE)
                    .execute(Tuple.of(member.id(), workspace)).await().indefinitely().iterator().next()
                    .getString("role"), "member");
            List<Long> natsUncached = measure(() -> uncached.check(member.id(), workspace).get(5, TimeUnit.SECONDS),
                    expected);
            List<Long> natsCached = measure(() -> cached.check(member.id(), workspace).get(5, TimeUnit.SECONDS),
                    expected);
            assertEquals(WARM_UP + CHECKS, uncached.questionsAsked(), "uncached: every check a question");
            assertTrue(cached.questionsAsked() <= 2, "cached: the first check asked, the rest were kept answers");

            double baseline = pct(sql, 50);
            System.out.println();
            System.out.printf("Access check, %d sequential checks after %d to warm up, milliseconds (loopback NATS "
                    + "and PostgreSQL, one JVM asking and answering)%n", CHECKS, WARM_UP);
            System.out.printf("%-28s %9s %9s %9s %14s%n", "path", "p50", "p95", "p99", "p50 / SQL p50");
            row("SQL query (baseline)", sql, baseline);
            row("NATS check, uncached", natsUncached, baseline);
            row("NATS check, cached", natsCached, baseline);
            System.out.printf("goal: NATS check uncached p50 <= %.1f ms: %.3f ms (%s)%n", GOAL_UNCACHED_P50_MS,
                    pct(natsUncached, 50), pct(natsUncached, 50) <= GOAL_UNCACHED_P50_MS ? "met" : "missed");
            // The machine may be shared: its load says how far the tails are the check's own.
            Path loadavg = Path.of("/proc/loadavg");
            if (Files.isReadable(loadavg)) {
                System.out.printf("load average (1, 5, 15 min) at the end: %s%n",
                        String.join(" ", Arrays.asList(Files.readString(loadavg).split(" ")).subList(0, 3)));
            }
            System.out.println();
        } finally {
            Api.deleteAllWorkspaces(owner);
        }
    }

    /** Nanoseconds per call, after the warm-up; each call's result must be {@code expected}. */
    private static List<Long> measure(Callable<Object> call, Object expected) throws Exception {
        for (int i = 0; i < WARM_UP; i++) {
            assertEquals(expected, call.call());
        }
        List<Long> samples = new ArrayList<>(CHECKS);
        for (int i = 0; i < CHECKS; i++) {
            long start = System.nanoTime();
            Object result = call.call();
            samples.add(System.nanoTime() - start);
            assertEquals(expected, result);
        }
        return samples;
    }

    private static void row(String path, List<Long> samples, double baselineP50) {
        System.out.printf("%-28s %9.3f %9.3f %9.3f %14.2f%n", path, pct(samples, 50), pct(samples, 95),
                pct(samples, 99), pct(samples, 50) / baselineP50);
    }

    /** The percentile in milliseconds. */
    private static double pct(List<Long> samples, int percentile) {
        List<Long> sorted = samples.stream().sorted().toList();
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1_000_000.0;
    }
}
