package dev.arcx.common.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The lifecycle events a workspace goes through; the lower-case name is the last token of the NATS subject. */
public enum WorkspaceEventType {
    CREATED, BUILDING_IMAGE, STARTING, RUNNING, STOPPING, STOPPED, FAILED, DELETED;

    @JsonValue
    public String token() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static WorkspaceEventType fromToken(String token) {
        return valueOf(token.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
