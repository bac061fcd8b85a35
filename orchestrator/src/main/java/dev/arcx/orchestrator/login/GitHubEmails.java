package dev.arcx.orchestrator.login;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The signed-in user's primary verified address from GitHub's {@code GET /user/emails} (the {@code user:email} scope
 * the GitHub provider asks for): {@code /user} shows only a public address, which many users leave empty.
 */
@ApplicationScoped
public class GitHubEmails {
    private static final Logger LOG = Logger.getLogger(GitHubEmails.class);

    private final HttpClient http;
    private final ObjectMapper json;
    private final OrchestratorConfig.GitHub config;

    GitHubEmails(OrchestratorConfig config, ObjectMapper json) {
        this.config = config.github();
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(this.config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Empty when GitHub has none verified or does not answer: the address is a convenience, not a condition. */
    public Uni<Optional<String>> primaryVerified(String accessToken) {
        String api = config.apiUrl().endsWith("/") ? config.apiUrl() : config.apiUrl() + "/";
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + "user/emails")).timeout(config.timeout())
                .header("Authorization", "Bearer " + accessToken)
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28").GET().build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .map(response -> {
                    if (response.statusCode() != 200) {
                        LOG.warnf("GitHub answered %d to /user/emails; signing in without an e-mail address",
                                response.statusCode());
                        return Optional.<String>empty();
                    }
                    return primary(response.body());
                })
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("GitHub's /user/emails failed (%s); signing in without an e-mail address",
                            failure.getMessage());
                    return Optional.empty();
                });
    }

    private Optional<String> primary(String body) {
        try {
            for (JsonNode entry : json.readTree(body)) {
                if (entry.path("primary").asBoolean() && entry.path("verified").asBoolean()
                        && entry.hasNonNull("email")) {
                    return Optional.of(entry.get("email").asText());
                }
            }
        } catch (java.io.IOException e) {
            LOG.warnf("GitHub's /user/emails answer is not JSON: %s", e.getMessage());
        }
        return Optional.empty();
    }
}
