package dev.arcx.common.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.common.workspace.WorkspaceStatus;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WorkspaceEventTest {
    @Test
    void subjectFollowsTheNamingScheme() {
        UUID id = UUID.fromString("00000000-0000-0000-0000-000000000042");
        WorkspaceEvent event = WorkspaceEvent.of(WorkspaceEventType.RUNNING, id, UUID.randomUUID(), null, "demo",
                WorkspaceStatus.RUNNING, null);
        assertEquals("arcx.workspace.00000000-0000-0000-0000-000000000042.running",
                new Subjects("arcx").workspace(event));
    }

    @Test
    void jsonRoundTripKeepsEveryFieldAndUsesWireNames() {
        WorkspaceEvent event = WorkspaceEvent.of(WorkspaceEventType.FAILED, UUID.randomUUID(), UUID.randomUUID(),
                UUID.randomUUID(), "demo", WorkspaceStatus.FAILED, "image missing");
        byte[] json = EventCodec.encode(event);
        String text = new String(json, StandardCharsets.UTF_8);
        assertTrue(text.contains("\"type\":\"failed\""), text);
        assertTrue(text.contains("\"version\":1"), text);
        assertEquals(event, EventCodec.decode(json, WorkspaceEvent.class));
    }

    @Test
    void readersIgnoreFieldsAddedByLaterVersions() {
        String json = "{\"version\":2,\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"stopped\",\"workspaceId\":\""
                + UUID.randomUUID() + "\",\"ownerId\":\"" + UUID.randomUUID()
                + "\",\"name\":\"x\",\"status\":\"stopped\",\"occurredAt\":\"2026-01-01T00:00:00Z\",\"newField\":1}";
        WorkspaceEvent event = EventCodec.decode(json.getBytes(StandardCharsets.UTF_8), WorkspaceEvent.class);
        assertEquals(WorkspaceEventType.STOPPED, event.type());
        assertEquals(2, event.version());
        assertEquals(null, event.teamId(), "an event without a team is a personal workspace's");
    }
}
