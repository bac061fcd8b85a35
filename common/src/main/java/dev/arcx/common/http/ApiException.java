package dev.arcx.common.http;

/** A failure the client caused or must know about, answered as application/problem+json with this status. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String title;
    private final Long retryAfterSeconds;

    public ApiException(int status, String title, String detail) {
        this(status, title, detail, null);
    }

    private ApiException(int status, String title, String detail, Long retryAfterSeconds) {
        super(detail);
        this.status = status;
        this.title = title;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Seconds after which a retry can succeed, sent as {@code Retry-After}; null when that is not known. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static ApiException tooManyRequests(String detail, long retryAfterSeconds) {
        return new ApiException(429, "Too many requests", detail, retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, "Invalid request", detail);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "Not found", detail);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(409, "Conflict", detail);
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, "Forbidden", detail);
    }
}
