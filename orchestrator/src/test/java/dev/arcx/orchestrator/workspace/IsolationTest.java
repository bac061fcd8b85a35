package dev.arcx.orchestrator.workspace;

import static dev.arcx.orchestrator.testsupport.Api.as;
import static dev.arcx.orchestrator.testsupport.Api.awaitStatus;
import static dev.arcx.orchestrator.testsupport.Api.createWorkspace;
import static dev.arcx.orchestrator.testsupport.Api.deleteWorkspace;
import static dev.arcx.testkit.engine.TestEngine.docker;
import static dev.arcx.testkit.engine.TestEngine.exec;
import static dev.arcx.testkit.engine.TestEngine.probe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A workspace reaches neither another workspace, nor the platform's services on the host, nor the Docker engine.
 * Every refusal is paired with a control showing the same probe succeeds where it is allowed, so a broken probe
 * cannot pass for isolation.
 */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
class IsolationTest {
    @TestHTTPResource("/")
    URL orchestrator;

    @Test
    void workspacesAreIsolatedFromEachOtherTheHostAndTheEngine() throws Exception {
        TestUser user = Api.newUser("pro");
        String a = createWorkspace(user, "iso-a", "starter", List.of());
        String b = createWorkspace(user, "iso-b", "starter", List.of());
        awaitStatus(user, a, "running");
        awaitStatus(user, b, "running");
        String containerA = "arcx-ws-" + a;
        var networkA = docker().inspectContainerCmd(containerA).exec().getNetworkSettings().getNetworks().get(containerA);
        String ipB = docker().inspectContainerCmd("arcx-ws-" + b).exec().getNetworkSettings().getNetworks()
                .get("arcx-ws-" + b).getIpAddress();
        String gatewayA = networkA.getGateway();
        // Each workspace network is a small block of the workspace range, not a /16 of the engine's few default pools.
        for (String workspace : List.of(a, b)) {
            var ipam = docker().inspectNetworkCmd().withNetworkId("arcx-ws-" + workspace).exec().getIpam().getConfig();
            assertEquals(1, ipam.size());
            assertTrue(ipam.get(0).getSubnet().matches("10\\.213\\.\\d+\\.\\d+/26"), ipam.get(0).getSubnet());
        }

        // Control: the probe works, from a workspace to itself.
        assertEquals(0, probe(containerA, "127.0.0.1", 8080).exitCode(), "a workspace reaches itself");

        // Another workspace: different internal networks, no route between them; the host itself does reach it.
        try (Socket control = new Socket()) {
            control.connect(new InetSocketAddress(ipB, 8080), 2000);
        }
        assertNotEquals(0, probe(containerA, ipB, 8080).exitCode(), "workspace A must not reach workspace B");

        // The platform's services on the host: an HTTP service on every interface, and the orchestrator itself.
        HttpServer hostService = HttpServer.create(new InetSocketAddress("0.0.0.0", 0), 0);
        hostService.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        hostService.start();
        try {
            int port = hostService.getAddress().getPort();
            HttpResponse<Void> control = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://" + hostAddress() + ":" + port + "/")).build(), HttpResponse.BodyHandlers.discarding());
            assertEquals(204, control.statusCode(), "the host service answers on the host's address");
            assertNotEquals(0, probe(containerA, gatewayA, port).exitCode(), "host service via the bridge gateway");
            assertNotEquals(0, probe(containerA, hostAddress(), port).exitCode(), "host service via the host's address");
        } finally {
            hostService.stop(0);
        }
        assertNotEquals(0, probe(containerA, gatewayA, orchestrator.getPort()).exitCode(), "the orchestrator");
        assertNotEquals(0, probe(containerA, gatewayA, 2375).exitCode(), "the engine's TCP API");

        // The engine: no socket inside, no bind mount of the host; the network is internal (the engine drops what
        // leaves it; nothing outside this machine may be probed here, so that is asserted from the engine's side).
        assertNotEquals(0, exec(containerA, "1000:1000", "test", "-e", "/var/run/docker.sock").exitCode());
        assertNotEquals(0, exec(containerA, "1000:1000", "test", "-e", "/run/docker.sock").exitCode());
        assertTrue(docker().inspectNetworkCmd().withNetworkId(containerA).exec().getInternal());
        assertTrue(docker().inspectContainerCmd(containerA).exec().getHostConfig().getBinds() == null
                || docker().inspectContainerCmd(containerA).exec().getHostConfig().getBinds().length == 0);

        for (String id : List.of(a, b)) {
            deleteWorkspace(user, id);
        }
    }

    private static String hostAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isLoopback() || !nic.isUp() || nic.getName().startsWith("br-") || nic.getName().startsWith("docker")
                    || nic.getName().startsWith("veth") || nic.getName().startsWith("arcxw")) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address) {
                    return address.getHostAddress();
                }
            }
        }
        throw new IllegalStateException("no host IPv4 address");
    }

}
