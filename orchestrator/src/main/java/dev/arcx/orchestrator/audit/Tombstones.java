package dev.arcx.orchestrator.audit;

import dev.arcx.common.tokens.ApiTokens;
import java.util.UUID;

/**
 * What the audit log calls an erased user: {@code deleted-user-<12 hex of SHA-256 of the id>}, stable for one id, so
 * every entry by or about them, before and after the erasure, names the same tombstone. It is also the erased
 * user's login, which is how later entries about their leftovers (a workspace's removal) recognise them.
 */
public final class Tombstones {
    private static final String PREFIX = "deleted-user-";

    private Tombstones() {
    }

    public static String of(UUID userId) {
        return PREFIX + ApiTokens.hash(userId.toString()).substring(0, 12);
    }

    /** The user's id for an entry's details, or their tombstone once they are erased ({@code login} is theirs). */
    public static String userRef(UUID userId, String login) {
        return login != null && login.equals(of(userId)) ? login : userId.toString();
    }
}
