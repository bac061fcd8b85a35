package dev.arcx.orchestrator.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import dev.arcx.orchestrator.testsupport.TraefikConfig;
import io.smallrye.config.WithDefault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** traefik/ as data: the edge the orchestrator's labels and forward-auth endpoint are written for. */
class TraefikConfigTest {

    @Test
    void staticConfigServesTlsWithAcmeAndOnlyLabelledContainers() throws Exception {
        JsonNode config = TraefikConfig.staticConfig();
        assertEquals(":80", config.at("/entryPoints/web/address").asText());
        assertEquals(":443", config.at("/entryPoints/websecure/address").asText());
        assertEquals("websecure", config.at("/entryPoints/web/http/redirections/entryPoint/to").asText());

        JsonNode acme = config.at("/certificatesResolvers/" + EdgeRoutes.CERT_RESOLVER + "/acme");
        assertEquals("web", acme.at("/httpChallenge/entryPoint").asText(), "HTTP-01 answered on port 80");
        assertEquals("${ARCX_ACME_EMAIL}", acme.path("email").asText(), "the e-mail comes from the environment");
        assertFalse(acme.path("storage").asText().isBlank());

        JsonNode docker = config.at("/providers/docker");
        assertFalse(docker.path("exposedByDefault").asBoolean(true), "only traefik.enable=true containers are routed");
        String defaultNetwork = OrchestratorConfig.Routing.class.getMethod("network").getAnnotation(WithDefault.class)
                .value();
        assertEquals(defaultNetwork, docker.path("network").asText(), "Traefik's network is the orchestrator's");
        assertFalse(config.at("/providers/file/directory").asText().isBlank(), "the middlewares come from files");
        assertTrue(config.has("entryPoints") && config.path("entryPoints").has(EdgeRoutes.ENTRYPOINT));
    }

    @Test
    void renderPutsTheAcmeEmailInAndRefusesAnythingElse(@TempDir Path target) throws Exception {
        assertEquals(0, render(target, "ops@arcx.run"));
        String rendered = Files.readString(target.resolve("traefik.yml"));
        assertTrue(rendered.contains("email: \"ops@arcx.run\""), rendered);
        assertFalse(rendered.contains("${ARCX_ACME_EMAIL}"));
        assertTrue(Files.isRegularFile(target.resolve("dynamic/middlewares.yml")));
        assertNotEquals(0, render(target, "a|b\" evil: \"x"), "only a plain address is written into the file");
        assertNotEquals(0, render(target, null), "no address, no configuration");
    }

    private static int render(Path target, String email) throws Exception {
        ProcessBuilder render = new ProcessBuilder("sh", TraefikConfig.DIRECTORY.resolve("render.sh").toString(),
                target.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        render.environment().remove("ARCX_ACME_EMAIL");
        if (email != null) {
            render.environment().put("ARCX_ACME_EMAIL", email);
        }
        return render.start().waitFor();
    }

    @Test
    void middlewaresAuthenticateAtTheOrchestratorAndHarden() {
        JsonNode middlewares = TraefikConfig.middlewares();
        JsonNode forwardAuth = middlewares.at("/arcx-forward-auth/forwardAuth");
        assertTrue(forwardAuth.path("address").asText().endsWith("/api/auth/forward"));
        List<String> copied = new ArrayList<>();
        forwardAuth.path("authResponseHeaders").forEach(h -> copied.add(h.asText()));
        assertEquals(List.of(ForwardAuthResource.USER_HEADER, "Cookie"), copied, "Cookie: the session stays out");
        assertFalse(forwardAuth.path("trustForwardHeader").asBoolean(true),
                "X-Forwarded-* from the client must not reach forward-auth");
        assertTrue(middlewares.at("/arcx-security-headers/headers/stsSeconds").asInt() > 0);
        assertTrue(middlewares.at("/arcx-rate-limit/rateLimit/average").asInt() > 0);
        for (String middleware : EdgeRoutes.MIDDLEWARES) {
            assertTrue(middlewares.has(middleware.replace("@file", "")), middleware);
        }
    }
}
