package dev.arcx.common.access;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.UUID;

/**
 * "May user {@code userId} use workspace {@code workspaceId}, and as what?", asked on
 * {@link dev.arcx.common.events.Subjects#accessCheck}; answered with an {@link AccessAnswer}.
 *
 * @param version payload schema version, {@link #CURRENT_VERSION} when written by this code; readers ignore fields
 *     added later
 * @param userId who wants in
 * @param workspaceId the workspace
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AccessCheck(int version, UUID userId, UUID workspaceId) {
    public static final int CURRENT_VERSION = 1;

    public static AccessCheck of(UUID userId, UUID workspaceId) {
        return new AccessCheck(CURRENT_VERSION, userId, workspaceId);
    }
}
