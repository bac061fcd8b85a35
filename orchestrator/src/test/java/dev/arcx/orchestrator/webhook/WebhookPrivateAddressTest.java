package dev.arcx.orchestrator.webhook;

import static dev.arcx.orchestrator.testsupport.Api.as;
import static dev.arcx.orchestrator.testsupport.Api.createWorkspace;
import static dev.arcx.orchestrator.testsupport.Api.deleteWorkspace;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import dev.arcx.testkit.fakes.WebhookReceiver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** As deployed: a webhook cannot be pointed at the platform's own network. */
@QuarkusTest
@TestProfile(WebhookPrivateAddressTest.PrivateReceiversRefused.class)
@QuarkusTestResource(WorkspaceImageResource.class)
class WebhookPrivateAddressTest {

    public static class PrivateReceiversRefused implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("arcx.webhooks.allow-private-receivers", "false");
        }
    }

    @Test
    void aReceiverOnLoopbackGetsNothingAndTheDeliveryFailsAtOnce() {
        TestUser user = Api.newUser("pro");
        try (WebhookReceiver receiver = new WebhookReceiver(0)) {
            String hook = WebhookTest.register(user, receiver.url(), List.of("workspace.created")).getString("id");
            String workspaceId = createWorkspace(user, "guarded", "starter", List.of());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> as(user.token())
                    .get("/api/webhooks/" + hook + "/deliveries").then().statusCode(200)
                    .body("[0].status", equalTo("failed")).body("[0].attempts", equalTo(1))
                    .body("[0].lastError", containsString("webhooks go to public addresses only")));
            assertEquals(0, receiver.received().size());
            deleteWorkspace(user, workspaceId);
        }
    }

    @Test
    void internalAddressesAreRecognised() throws Exception {
        for (String internal : List.of("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                "::1", "fd00::1", "fe80::1", "0.0.0.0")) {
            assertTrue(ReceiverAddresses.internal(InetAddress.getByName(internal)), internal);
        }
        for (String external : List.of("93.184.216.34", "2606:2800:220:1::1")) {
            assertTrue(!ReceiverAddresses.internal(InetAddress.getByName(external)), external);
        }
    }
}
