package dev.arcx.orchestrator.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The hashes' formats, checked against values from the reference implementations. */
class PasswordHashingTest {

    @Test
    void argon2idMatchesTheReferenceImplementationsPhcString() {
        // From the reference CLI (Debian's argon2): echo -n "correct horse" | argon2 saltsaltsaltsalt -id -t 2
        // -k 19456 -p 1 -l 32 -e. code-server's argon2 module is built on the same reference code.
        assertEquals("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$AdweBLwcflnNX2HVW8i1Mtu7frrn4Ki7h/rYSGuU7Is",
                PasswordHashing.argon2id("correct horse", "saltsaltsaltsalt".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void bcryptHasCostTenAFreshSaltAndChecksOnlyTheRightPassword() {
        PasswordHashes first = PasswordHashing.hash("right-password");
        PasswordHashes second = PasswordHashing.hash("right-password");
        assertTrue(first.bcrypt().startsWith("$2b$10$"), first.bcrypt());
        assertNotEquals(first.bcrypt(), second.bcrypt(), "a fresh salt each time");
        assertNotEquals(first.argon2(), second.argon2());
        assertTrue(PasswordHashing.matches("right-password", first.bcrypt()));
        assertFalse(PasswordHashing.matches("wrong-password", first.bcrypt()));
        assertFalse(PasswordHashing.matches("right-passwor", first.bcrypt()));
        assertTrue(ArgonCheck.verifies("right-password", first.argon2()));
        assertFalse(ArgonCheck.verifies("wrong-password", first.argon2()));
        assertFalse(first.toString().contains("$2b$"), "hashes stay out of logs");
    }

    @Test
    void theLengthRuleCountsCharactersAndKeepsWithinBcryptsBytes() {
        assertTrue(WorkspacePasswords.problem("p", "1234567").isPresent());
        assertTrue(WorkspacePasswords.problem("p", "12345678").isEmpty());
        assertTrue(WorkspacePasswords.problem("p", "x".repeat(50)).isEmpty());
        assertTrue(WorkspacePasswords.problem("p", "x".repeat(51)).isPresent());
        assertTrue(WorkspacePasswords.problem("p", null).isPresent());
        assertTrue(WorkspacePasswords.problem("p", "\uD83D\uDD12".repeat(8)).isEmpty(), "8 characters, 32 bytes");
        assertTrue(WorkspacePasswords.problem("p", "\uD83D\uDD12".repeat(19)).get().contains("72 bytes"));
    }

    /** Verifies a PHC string by recomputing it from its own salt: what code-server does with the file's hash. */
    static final class ArgonCheck {
        static boolean verifies(String password, String phc) {
            String[] parts = phc.split("\\$");
            assertEquals("argon2id", parts[1]);
            assertEquals("v=19", parts[2]);
            assertEquals("m=19456,t=2,p=1", parts[3]);
            assertFalse(parts[4].endsWith("=") || parts[5].endsWith("="), "unpadded base64");
            byte[] salt = Base64.getDecoder().decode(parts[4]);
            return PasswordHashing.argon2id(password, salt).equals(phc);
        }
    }
}
