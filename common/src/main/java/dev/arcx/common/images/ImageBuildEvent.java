package dev.arcx.common.images;

import java.time.Instant;

/**
 * What happened to a build, on {@code arcx.image.<repository>.<kind>}: {@code progress} at each step,
 * then exactly one of {@code built} or {@code failed} (with the log tail in {@code error}).
 */
public record ImageBuildEvent(int version, Kind kind, String image, String buildId, int step, int steps, String stepName,
        String error, Instant at) {
    public static final int CURRENT_VERSION = 1;

    public enum Kind {
        PROGRESS, BUILT, FAILED;

        /** The subject token ("built"). */
        public String token() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
