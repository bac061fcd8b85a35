package dev.arcx.common.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A count per key in fixed one-minute windows: at most {@code perMinute} admissions per key and wall-clock minute.
 * In memory, per service process (see the callers for why that is enough).
 */
public final class MinuteWindows {
    /** Past this many keys, windows that ended are dropped. */
    private static final int PRUNE_ABOVE = 10_000;

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final int perMinute;

    public MinuteWindows(int perMinute) {
        this.perMinute = perMinute;
    }

    public int perMinute() {
        return perMinute;
    }

    /** Counts one admission of {@code key}: 0 when it may go on, else the seconds until its window ends. */
    public long admit(String key, long nowMillis) {
        long minute = nowMillis / 60_000;
        if (windows.size() > PRUNE_ABOVE) {
            windows.values().removeIf(window -> window.minute != minute);
        }
        Window window = windows.compute(key, (k, current) ->
                current == null || current.minute != minute ? new Window(minute) : current);
        if (window.admitted.incrementAndGet() <= perMinute) {
            return 0;
        }
        return Math.max(1, 60 - (nowMillis / 1000) % 60);
    }

    /**
     * Whether {@code key}'s window is full, without counting: 0 when not, else the seconds until it ends. With
     * {@link #admit} as the counter, e.g. of failures only.
     */
    public long full(String key, long nowMillis) {
        Window window = windows.get(key);
        if (window == null || window.minute != nowMillis / 60_000 || window.admitted.get() < perMinute) {
            return 0;
        }
        return Math.max(1, 60 - (nowMillis / 1000) % 60);
    }

    private static final class Window {
        final long minute;
        final AtomicInteger admitted = new AtomicInteger();

        Window(long minute) {
            this.minute = minute;
        }
    }
}
