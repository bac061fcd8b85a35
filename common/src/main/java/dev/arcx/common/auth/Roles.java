package dev.arcx.common.auth;

/** The two kinds of caller. */
public final class Roles {
    /** The platform administrator, authenticated by {@code ARC_ADMIN_TOKEN}. */
    public static final String ADMIN = "admin";
    /** A user, by personal API token or session token; the principal's name is the user id. */
    public static final String USER = "user";

    private Roles() {
    }
}
