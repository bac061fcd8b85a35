package dev.arcx.orchestrator.sandbox;

import dev.arcx.orchestrator.catalog.Quantities;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import java.math.BigDecimal;
import java.time.Duration;

/** The limits in force for one user's runs: the plan's overrides over the platform defaults. */
public record RunLimits(long memoryBytes, long pids, long nanoCpus, Duration timeout, int outputLimitBytes,
        int maxConcurrentRuns, int runsPerMinute) {

    public static RunLimits forPlan(OrchestratorConfig.Sandbox config, String plan) {
        OrchestratorConfig.Limits base = config.limits();
        OrchestratorConfig.PlanLimits p = config.plans().get(plan);
        if (p == null) {
            return of(base.memory(), base.pids(), base.cpus(), base.timeout(), base.outputLimitBytes(),
                    base.maxConcurrentRuns(), base.runsPerMinute());
        }
        return of(p.memory().orElse(base.memory()), p.pids().orElse(base.pids()), p.cpus().orElse(base.cpus()),
                p.timeout().orElse(base.timeout()), p.outputLimitBytes().orElse(base.outputLimitBytes()),
                p.maxConcurrentRuns().orElse(base.maxConcurrentRuns()), p.runsPerMinute().orElse(base.runsPerMinute()));
    }

    private static RunLimits of(String memory, long pids, String cpus, Duration timeout, int output, int concurrent,
            int perMinute) {
        return new RunLimits(Quantities.memoryBytes(memory), pids,
                Quantities.cpus(cpus).multiply(BigDecimal.valueOf(1_000_000_000L)).longValueExact(), timeout, output,
                concurrent, perMinute);
    }
}
