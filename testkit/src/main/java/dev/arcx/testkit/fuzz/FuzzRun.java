package dev.arcx.testkit.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arcx.testkit.fuzz.HostileRequests.Request;
import dev.arcx.testkit.fuzz.OpenApiOperations.Operation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Sends hostile requests for every operation of a service, as each caller, and checks the answers: never a 5xx, never
 * a hang (each request has a deadline), every 4xx a problem+json with a title or detail (a page's may be a page),
 * nothing changed by a refusal
 * (the service's state fingerprint is the same before and after it), and nothing logged at ERROR. A caller may offer
 * its real objects' ids: a share of the requests then acts on them, and what a successful one removed or changed is put
 * back before the next.
 */
public final class FuzzRun {
    /** Who sends: a name for the report and the headers that authenticate (none for anonymous). */
    public interface Caller {
        String name();

        Map<String, String> headers();

        /** This caller's real ids for the operation's path parameters, by name; none: only unknown ids are sent. */
        default Map<String, String> realIds(Operation operation) {
            return Map.of();
        }

        /**
         * A request on the real ids succeeded: put back what it removed or changed (recreate a deleted object, undo a
         * suspension), so later requests find the same objects in the same state.
         */
        default void restore(Operation operation) {
        }
    }

    /**
     * Counts per status class and per operation (requests on real ids counted again under "real 2xx", "real 4xx"…),
     * and what broke the rules.
     */
    public record Report(int requests, Map<String, Integer> byStatusClass, Map<Integer, Integer> byStatus,
            Map<String, Integer> onRealIds, Map<String, Map<String, Integer>> byOperation, List<String> violations) {
        public String summary() {
            StringBuilder text = new StringBuilder();
            text.append(requests).append(" hostile requests; by status class ").append(byStatusClass)
                    .append("; by status ").append(byStatus).append("; on real ids ").append(onRealIds).append('\n');
            byOperation.forEach((operation, counts) -> text.append("  ").append(operation).append(' ').append(counts)
                    .append('\n'));
            return text.toString();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_VIOLATIONS = 50;

    private final String baseUrl;
    private final Duration deadline;
    private final Supplier<String> state;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /**
     * @param state a fingerprint of what the service keeps (row counts, the audit log): a refusal must not change it
     */
    public FuzzRun(String baseUrl, Duration deadline, Supplier<String> state) {
        this.baseUrl = baseUrl;
        this.deadline = deadline;
        this.state = state;
    }

    /** {@code perOperation} requests for each operation and caller, generated from {@code seed}. */
    public Report run(List<Operation> operations, List<Caller> callers, int perOperation, long seed) {
        HostileRequests hostile = new HostileRequests(seed);
        Map<String, Integer> byClass = new TreeMap<>();
        Map<Integer, Integer> byStatus = new TreeMap<>();
        Map<String, Integer> onRealIds = new TreeMap<>();
        Map<String, Map<String, Integer>> byOperation = new TreeMap<>();
        List<String> violations = new ArrayList<>();
        int sent = 0;
        // The state after a refusal is the state before the next request, unless the caller's credentials changed (a
        // fresh user was made in between). After a success it is taken again: what a success started may still be
        // landing.
        String known = null;
        Map<String, String> lastCredentials = null;
        try (ErrorLog errors = ErrorLog.open()) {
            for (Operation operation : operations) {
                for (Caller caller : callers) {
                    for (int i = 0; i < perOperation; i++) {
                        // First: a caller may make a fresh user, which is no part of what the request changes.
                        Map<String, String> credentials = caller.headers();
                        Request request = hostile.next(operation, caller.realIds(operation));
                        String before = known != null && credentials.equals(lastCredentials) ? known : state.get();
                        lastCredentials = credentials;
                        int errorsBefore = errors.count();
                        Outcome outcome = send(operation, request, credentials);
                        sent++;
                        String statusClass = outcome.status == 0 ? "timeout" : outcome.status / 100 + "xx";
                        byClass.merge(statusClass, 1, Integer::sum);
                        byStatus.merge(outcome.status, 1, Integer::sum);
                        Map<String, Integer> counts = byOperation.computeIfAbsent(operation.toString(),
                                k -> new TreeMap<>());
                        counts.merge(statusClass, 1, Integer::sum);
                        if (request.onRealIds()) {
                            onRealIds.merge(statusClass, 1, Integer::sum);
                            counts.merge("real " + statusClass, 1, Integer::sum);
                        }
                        String broken = check(operation, outcome);
                        known = null;
                        if (outcome.status >= 400 && outcome.status < 500) {
                            String after = state.get();
                            known = after;
                            if (broken == null && !after.equals(before)) {
                                broken = "refused with " + outcome.status + " but changed state: " + before + " -> "
                                        + after;
                            }
                        }
                        if (broken == null && errors.count() > errorsBefore) {
                            broken = "logged at ERROR: " + errors.since(errorsBefore);
                        }
                        if (broken != null && violations.size() < MAX_VIOLATIONS) {
                            violations.add(caller.name() + " " + request.describe() + " -> " + broken);
                        }
                        if (request.onRealIds() && outcome.status >= 200 && outcome.status < 300
                                && !operation.method().equals("GET")) {
                            caller.restore(operation);
                        }
                    }
                }
            }
        }
        return new Report(sent, byClass, byStatus, onRealIds, byOperation, violations);
    }

    private record Outcome(int status, String contentType, byte[] body, String failure) {
    }

    private Outcome send(Operation operation, Request request, Map<String, String> credentials) {
        HttpRequest.Builder builder;
        try {
            builder = HttpRequest.newBuilder(URI.create(baseUrl + request.path()));
        } catch (IllegalArgumentException e) {
            return new Outcome(0, "", new byte[0], "the test cannot send this request: " + e.getMessage());
        }
        builder.timeout(deadline)
                .method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        // Pages are asked for as a browser asks, the API as a client does; a hostile Accept replaces either.
        builder.header("Accept", operation.accept());
        credentials.forEach(builder::setHeader);
        request.headers().forEach(builder::setHeader);
        try {
            HttpResponse<InputStream> response = client.sendAsync(builder.build(),
                    HttpResponse.BodyHandlers.ofInputStream()).get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            String type = response.headers().firstValue("Content-Type").orElse("");
            try (InputStream in = response.body()) {
                // A stream (server-sent events) answered: its head is what is checked, the rest is left.
                byte[] body = type.startsWith("text/event-stream") ? new byte[0]
                        : CompletableFuture.supplyAsync(() -> readAll(in)).get(deadline.toMillis(),
                                TimeUnit.MILLISECONDS);
                return new Outcome(response.statusCode(), type, body, null);
            }
        } catch (TimeoutException e) {
            return new Outcome(0, "", new byte[0], "no answer within " + deadline);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return new Outcome(0, "", new byte[0], cause instanceof java.net.http.HttpTimeoutException
                    ? "no answer within " + deadline : "the connection failed: " + cause);
        } catch (IOException e) {
            return new Outcome(0, "", new byte[0], "the connection failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What is wrong with the answer, or null. */
    private static String check(Operation operation, Outcome outcome) {
        if (outcome.failure != null) {
            return outcome.failure;
        }
        if (outcome.status >= 500) {
            return outcome.status + " " + text(outcome.body);
        }
        if (outcome.status >= 400) {
            if (operation.isPage() && outcome.contentType.startsWith("text/html")) {
                return outcome.body.length == 0 ? outcome.status + " as an empty page" : null;
            }
            if (!outcome.contentType.startsWith("application/problem+json")) {
                return outcome.status + " as '" + outcome.contentType + "', not problem+json: " + text(outcome.body);
            }
            try {
                JsonNode problem = JSON.readTree(outcome.body);
                if (problem.path("title").asText("").isBlank() && problem.path("detail").asText("").isBlank()) {
                    return outcome.status + " problem without title or detail: " + text(outcome.body);
                }
            } catch (java.io.IOException e) {
                return outcome.status + " problem+json that is not JSON: " + text(outcome.body);
            }
        }
        return null;
    }

    private static String text(byte[] body) {
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
