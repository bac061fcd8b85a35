package dev.arcx.common.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.arcx.common.support.Outages;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place that turns exceptions into answers: problem+json for every error, 4xx logged at DEBUG (the client's
 * doing), 5xx at ERROR with the stack trace but never shown to the client. A refused role check is answered by
 * {@code auth}'s {@code RoleRefusals}, which knows the roles.
 */
public class ProblemMapper {
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    private static final int UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

    /**
     * The problem+json answer for {@code failure}, for a resource's own exception mapper that answers some clients
     * otherwise (pages for browsers) and the rest as the API does.
     */
    public static Response of(Throwable failure, HttpServerRequest request) {
        ProblemMapper mapper = new ProblemMapper();
        if (failure instanceof ApiException e) {
            return mapper.api(e, request);
        }
        if (failure instanceof WebApplicationException e) {
            return mapper.web(e, request);
        }
        if (failure instanceof JsonProcessingException e && !(failure instanceof InvalidDefinitionException)) {
            return mapper.badJson(e, request);
        }
        return failure instanceof Exception e ? mapper.unexpected(e, request)
                : problem(500, "Server error", "the server could not complete the request", request);
    }

    @ServerExceptionMapper
    public Response api(ApiException e, HttpServerRequest request) {
        Response problem = problem(e.status(), e.title(), e.getMessage(), request);
        return e.retryAfterSeconds() == null ? problem
                : Response.fromResponse(problem).header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds()).build();
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e, HttpServerRequest request) {
        return Response.fromResponse(problem(401, "Unauthorized",
                "sign in (the arc_session cookie) or send a valid 'Authorization: Bearer <token>' header", request))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"arcx\"").build();
    }

    /**
     * A body that is not what the operation reads: malformed JSON, a key given twice, a wrong type, an unknown field,
     * a NUL or lone surrogate in a string, too deep or too large. Mapped for each of Jackson's exception classes,
     * since the REST layer has its own mappers for some of them that would otherwise win (a 400 that is not
     * problem+json).
     */
    @ServerExceptionMapper({JsonProcessingException.class, StreamReadException.class, DatabindException.class,
            MismatchedInputException.class, UnrecognizedPropertyException.class, InvalidFormatException.class,
            StreamConstraintsException.class})
    public Response badJson(JsonProcessingException e, HttpServerRequest request) {
        return problem(400, "Invalid request", JsonProblems.detail(e), request);
    }

    /** The JSON types themselves are ours to get right: a server error, not the client's. */
    @ServerExceptionMapper
    public Response badJsonDefinition(InvalidDefinitionException e, HttpServerRequest request) {
        return unexpected(e, request);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpServerRequest request) {
        int status = e.getResponse().getStatus();
        // The REST layer wraps most of Jackson's reading failures in a 400 of its own, without the reason.
        if (status == 400 && e.getCause() instanceof JsonProcessingException json) {
            return json instanceof InvalidDefinitionException definition ? unexpected(definition, request)
                    : badJson(json, request);
        }
        if (status >= 500) {
            LOG.error("request failed", e);
            return problem(status, "Server error", "the server could not complete the request", request);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        return problem(status, title, e.getMessage(), request);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, HttpServerRequest request) {
        if (Outages.unreachable(e)) {
            // The database, the engine or another part is restarting: the client may simply try again.
            LOG.warnf("%s %s: a part of the platform cannot be reached: %s", request.method(), request.path(),
                    e.getMessage());
            return Response.fromResponse(problem(503, "Service unavailable", "a part of the platform cannot be "
                    + "reached right now; try again in a moment", request))
                    .header(HttpHeaders.RETRY_AFTER, UNAVAILABLE_RETRY_AFTER_SECONDS).build();
        }
        LOG.errorf(e, "unexpected failure on %s %s", request.method(), request.path());
        return problem(500, "Server error", "the server could not complete the request", request);
    }

    /** A problem+json answer; 4xx logged at DEBUG with the detail, 5xx without (their cause was logged already). */
    public static Response problem(int status, String title, String detail, HttpServerRequest request) {
        if (status >= 500) {
            LOG.debugf("%d on %s", status, request.path());
        } else {
            LOG.debugf("%d on %s: %s", status, request.path(), detail);
        }
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", title, status, detail, request.path()))
                .build();
    }
}
