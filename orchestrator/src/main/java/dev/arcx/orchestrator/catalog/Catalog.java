package dev.arcx.orchestrator.catalog;

import dev.arcx.common.http.ApiException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A loaded catalog and the rules for combining a tier, a flavor and add-ons. Pure: no I/O. */
public record Catalog(List<ResourceTier> tiers, List<Flavor> flavors, List<Addon> addons, String imageVersion) {

    /** Validates a selection and adds it up; every problem is reported at once as one 400. */
    public Composition compose(String tierId, String flavorId, List<String> addonIds) {
        List<String> problems = new ArrayList<>();
        // An omitted tier or flavor means the catalog's default (starter, fullstack).
        ResourceTier tier = tierId == null ? tiers.stream().filter(ResourceTier::isDefault).findFirst().orElseThrow()
                : lookup(tiers, ResourceTier::id, tierId, "resourceTierId", problems);
        Flavor flavor = flavorId == null ? flavors.stream().filter(Flavor::isDefault).findFirst().orElseThrow()
                : lookup(flavors, Flavor::id, flavorId, "flavorId", problems);
        List<Addon> chosen = chosenAddons(addonIds == null ? List.of() : addonIds, problems);
        if (tier != null) {
            problems.addAll(combinationProblems(tier, chosen));
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest(String.join("; ", problems));
        }
        return Composition.of(tier, flavor, chosen, imageVersion);
    }

    /** Can {@code addonId} join the tier (optional) and the other add-ons? Null when the add-on does not exist. */
    public CompatibilityReport compatibility(String addonId, String tierId, List<String> otherAddonIds) {
        if (addons.stream().noneMatch(a -> a.id().equals(addonId))) {
            return null;
        }
        List<String> problems = new ArrayList<>();
        ResourceTier tier = tierId == null ? null : lookup(tiers, ResourceTier::id, tierId, "tier", problems);
        LinkedHashSet<String> ids = new LinkedHashSet<>(otherAddonIds);
        ids.add(addonId);
        List<Addon> chosen = chosenAddons(List.copyOf(ids), problems);
        if (!problems.isEmpty()) {
            throw ApiException.badRequest(String.join("; ", problems));
        }
        problems.addAll(combinationProblems(tier, chosen));
        return new CompatibilityReport(addonId, tierId, List.copyOf(otherAddonIds), problems.isEmpty(), problems);
    }

    private List<Addon> chosenAddons(List<String> addonIds, List<String> problems) {
        Map<String, Addon> byId = addons.stream().collect(Collectors.toMap(Addon::id, Function.identity()));
        List<Addon> chosen = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String id : addonIds) {
            if (id == null || !seen.add(id)) {
                problems.add("addonIds must not contain duplicates or nulls (" + id + ")");
            } else if (!byId.containsKey(id)) {
                problems.add("unknown add-on '" + id + "'; known add-ons: " + addons.stream().map(Addon::id).toList());
            } else {
                chosen.add(byId.get(id));
            }
        }
        return chosen;
    }

    /** Tier requirements and pairwise incompatibilities; a null tier skips the tier checks. */
    private List<String> combinationProblems(ResourceTier tier, List<Addon> chosen) {
        Map<String, ResourceTier> tierById = tiers.stream()
                .collect(Collectors.toMap(ResourceTier::id, Function.identity()));
        List<String> problems = new ArrayList<>();
        for (Addon addon : chosen) {
            ResourceTier required = addon.requiresTier() == null ? null : tierById.get(addon.requiresTier());
            if (tier != null && required != null && tier.sortOrder() < required.sortOrder()) {
                problems.add("add-on '" + addon.id() + "' requires the '" + required.id() + "' tier or higher, not '"
                        + tier.id() + "'");
            }
        }
        for (int i = 0; i < chosen.size(); i++) {
            for (int j = i + 1; j < chosen.size(); j++) {
                Addon a = chosen.get(i);
                Addon b = chosen.get(j);
                if (a.incompatibleWith().contains(b.id()) || b.incompatibleWith().contains(a.id())) {
                    problems.add("add-ons '" + a.id() + "' and '" + b.id() + "' cannot be combined");
                }
            }
        }
        return problems;
    }

    private static <T> T lookup(List<T> items, Function<T, String> id, String wanted, String field,
            List<String> problems) {
        for (T item : items) {
            if (id.apply(item).equals(wanted)) {
                return item;
            }
        }
        problems.add("unknown " + field + " '" + wanted + "'; known: " + items.stream().map(id).toList());
        return null;
    }
}
