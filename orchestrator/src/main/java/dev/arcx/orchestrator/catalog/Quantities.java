package dev.arcx.orchestrator.catalog;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes-style quantities as the catalog writes them: CPUs ("1", "0.5") and memory ("2Gi", "512Mi", "0"). */
public final class Quantities {
    private static final Pattern MEMORY = Pattern.compile("(\\d+)(Ki|Mi|Gi|Ti)?");
    private static final Map<String, Long> UNITS = Map.of("Ki", 1L << 10, "Mi", 1L << 20, "Gi", 1L << 30,
            "Ti", 1L << 40);

    private Quantities() {
    }

    public static long memoryBytes(String quantity) {
        Matcher m = MEMORY.matcher(quantity.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a memory quantity: " + quantity);
        }
        long unit = m.group(2) == null ? 1 : UNITS.get(m.group(2));
        return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
    }

    public static BigDecimal cpus(String quantity) {
        BigDecimal cpus = new BigDecimal(quantity.trim());
        if (cpus.signum() < 0) {
            throw new IllegalArgumentException("negative CPU quantity: " + quantity);
        }
        return cpus;
    }

    /** The largest binary unit that divides the value exactly: 6442450944 → "6Gi", 2684354560 → "2560Mi". */
    public static String formatMemory(long bytes) {
        for (String unit : new String[] {"Ti", "Gi", "Mi", "Ki"}) {
            long size = UNITS.get(unit);
            if (bytes != 0 && bytes % size == 0) {
                return bytes / size + unit;
            }
        }
        return Long.toString(bytes);
    }
}
