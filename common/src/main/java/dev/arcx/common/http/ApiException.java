package dev.arcx.common.http;

/**
 * A failure the client caused or must know about, answered as application/problem+json with this status. Made only
 * through the factories below, one per status, so a call site names what went wrong rather than a number.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String title;
    private final Long retryAfterSeconds;

    private ApiException(int status, String title, String detail) {
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

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** 400: the request itself is wrong (a field, a parameter, a body). */
    public static ApiException badRequest(String detail) {
        return new ApiException(400, "Invalid request", detail);
    }

    /** 401: the caller is not (or no longer) signed in for this. */
    public static ApiException unauthorized(String detail) {
        return new ApiException(401, "Unauthorized", detail);
    }

    /** 401 for a secret other than the sign-in (a workspace's password), with a title that names it. */
    public static ApiException unauthorized(String title, String detail) {
        return new ApiException(401, title, detail);
    }

    /** 402: the caller's plan does not include this. */
    public static ApiException paymentRequired(String detail) {
        return new ApiException(402, "Payment required", detail);
    }

    /** 403: the caller is known and may not do this. */
    public static ApiException forbidden(String detail) {
        return new ApiException(403, "Forbidden", detail);
    }

    /** 404: there is no such thing, or it is not the caller's (the two answer alike). */
    public static ApiException notFound(String detail) {
        return new ApiException(404, "Not found", detail);
    }

    /** 409: the thing's state does not allow this now. */
    public static ApiException conflict(String detail) {
        return new ApiException(409, "Conflict", detail);
    }

    /** 429 with {@code Retry-After}: a limit on how often is reached. */
    public static ApiException tooManyRequests(String detail, long retryAfterSeconds) {
        return new ApiException(429, "Too many requests", detail, retryAfterSeconds);
    }

    /** 502: what the request was passed on to did not answer; the title says what that was. */
    public static ApiException badGateway(String title, String detail) {
        return new ApiException(502, title, detail);
    }

    /** 503: a part the request needs cannot serve it now; trying again later may succeed. */
    public static ApiException unavailable(String detail) {
        return new ApiException(503, "Service unavailable", detail);
    }

    /** 503 with a title that says which part cannot serve it (a workspace that is not running). */
    public static ApiException unavailable(String title, String detail) {
        return new ApiException(503, title, detail);
    }
}
