package dev.arcx.common.workspace;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The lifecycle states of a workspace, as stored, served by the API and carried in events. */
public enum WorkspaceStatus {
    CREATING, BUILDING_IMAGE, STARTING, RUNNING, STOPPING, STOPPED, FAILED, DELETING;

    /** The lower-case wire name ("running", "building-image"). */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static WorkspaceStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** States in which the workspace holds, or is about to hold, engine resources: they count against the platform cap. */
    public boolean isActive() {
        return this == CREATING || this == BUILDING_IMAGE || this == STARTING || this == RUNNING;
    }
}
