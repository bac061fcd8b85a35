package dev.arcx.orchestrator.testsupport;

import dev.arcx.testkit.fuzz.OpenApiOperations;
import io.restassured.RestAssured;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The orchestrator's HTTP endpoints as its own OpenAPI document lists them, with path parameters filled in, so tests
 * that must hold for every endpoint (CSRF, the admin role) also cover the ones added after the test was written.
 */
public final class Endpoints {
    /** Methods that change state, and that the CSRF guard therefore checks. */
    public static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");

    private Endpoints() {
    }

    /**
     * Every method and path of {@code /q/openapi} (read by the kit's {@link OpenApiOperations} from the application
     * RestAssured points at), path parameters replaced by a valid but unknown value.
     */
    public static List<Endpoint> all() {
        return OpenApiOperations.of(RestAssured.baseURI + ":" + RestAssured.port).stream()
                .map(operation -> new Endpoint(operation.method(), operation.template(),
                        filled(operation.template())))
                .toList();
    }

    /** A number for port parameters, a UUID for the rest (ids). */
    private static String filled(String path) {
        return path.replaceAll("\\{port}", "8080").replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
    }

    /**
     * @param template the path as the document has it
     * @param path the path to call
     */
    public record Endpoint(String method, String template, String path) {
        @Override
        public String toString() {
            return method + " " + template;
        }
    }
}
