package dev.arcx.common.access;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The answer to an {@link AccessCheck}. Allowed, with the role that allows it; or not allowed, which says nothing
 * more: a workspace that does not exist, someone else's, and a suspended or unknown user all answer the same. A
 * request that could not be read gets {@code error} (and {@code allowed} false) instead of an answer.
 *
 * @param version payload schema version; readers ignore fields added later
 * @param allowed whether the user may use the workspace
 * @param role why, when allowed; null otherwise
 * @param error why the request got no answer (malformed, or the database failed); null for an answer
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AccessAnswer(int version, boolean allowed, WorkspaceRole role, String error) {
    public static final int CURRENT_VERSION = 1;

    public static AccessAnswer allowed(WorkspaceRole role) {
        return new AccessAnswer(CURRENT_VERSION, true, role, null);
    }

    public static AccessAnswer denied() {
        return new AccessAnswer(CURRENT_VERSION, false, null, null);
    }

    public static AccessAnswer error(String error) {
        return new AccessAnswer(CURRENT_VERSION, false, null, error);
    }

    /** Whether this is an answer rather than a refusal to answer. */
    public boolean answered() {
        return error == null;
    }
}
