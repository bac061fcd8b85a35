package dev.arcx.orchestrator.dashboard;

import dev.arcx.orchestrator.catalog.Addon;
import dev.arcx.orchestrator.catalog.Catalog;
import dev.arcx.orchestrator.catalog.Flavor;
import dev.arcx.orchestrator.catalog.Quantities;
import dev.arcx.orchestrator.catalog.ResourceTier;
import io.quarkus.qute.TemplateData;
import java.math.BigDecimal;
import java.util.List;

/**
 * The create form's pickers: the catalog with its quantities in plain numbers (CPUs, bytes), which the form's
 * script adds up and checks with the catalog's rules (required tier, incompatible add-ons) before anything is sent.
 */
@TemplateData
public record CatalogChoices(List<TierChoice> tiers, List<FlavorChoice> flavors, List<AddonChoice> addons,
        String imageVersion) {

    static CatalogChoices of(Catalog catalog) {
        return new CatalogChoices(catalog.tiers().stream().map(TierChoice::of).toList(),
                catalog.flavors().stream().map(FlavorChoice::of).toList(),
                catalog.addons().stream().map(a -> AddonChoice.of(a, catalog.tiers())).toList(),
                catalog.imageVersion());
    }

    @TemplateData
    public record TierChoice(String id, String name, String description, String cpus, long memoryBytes, String memory,
            int storageGb, String price, int rank, boolean isDefault) {
        static TierChoice of(ResourceTier t) {
            return new TierChoice(t.id(), t.name(), t.description(), plain(Quantities.cpus(t.cpuLimit())),
                    Quantities.memoryBytes(t.memoryLimit()), t.memoryLimit(), t.storageGb(),
                    monthly(t.monthlyPriceCents()), t.sortOrder(), t.isDefault());
        }
    }

    @TemplateData
    public record FlavorChoice(String id, String name, String description, String baseImage, String languages,
            int sizeMb, boolean isDefault) {
        static FlavorChoice of(Flavor f) {
            return new FlavorChoice(f.id(), f.name(), f.description(), f.baseImage(), String.join(", ", f.languages()),
                    f.estimatedSizeMb(), f.isDefault());
        }
    }

    /** {@code requiredRank}: the sort order of the tier the add-on needs at least, 0 when any tier will do. */
    @TemplateData
    public record AddonChoice(String id, String name, String description, String imageSuffix, String extraCpus,
            long extraMemoryBytes, String extraMemory, String requiresTier, int requiredRank, String incompatibleWith,
            String price) {
        static AddonChoice of(Addon a, List<ResourceTier> tiers) {
            int rank = tiers.stream().filter(t -> t.id().equals(a.requiresTier())).mapToInt(ResourceTier::sortOrder)
                    .findFirst().orElse(0);
            return new AddonChoice(a.id(), a.name(), a.description(), a.imageSuffix(),
                    plain(Quantities.cpus(a.extraCpu())), Quantities.memoryBytes(a.extraMemory()), a.extraMemory(),
                    a.requiresTier(), rank, String.join(" ", a.incompatibleWith()), monthly(a.monthlyPriceCents()));
        }
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    private static String monthly(int cents) {
        return cents == 0 ? "free" : String.format("$%d.%02d/mo", cents / 100, cents % 100);
    }
}
