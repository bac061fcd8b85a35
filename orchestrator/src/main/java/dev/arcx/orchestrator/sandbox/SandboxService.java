package dev.arcx.orchestrator.sandbox;

import dev.arcx.orchestrator.config.OrchestratorConfig;
import dev.arcx.orchestrator.docker.DockerEngine;
import dev.arcx.common.http.ApiException;
import dev.arcx.common.support.Blocking;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs code in sandboxes: one-shot runs in a container used once and destroyed, and runs in a user's session
 * container whose files stay. The limits come from the user's plan; a request may only tighten the timeout.
 */
@ApplicationScoped
public class SandboxService {
    private static final int MAX_STDIN = 1 << 20;

    private final SandboxEngine engine;
    private final SandboxPool pool;
    private final RunLimiter limiter;
    private final SandboxSessionRepository sessions;
    private final Blocking blocking;
    private final OrchestratorConfig config;
    private final MeterRegistry metrics;
    /** Sessions with a run in flight: a run ends whatever else runs in its session, so they take turns. */
    private final Set<UUID> busySessions = ConcurrentHashMap.newKeySet();

    SandboxService(SandboxEngine engine, SandboxPool pool, RunLimiter limiter, SandboxSessionRepository sessions,
            Blocking blocking, OrchestratorConfig config, MeterRegistry metrics) {
        this.engine = engine;
        this.pool = pool;
        this.limiter = limiter;
        this.sessions = sessions;
        this.blocking = blocking;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * A run that passed validation and admission and holds its permit until {@link #execute} ends it. Splitting
     * the two lets a streaming caller refuse with a proper status before the stream starts.
     */
    public record Admitted(UUID userId, SandboxSession session, Prepared run, RunLimits limits,
            RunLimiter.Permit permit) {
    }

    /**
     * A run: one-shot when {@code sessionId} is null, else in that session of the user's. {@code listener}
     * (optional) sees output as it comes.
     */
    public Uni<ExecResult> run(UUID userId, String plan, UUID sessionId, ExecRequest request,
            SandboxEngine.OutputListener listener) {
        return admit(userId, plan, sessionId, request).flatMap(admitted -> execute(admitted, listener));
    }

    /**
     * Validates the request against the user's limits and takes a run permit (429 when none is left) and, for a
     * session, the session's turn (409 while another run is in it).
     */
    public Uni<Admitted> admit(UUID userId, String plan, UUID sessionId, ExecRequest request) {
        Uni<SandboxSession> session = sessionId == null ? Uni.createFrom().nullItem() : owned(userId, sessionId);
        return session.map(s -> {
            RunLimits limits = RunLimits.forPlan(config.sandbox(), plan);
            Prepared prepared = prepare(request, limits);
            RunLimiter.Permit permit = limiter.admit(userId, limits);
            if (s != null && !busySessions.add(s.id())) {
                permit.close();
                throw ApiException.conflict("a run is in progress in sandbox session " + s.id()
                        + "; runs in one session take turns");
            }
            return new Admitted(userId, s, prepared, limits, permit);
        });
    }

    /** Runs an admitted request and gives its permit (and its session's turn) back. */
    public Uni<ExecResult> execute(Admitted admitted, SandboxEngine.OutputListener listener) {
        Uni<ExecResult> result = blocking.call(() -> {
            try (RunLimiter.Permit permit = admitted.permit()) {
                return admitted.session() == null
                        ? runOnce(admitted.userId(), admitted.run(), admitted.limits(), listener)
                        : runInSession(admitted.session(), admitted.run(), admitted.limits(), listener);
            } finally {
                if (admitted.session() != null) {
                    busySessions.remove(admitted.session().id());
                }
            }
        });
        return admitted.session() == null ? result : result.call(r -> sessions.touch(admitted.session().id()));
    }

    public Uni<SandboxSession> openSession(UUID userId, String plan) {
        return Uni.createFrom().item(RunLimits.forPlan(config.sandbox(), plan)).flatMap(limits -> {
            UUID id = UUID.randomUUID();
            String name = "arcx-sbx-session-" + id;
            return sessions.insertWithin(id, userId, name, config.sandbox().maxSessionsPerUser())
                    .onItem().ifNull().failWith(() -> ApiException.conflict("you already have "
                            + config.sandbox().maxSessionsPerUser() + " sandbox sessions; end one first"))
                    .call(session -> blocking.run(() -> engine.create(name, limits, engine.labels("session", Map.of(
                            SandboxEngine.LABEL_SESSION, id.toString(), DockerEngine.LABEL_OWNER, userId.toString())),
                            true))
                            .onFailure().call(failure -> sessions.delete(id).replaceWithVoid()));
        });
    }

    public Uni<List<SandboxSession>> sessions(UUID userId) {
        return sessions.listOwned(userId);
    }

    public Uni<Void> endSession(UUID userId, UUID sessionId) {
        return owned(userId, sessionId).flatMap(session -> blocking.run(() -> engine.destroy(session.container()))
                .flatMap(done -> sessions.delete(sessionId)).replaceWithVoid());
    }

    private Uni<SandboxSession> owned(UUID userId, UUID sessionId) {
        return sessions.findOwned(userId, sessionId)
                .onItem().ifNull().failWith(() -> ApiException.notFound("no sandbox session " + sessionId));
    }

    /** A validated request: what to write and run, with the timeout in force. */
    record Prepared(Language language, byte[] tar, String stdin, Duration timeout) {
    }

    private Prepared prepare(ExecRequest request, RunLimits limits) {
        if (request == null) {
            throw ApiException.badRequest("a JSON body with 'language' and 'code' is required");
        }
        Language language = Language.byId(request.language()).orElseThrow(() -> ApiException.badRequest(
                "unknown language '" + request.language() + "'; languages: " + Language.ids()));
        if (request.code() == null) {
            throw ApiException.badRequest("'code' is required");
        }
        Duration timeout = limits.timeout();
        if (request.timeoutMs() != null) {
            if (request.timeoutMs() < 1 || request.timeoutMs() > limits.timeout().toMillis()) {
                throw ApiException.badRequest("timeoutMs must be between 1 and " + limits.timeout().toMillis()
                        + " (your plan's limit)");
            }
            timeout = Duration.ofMillis(request.timeoutMs());
        }
        if (request.stdin() != null && request.stdin().length() > MAX_STDIN) {
            throw ApiException.badRequest("stdin is limited to " + MAX_STDIN + " characters");
        }
        var files = SandboxFiles.collect(language, request.code(), request.files(), config.sandbox().maxInputBytes());
        return new Prepared(language, SandboxFiles.tar(files), request.stdin(), timeout);
    }

    private ExecResult runOnce(UUID userId, Prepared run, RunLimits limits, SandboxEngine.OutputListener listener) {
        long t0 = System.nanoTime();
        pool.runStarted();
        Optional<SandboxPool.Warm> warm = pool.take(run.language(), limits);
        String name = warm.map(SandboxPool.Warm::name).orElseGet(() -> "arcx-sbx-" + UUID.randomUUID());
        try {
            if (warm.isEmpty()) {
                engine.create(name, limits, engine.labels("run", Map.of(DockerEngine.LABEL_OWNER, userId.toString())),
                        false);
            }
            return execute(name, run, limits, listener, warm.map(SandboxPool.Warm::primed).orElse(null), false, t0);
        } finally {
            // Used once: nothing of this run can reach the next one. Removal and the pool's refill are off the
            // caller's clock, and wait for the runs in flight.
            pool.runEnded(name, run.language());
        }
    }

    private ExecResult runInSession(SandboxSession session, Prepared run, RunLimits limits,
            SandboxEngine.OutputListener listener) {
        long t0 = System.nanoTime();
        // A session container killed (or stopped by a restart of the engine) comes back here, with an empty
        // /sandbox: its tmpfs lived as long as the container ran.
        engine.ensureRunning(session.container());
        try {
            return execute(session.container(), run, limits, listener, null, true, t0);
        } finally {
            // What the run left running in the background ends with it.
            engine.endProcesses(session.container());
        }
    }

    /**
     * Runs the code with its files delivered on the launcher's stdin: in the primed launcher when there is one, else
     * in a new exec. The deadline starts here and covers the delivery. At the deadline a session's processes end,
     * a one-shot run's container is killed.
     */
    private ExecResult execute(String container, Prepared run, RunLimits limits, SandboxEngine.OutputListener listener,
            SandboxEngine.Primed primed, boolean session, long t0) {
        long t1 = System.nanoTime();
        SandboxEngine.Outcome outcome = primed != null
                ? engine.release(container, primed, run.tar(), run.stdin(), run.timeout(), limits.outputLimitBytes(),
                        listener, t1)
                : engine.run(container, run.language(), run.tar(), run.stdin(), run.timeout(),
                        limits.outputLimitBytes(), listener, session, t1);
        long t3 = System.nanoTime();
        // Exit 137 without a deadline means SIGKILL from inside: the cgroup counter says whether it was the OOM killer.
        boolean oom = !outcome.timedOut() && outcome.exitCode() == 137 && engine.oomKilled(container);
        long t4 = System.nanoTime();
        var timings = new ExecResult.Timings(primed != null, ms(t1 - t0), outcome.deliveredMs(),
                ms(t3 - t1) - outcome.deliveredMs(), ms(t4 - t3));
        record(run.language(), timings);
        return new ExecResult(outcome.stdout(), outcome.stderr(), outcome.exitCode(), outcome.durationMs(),
                outcome.timedOut(), oom, outcome.truncated(), timings);
    }

    private void record(Language language, ExecResult.Timings timings) {
        for (var phase : Map.of("pool_take", timings.poolTakeMs(), "write", timings.writeMs(), "exec",
                timings.execMs(), "collect", timings.collectMs()).entrySet()) {
            Timer.builder("arcx_sandbox_run_phase_seconds").tag("language", language.id()).tag("phase", phase.getKey())
                    .register(metrics).record(Duration.ofMillis(phase.getValue()));
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
