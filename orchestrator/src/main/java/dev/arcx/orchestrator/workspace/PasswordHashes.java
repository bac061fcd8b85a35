package dev.arcx.orchestrator.workspace;

/**
 * The two hashes of one workspace password: never the password itself.
 *
 * @param bcrypt bcrypt, cost 10: what the API checks a given password against
 * @param argon2 argon2id as a PHC string: what code-server checks its login against (its {@code hashed-password})
 */
public record PasswordHashes(String bcrypt, String argon2) {
    /** Hashes are not secrets, but they have no business in logs either. */
    @Override
    public String toString() {
        return "PasswordHashes[hidden]";
    }
}
