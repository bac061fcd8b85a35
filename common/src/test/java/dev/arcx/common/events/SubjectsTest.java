package dev.arcx.common.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.common.images.ImageBuildEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SubjectsTest {
    private static final UUID WORKSPACE = UUID.fromString("00000000-0000-0000-0000-000000000042");

    @Test
    void theDefaultInstallationKeepsTheNamesOfEarlierVersions() {
        Subjects arcx = new Subjects("arcx");
        assertEquals("ARCX_EVENTS", arcx.eventsStream());
        assertEquals("ARCX_REVOCATIONS", arcx.revocationsStream());
        assertEquals(List.of("arcx.workspace.>", "arcx.image.>", "arcx.audit.>"), arcx.eventSubjects());
        assertEquals("arcx.auth.session-revoked", arcx.sessionRevoked());
        assertEquals("arcx.audit.workspace.create", arcx.audit("workspace.create"));
        assertEquals("arcx.workspace." + WORKSPACE + ".stopped", arcx.workspace(WORKSPACE, WorkspaceEventType.STOPPED));
        assertEquals("arcx.images.ensure", arcx.images().ensure());
        assertEquals("arcx-image-builder", arcx.images().ensureQueue());
        assertEquals("arcx.access.check", arcx.accessCheck());
        assertEquals("arcx-access", arcx.accessCheckQueue());
        assertEquals("arcx.access.narrowed", arcx.accessNarrowed());
        assertEquals("arcx.image.arcx-js.built", arcx.images().event("arcx-js:0.1.0", ImageBuildEvent.Kind.BUILT));
    }

    @Test
    void everyNameOfOneInstallationIsItsOwn() {
        Subjects a = new Subjects("arcx-test");
        Subjects b = new Subjects("arcx");
        assertEquals("ARCX-TEST_EVENTS", a.eventsStream());
        List<String> namesOfA = names(a);
        List<String> namesOfB = names(b);
        for (int i = 0; i < namesOfA.size(); i++) {
            assertTrue(!namesOfA.get(i).equals(namesOfB.get(i)), namesOfA.get(i));
        }
        // Subject spaces are told apart by their first token: no name of one matches a wildcard of the other.
        for (String subject : List.of(a.sessionRevoked(), a.audit("x"),
                a.workspace(WORKSPACE, WorkspaceEventType.CREATED), a.images().ensure(),
                a.images().event("arcx-js:1", ImageBuildEvent.Kind.FAILED), a.accessCheck(), a.accessNarrowed())) {
            assertTrue(subject.startsWith("arcx-test."), subject);
        }
    }

    @Test
    void aNameNatsCannotCarryIsRefusedWithTheReason() {
        for (String bad : new String[] {"", "a.b", "a*", "a>", "a b", "a\tb", "a/b", "a\\b", "Arcx", "-arcx", "_inbox",
                "x".repeat(64), null}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new Subjects(bad),
                    String.valueOf(bad));
            assertTrue(refused.getMessage().contains("ARCX_INSTALLATION"), refused.getMessage());
        }
        for (String good : new String[] {"arcx", "arcx-test-na", "staging_2", "0", "x".repeat(63)}) {
            assertEquals(good, new Subjects(good).installation());
        }
    }

    private static List<String> names(Subjects s) {
        List<String> names = new ArrayList<>(List.of(s.eventsStream(), s.revocationsStream(), s.sessionRevoked(),
                s.allWorkspaceEvents(), s.allAuditEvents(), s.images().ensure(), s.images().ensureQueue(),
                s.images().allEvents(), s.accessCheck(), s.accessCheckQueue(), s.accessNarrowed()));
        names.addAll(s.eventSubjects());
        return names;
    }
}
