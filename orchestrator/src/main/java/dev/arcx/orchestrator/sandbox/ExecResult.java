package dev.arcx.orchestrator.sandbox;

/**
 * What a run produced. {@code truncated} says an output stream went past the limit and was cut.
 *
 * @param timings where the time went, so slow runs can be explained
 */
public record ExecResult(String stdout, String stderr, int exitCode, long durationMs, boolean timedOut,
        boolean oomKilled, boolean truncated, Timings timings) {

    /**
     * @param pooled whether the container came warm from the pool rather than being created for this run
     */
    public record Timings(boolean pooled, long poolTakeMs, long writeMs, long execMs, long collectMs) {
    }
}
