package dev.arcx.imagebuilder.build;

import dev.arcx.common.images.ImageSelection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One build of one combination, as it goes: status, step n of m, per-layer timings, and its log (the last lines,
 * replayed to whoever starts following late). Thread-safe: the build runs on one thread, readers are anywhere.
 */
public final class Build {
    public enum Status {
        QUEUED, RUNNING, SUCCEEDED, FAILED;

        public boolean finished() {
            return this == SUCCEEDED || this == FAILED;
        }
    }

    /** A layer of the chain as the build met it: reused ({@code cached}) or built, and how long that took. */
    public record LayerResult(String layer, String image, boolean cached, double seconds) {
    }

    /** What a log follower receives: a line, or the end of the build. */
    public interface Follower {
        void line(String line);

        void finished(Build build);
    }

    private final UUID id = UUID.randomUUID();
    private final String image;
    private final ImageSelection selection;
    private final Instant createdAt = Instant.now();
    private final int logLimit;
    private final ArrayDeque<String> log = new ArrayDeque<>();
    private final List<Follower> followers = new CopyOnWriteArrayList<>();
    private final List<LayerResult> layers = new ArrayList<>();
    private Status status = Status.QUEUED;
    private Instant startedAt;
    private Instant finishedAt;
    private int step;
    private int steps;
    private String stepName;
    private String error;

    Build(String image, ImageSelection selection, int logLimit) {
        this.image = image;
        this.selection = selection;
        this.logLimit = logLimit;
    }

    public UUID id() {
        return id;
    }

    public String image() {
        return image;
    }

    public synchronized Status status() {
        return status;
    }

    synchronized void started(int steps) {
        this.status = Status.RUNNING;
        this.startedAt = Instant.now();
        this.steps = steps;
    }

    synchronized void step(int step, String name) {
        this.step = step;
        this.stepName = name;
    }

    synchronized void layer(LayerResult result) {
        layers.add(result);
    }

    /** Appends a log line and passes it to the followers. */
    void log(String line) {
        synchronized (this) {
            if (log.size() == logLimit) {
                log.removeFirst();
            }
            log.addLast(line);
        }
        followers.forEach(f -> f.line(line));
    }

    void finish(Status outcome, String failure) {
        synchronized (this) {
            this.status = outcome;
            this.error = failure;
            this.finishedAt = Instant.now();
        }
        followers.forEach(f -> f.finished(this));
        followers.clear();
    }

    /** The last {@code n} log lines. */
    public synchronized List<String> tail(int n) {
        List<String> all = new ArrayList<>(log);
        return all.subList(Math.max(0, all.size() - n), all.size());
    }

    /**
     * Replays the kept lines to {@code follower}, then passes it every new one until the build ends; a finished
     * build is replayed and ended at once. Returns how to stop following.
     */
    public Runnable follow(Follower follower) {
        List<String> replay;
        boolean done;
        synchronized (this) {
            replay = new ArrayList<>(log);
            done = status.finished();
            if (!done) {
                followers.add(follower);
            }
        }
        // Lines logged between the copy and the registration arrive twice at worst, never go missing.
        replay.forEach(follower::line);
        if (done) {
            follower.finished(this);
        }
        return () -> followers.remove(follower);
    }

    /** The build as the API and events show it. */
    public synchronized BuildView view() {
        Instant end = finishedAt != null ? finishedAt : Instant.now();
        Double seconds = startedAt == null ? null : Duration.between(startedAt, end).toMillis() / 1000.0;
        return new BuildView(id, image, selection.flavor(), selection.addons(), status.name().toLowerCase(), step,
                steps, stepName, createdAt, startedAt, finishedAt, seconds, List.copyOf(layers), error);
    }

    /** JSON shape of a build. */
    public record BuildView(UUID id, String image, String flavor, List<String> addons, String status, int step,
            int steps, String stepName, Instant createdAt, Instant startedAt, Instant finishedAt, Double seconds,
            List<LayerResult> layers, String error) {
    }
}
