package dev.arcx.orchestrator.catalog;

import java.util.List;

/** Whether an add-on can join a tier and other add-ons, and if not, every reason why. */
public record CompatibilityReport(String addonId, String tier, List<String> addons, boolean compatible,
        List<String> problems) {
}
