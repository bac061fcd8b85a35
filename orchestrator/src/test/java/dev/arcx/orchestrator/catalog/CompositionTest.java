package dev.arcx.orchestrator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.arcx.common.http.ApiException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The catalog's arithmetic and naming, on a catalog built in memory. */
class CompositionTest {
    private static final ResourceTier STARTER = new ResourceTier("starter", "Starter", "", "1", "2Gi", "1Gi", 20, 0, true, 1);
    private static final ResourceTier BUILDER = new ResourceTier("builder", "Builder", "", "2", "4Gi", "2Gi", 30, 1000, false, 2);
    private static final ResourceTier CREATOR = new ResourceTier("creator", "Creator", "", "4", "8Gi", "4Gi", 50, 2500, false, 3);
    private static final Flavor POLYGLOT = new Flavor("polyglot", "Polyglot", "", "arcx-polyglot", List.of(), List.of(), List.of(), 3000, false, 6);
    private static final Flavor FULLSTACK = new Flavor("fullstack", "Full-Stack", "", "arcx-fullstack", List.of(), List.of(), List.of(), 1800, true, 5);
    private static final Addon GUI = addon("gui", "-gui", "2", "4Gi", null, List.of());
    private static final Addon DB = addon("databases", "-db", "0", "1Gi", null, List.of());
    private static final Addon GPU = addon("gpu", "-gpu", "0", "0", "creator", List.of());
    private static final Addon CODE = addon("code-server", "-code", "1", "2Gi", null, List.of());
    private static final Addon LONER = addon("loner", "-loner", "0", "0", null, List.of("gui"));
    private static final Catalog CATALOG = new Catalog(List.of(STARTER, BUILDER, CREATOR), List.of(POLYGLOT, FULLSTACK),
            List.of(GUI, DB, GPU, CODE, LONER), "0.0.2");

    @Test
    void builderPlusGuiIsFourCpusAndEightGi() {
        Composition c = CATALOG.compose("builder", "polyglot", List.of("gui"));
        assertEquals(new BigDecimal("4"), c.cpus());
        assertEquals(8L << 30, c.memoryBytes());
        assertEquals(List.of(6080), c.ports());
    }

    @Test
    void imageNameSortsSuffixesAlphabetically() {
        assertEquals("arcx-polyglot-db-gui:0.0.2", CATALOG.compose("starter", "polyglot", List.of("gui", "databases")).image());
        assertEquals("arcx-fullstack-code:0.0.2", CATALOG.compose("starter", "fullstack", List.of("code-server")).image());
        assertEquals("arcx-fullstack:0.0.2", CATALOG.compose(null, null, List.of()).image());
    }

    @Test
    void omittedTierAndFlavorTakeTheDefaults() {
        Composition c = CATALOG.compose(null, null, null);
        assertEquals("starter", c.tier().id());
        assertEquals("fullstack", c.flavor().id());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ApiException e = assertThrows(ApiException.class,
                () -> CATALOG.compose("starter", "cobol", List.of("gpu", "nope", "gpu")));
        assertEquals(400, e.status());
        String message = e.getMessage();
        for (String expected : new String[] {"unknown flavorId 'cobol'", "unknown add-on 'nope'", "duplicates",
                "add-on 'gpu' requires the 'creator' tier or higher, not 'starter'"}) {
            assertEquals(true, message.contains(expected), message);
        }
    }

    @Test
    void incompatibilityIsCheckedInBothDirections() {
        ApiException e = assertThrows(ApiException.class, () -> CATALOG.compose("creator", "polyglot", List.of("gui", "loner")));
        assertEquals("add-ons 'gui' and 'loner' cannot be combined", e.getMessage());
        CompatibilityReport report = CATALOG.compatibility("gui", "creator", List.of("loner"));
        assertEquals(false, report.compatible());
        assertEquals(true, CATALOG.compatibility("gpu", "creator", List.of("gui")).compatible());
        assertEquals(null, CATALOG.compatibility("missing", null, List.of()));
    }

    @Test
    void quantitiesParseAndFormat() {
        assertEquals(512L << 20, Quantities.memoryBytes("512Mi"));
        assertEquals("6656Mi", Quantities.formatMemory((6L << 30) + (512L << 20)));
        assertEquals("16Gi", Quantities.formatMemory(16L << 30));
        assertThrows(IllegalArgumentException.class, () -> Quantities.memoryBytes("2GB"));
    }

    private static Addon addon(String id, String suffix, String cpu, String memory, String requires, List<String> incompatible) {
        return new Addon(id, id, "", suffix, cpu, memory, id.equals("gui") ? List.of(6080) : List.of(), Map.of(),
                requires, incompatible, 0, 1);
    }
}
