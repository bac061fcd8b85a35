package dev.arcx.orchestrator.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.arcx.orchestrator.testsupport.Api.TestUser;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A user's live workspace status stream ({@code GET /events/workspaces}) as the dashboard opens it. */
public final class EventStreams {
    private EventStreams() {
    }

    /** The data lines of {@code user}'s stream on the orchestrator at {@code base}, collected as they come. */
    public static List<String> listen(HttpClient client, URL base, TestUser user) {
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "events/workspaces"))
                .header("Authorization", "Bearer " + user.token()).header("Accept", "text/event-stream").build();
        client.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(response -> {
            assertEquals(200, response.statusCode());
            response.body().filter(line -> line.startsWith("data:")).forEach(lines::add);
        });
        return lines;
    }
}
