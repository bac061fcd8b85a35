package dev.arcx.orchestrator.support;

import dev.arcx.common.http.ApiException;

/** Whole numbers from query parameters, taken as text so a malformed one is this API's 400, not the framework's 404. */
public final class QueryNumbers {
    private QueryNumbers() {
    }

    /** {@code value} as a whole number within [min, max]; {@code absent} when it is missing or blank. */
    public static int wholeNumber(String name, String value, int absent, int min, int max) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // refused below like any other out-of-range value
        }
        throw ApiException.badRequest(name + " must be a whole number from " + min
                + (max == Integer.MAX_VALUE ? " up" : " to " + max));
    }
}
