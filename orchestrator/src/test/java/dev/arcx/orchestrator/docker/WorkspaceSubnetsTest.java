package dev.arcx.orchestrator.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkspaceSubnetsTest {
    @Test
    void blocksOfThePoolSkipWhatOtherNetworksUse() {
        WorkspaceSubnets subnets = new WorkspaceSubnets("10.213.0.0/16", 26);
        assertEquals(1024, subnets.size());
        List<String> taken = new ArrayList<>(List.of("172.17.0.0/16", "fd00::/64", "10.213.0.0/24"));
        List<String> all = subnets.candidates("arcx-ws-x", taken, 2000);
        // The /24 covers four /26 blocks.
        assertEquals(1020, all.size());
        assertEquals(1020, new HashSet<>(all).size());
        assertFalse(all.contains("10.213.0.0/26"));
        assertFalse(all.contains("10.213.0.192/26"));
        assertTrue(all.contains("10.213.1.0/26"));
        assertTrue(all.stream().allMatch(s -> s.startsWith("10.213.") && s.endsWith("/26")));
    }

    @Test
    void aFullPoolHasNoCandidateAndNamesSpreadTheStart() {
        WorkspaceSubnets subnets = new WorkspaceSubnets("10.9.8.0/24", 26);
        assertEquals(List.of(), subnets.candidates("a", List.of("10.0.0.0/8"), 8));
        assertEquals(4, subnets.candidates("a", List.of(), 8).size());
        var starts = new HashSet<String>();
        for (int i = 0; i < 20; i++) {
            starts.add(subnets.candidates("arcx-ws-" + i, List.of(), 1).get(0));
        }
        assertTrue(starts.size() > 1, "different names start at different blocks");
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new WorkspaceSubnets("10.213.0.0/16", 30));
        assertThrows(IllegalArgumentException.class, () -> new WorkspaceSubnets("10.213.0.0/24", 20));
        assertThrows(IllegalArgumentException.class, () -> new WorkspaceSubnets("10.213.0.300/16", 26));
        assertThrows(IllegalArgumentException.class, () -> new WorkspaceSubnets("banana", 26));
    }
}
