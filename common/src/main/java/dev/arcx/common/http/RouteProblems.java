package dev.arcx.common.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;

/** Problem answers from Vert.x route filters, which run before any JAX-RS exception mapper could. */
public final class RouteProblems {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RouteProblems() {
    }

    /** Ends the request with {@code status} as problem+json, plus {@code Retry-After} when not null. */
    public static void send(RoutingContext context, int status, String title, String detail, Long retryAfterSeconds) {
        Problem problem = new Problem("about:blank", title, status, detail, context.request().path());
        try {
            var response = context.response().setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE);
            if (retryAfterSeconds != null) {
                response.putHeader("Retry-After", String.valueOf(retryAfterSeconds));
            }
            response.end(JSON.writeValueAsString(problem));
        } catch (JsonProcessingException e) {
            context.fail(e);
        }
    }
}
