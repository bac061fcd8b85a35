package dev.arcx.orchestrator.catalog;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a tier, a flavor and add-ons add up to: total CPU and memory (tier + the add-ons' extras), the
 * composed image name with add-on suffixes sorted, and the add-ons' ports and environment.
 */
public record Composition(ResourceTier tier, Flavor flavor, List<Addon> addons, BigDecimal cpus, long memoryBytes,
        long memoryReservationBytes, String image, List<Integer> ports, Map<String, String> env) {

    public static Composition of(ResourceTier tier, Flavor flavor, List<Addon> addons, String version) {
        List<Addon> sorted = new ArrayList<>(addons);
        sorted.sort(Comparator.comparing(Addon::imageSuffix));
        BigDecimal cpus = Quantities.cpus(tier.cpuLimit());
        long memory = Quantities.memoryBytes(tier.memoryLimit());
        StringBuilder image = new StringBuilder(flavor.baseImage());
        TreeSet<Integer> ports = new TreeSet<>();
        Map<String, String> env = new LinkedHashMap<>();
        for (Addon addon : sorted) {
            cpus = cpus.add(Quantities.cpus(addon.extraCpu()));
            memory = Math.addExact(memory, Quantities.memoryBytes(addon.extraMemory()));
            image.append(addon.imageSuffix());
            ports.addAll(addon.extraPorts());
            env.putAll(addon.extraEnv());
        }
        image.append(':').append(version);
        return new Composition(tier, flavor, List.copyOf(sorted), cpus, memory,
                Quantities.memoryBytes(tier.memoryReservation()), image.toString(), List.copyOf(ports), Map.copyOf(env));
    }

    public List<String> addonIds() {
        return addons.stream().map(Addon::id).toList();
    }
}
