package dev.arcx.common.http;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jboss.logging.Logger;

/**
 * Refuses, before anything reads it (authentication, routing, a resource, a query), a request whose path or query
 * string holds a NUL character ({@code %00}), whose path does not decode to UTF-8 (a lone surrogate arrives as
 * {@code %ED%A0%80}), or whose Content-Type is not a media type: no id, name or search term of any service contains
 * a NUL, PostgreSQL refuses it in text, and the REST layer fails on an unparsable Content-Type, so each could only end
 * as a server error. Answered 400 as problem+json and logged at DEBUG: it is the client's doing, however often it
 * is sent.
 */
@ApplicationScoped
public class MalformedRequestGuard {
    /** Before the CSRF guard (250), authentication (200) and every route. */
    static final int PRIORITY = 300;
    private static final Logger LOG = Logger.getLogger(MalformedRequestGuard.class);

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        String problem = problem(request.path(), request.query());
        if (problem == null) {
            problem = contentTypeProblem(request.getHeader("Content-Type"));
        }
        if (problem == null) {
            context.next();
            return;
        }
        LOG.debugf("refused malformed request to %s: %s", request.path(), problem);
        RouteProblems.send(context, ApiException.badRequest(problem));
    }

    /** Why the raw (still percent-encoded) path and query cannot be served; null when they can. */
    static String problem(String path, String query) {
        if (path != null) {
            byte[] decoded = percentDecoded(path);
            if (decoded == null) {
                return "the path has a malformed percent-encoding";
            }
            if (contains(decoded, (byte) 0)) {
                return "the path contains a NUL character (%00)";
            }
            if (!isUtf8(decoded)) {
                return "the path does not decode to UTF-8 text";
            }
        }
        if (query != null) {
            byte[] decoded = percentDecoded(query);
            if (decoded != null && contains(decoded, (byte) 0)) {
                return "the query string contains a NUL character (%00)";
            }
        }
        return null;
    }

    /** Why the Content-Type header cannot be read as a media type, as the REST layer reads it; null when it can. */
    static String contentTypeProblem(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        try {
            MediaType.valueOf(contentType);
            return null;
        } catch (IllegalArgumentException e) {
            return "the Content-Type header is not a media type";
        }
    }

    /** The bytes {@code text} stands for; null when a '%' is not followed by two hex digits. */
    static byte[] percentDecoded(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    return null;
                }
                int high = Character.digit(text.charAt(i + 1), 16);
                int low = Character.digit(text.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else {
                byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(raw, 0, raw.length);
            }
        }
        return bytes.toByteArray();
    }

    private static boolean contains(byte[] bytes, byte wanted) {
        for (byte b : bytes) {
            if (b == wanted) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
