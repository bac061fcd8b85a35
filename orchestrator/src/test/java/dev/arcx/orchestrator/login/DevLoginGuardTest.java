package dev.arcx.orchestrator.login;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The development sign-in never runs in the prod profile: startup fails, saying why. */
class DevLoginGuardTest {
    @Test
    void theProdProfileRefusesTheDevelopmentSignIn() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> DevLoginGuard.refuseInProd(true, List.of("prod")));
        assertTrue(refused.getMessage().contains("ARCX_DEV_LOGIN"), refused.getMessage());
        assertDoesNotThrow(() -> DevLoginGuard.refuseInProd(false, List.of("prod")));
        assertDoesNotThrow(() -> DevLoginGuard.refuseInProd(true, List.of("local")));
        assertDoesNotThrow(() -> DevLoginGuard.refuseInProd(true, List.of("test")));
    }
}
