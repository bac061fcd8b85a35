package dev.arcx.common.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * Problem answers from Vert.x routes and route filters, which run before (or beside) the REST layer, so no exception
 * mapper sees their failures: the answer is {@link ProblemMapper}'s all the same (status, problem, headers, logging).
 */
public final class RouteProblems {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RouteProblems() {
    }

    /** Ends the request with {@code failure} as the REST layer would answer it: problem+json and its headers. */
    public static void send(RoutingContext context, Throwable failure) {
        Response answer = ProblemMapper.of(failure, context.request());
        try {
            var response = context.response().setStatusCode(answer.getStatus())
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
            answer.getStringHeaders().forEach((name, values) -> {
                if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)) {
                    response.putHeader(name, values);
                }
            });
            response.end(JSON.writeValueAsString(answer.getEntity()));
        } catch (JsonProcessingException e) {
            context.fail(e);
        }
    }
}
