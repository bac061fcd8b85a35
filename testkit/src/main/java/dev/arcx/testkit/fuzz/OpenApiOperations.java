package dev.arcx.testkit.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A service's operations as its own {@code /q/openapi} document lists them, with their parameters and the schema of
 * their JSON body ({@code $ref}s resolved), so tests that must hold for every operation cover the ones added later.
 */
public final class OpenApiOperations {
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenApiOperations() {
    }

    /** The operations of the service at {@code baseUrl} (e.g. {@code http://127.0.0.1:8081}). */
    public static List<Operation> of(String baseUrl) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(baseUrl + "/q/openapi?format=json")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("/q/openapi answered " + response.statusCode());
            }
            return parse(JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new IllegalStateException("could not read /q/openapi", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<Operation> parse(JsonNode document) {
        List<Operation> operations = new ArrayList<>();
        JsonNode components = document.path("components").path("schemas");
        Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields();
            while (methods.hasNext()) {
                Map.Entry<String, JsonNode> entry = methods.next();
                String method = entry.getKey().toUpperCase(Locale.ROOT);
                if (!METHODS.contains(method)) {
                    continue;
                }
                JsonNode operation = entry.getValue();
                List<Parameter> pathParameters = new ArrayList<>();
                List<Parameter> queryParameters = new ArrayList<>();
                for (JsonNode parameter : operation.path("parameters")) {
                    JsonNode schema = resolve(parameter.path("schema"), components);
                    Parameter parsed = new Parameter(parameter.path("name").asText(), schema);
                    switch (parameter.path("in").asText()) {
                        case "path" -> pathParameters.add(parsed);
                        case "query" -> queryParameters.add(parsed);
                        default -> {
                        }
                    }
                }
                JsonNode content = operation.path("requestBody").path("content");
                JsonNode body = content.has("application/json")
                        ? resolveDeep(content.path("application/json").path("schema"), components, 0) : null;
                Set<String> answers = new java.util.TreeSet<>();
                operation.path("responses").forEach(response -> response.path("content").fieldNames()
                        .forEachRemaining(answers::add));
                operations.add(new Operation(method, path.getKey(), pathParameters, queryParameters, body, answers));
            }
        }
        return operations;
    }

    private static JsonNode resolve(JsonNode schema, JsonNode components) {
        JsonNode current = schema;
        for (int hops = 0; hops < 10 && current.has("$ref"); hops++) {
            String ref = current.get("$ref").asText();
            current = components.path(ref.substring(ref.lastIndexOf('/') + 1));
        }
        if (current.has("allOf") && current.get("allOf").size() > 0) {
            current = resolve(current.get("allOf").get(0), components);
        }
        return current;
    }

    /** The schema with every {@code $ref} replaced by its target, a few levels deep (enough for request bodies). */
    private static JsonNode resolveDeep(JsonNode schema, JsonNode components, int depth) {
        JsonNode resolved = resolve(schema, components).deepCopy();
        if (depth > 4 || !resolved.isObject()) {
            return resolved;
        }
        var object = (com.fasterxml.jackson.databind.node.ObjectNode) resolved;
        if (object.has("properties")) {
            var properties = (com.fasterxml.jackson.databind.node.ObjectNode) object.get("properties");
            List<String> names = new ArrayList<>();
            properties.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                properties.set(name, resolveDeep(properties.get(name), components, depth + 1));
            }
        }
        if (object.has("items")) {
            object.set("items", resolveDeep(object.get("items"), components, depth + 1));
        }
        return object;
    }

    /** One path parameter or query parameter and its (resolved) schema. */
    public record Parameter(String name, JsonNode schema) {
    }

    /**
     * @param template the path as the document has it, {@code /api/teams/{id}}
     * @param body the JSON body's schema; null when the operation reads no JSON body
     * @param answers the media types of its answers ({@code text/html} for a page)
     */
    public record Operation(String method, String template, List<Parameter> pathParameters,
            List<Parameter> queryParameters, JsonNode body, Set<String> answers) {
        /** A page for browsers, whose refusals are pages too. */
        public boolean isPage() {
            return answers.contains("text/html");
        }

        /** What a well-behaved client of this operation accepts: JSON, else the page or stream it answers. */
        public String accept() {
            if (answers.isEmpty() || answers.contains("application/json")) {
                return "application/json";
            }
            return isPage() ? "text/html" : answers.iterator().next();
        }

        @Override
        public String toString() {
            return method + " " + template;
        }
    }
}
