package dev.arcx.orchestrator.routing;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** Who may reach a forwarded port through the edge proxy. */
public enum PortShare {
    /** Only the workspace's owner (the default, and the IDE's only level). */
    OWNER("owner"),
    /** Any signed-in user of the platform. */
    AUTHENTICATED("authenticated"),
    /** Anyone, signed in or not. */
    PUBLIC("public");

    private final String wireName;

    PortShare(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public static Optional<PortShare> fromWire(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
    }
}
