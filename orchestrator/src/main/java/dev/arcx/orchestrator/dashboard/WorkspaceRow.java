package dev.arcx.orchestrator.dashboard;

import dev.arcx.orchestrator.workspace.WorkspaceView;
import io.quarkus.qute.TemplateData;
import java.util.List;
import java.util.stream.Collectors;

/** A workspace as the dashboard's pages show it: the API's view flattened to text, plus where its IDE opens. */
@TemplateData
public record WorkspaceRow(String id, String name, String status, String statusReason, String tier, String flavor,
        String addons, String image, String cpus, String memory, int storageGb, String ports, boolean passwordProtected,
        String ideUrl, String clonedFrom, String createdAt) {

    static WorkspaceRow of(WorkspaceView w, String ideUrl) {
        return new WorkspaceRow(w.id().toString(), w.name(), w.status().wireName(), w.statusReason(),
                w.resourceTierId(), w.flavorId(), w.addonIds().isEmpty() ? "none" : String.join(", ", w.addonIds()),
                w.image(), w.resources().cpus().stripTrailingZeros().toPlainString(), w.resources().memory(),
                w.resources().storageGb(), join(w.ports()), w.passwordProtected(), ideUrl,
                w.clonedFrom() == null ? null : w.clonedFrom().toString(),
                w.createdAt() == null ? "" : w.createdAt().toLocalDate().toString());
    }

    private static String join(List<Integer> ports) {
        return ports.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
