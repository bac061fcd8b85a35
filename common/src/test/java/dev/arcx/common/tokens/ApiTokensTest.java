package dev.arcx.common.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ApiTokensTest {
    @Test
    void tokensAreUniqueAndPrefixed() {
        String a = ApiTokens.generate();
        String b = ApiTokens.generate();
        assertNotEquals(a, b);
        assertTrue(ApiTokens.looksLikeApiToken(a));
        assertFalse(ApiTokens.looksLikeApiToken("s1.abc.def"));
        assertTrue(a.length() >= ApiTokens.PREFIX.length() + 43);
    }

    @Test
    void hashIsStableHexSha256AndNeverTheToken() {
        String token = ApiTokens.generate();
        String hash = ApiTokens.hash(token);
        assertEquals(hash, ApiTokens.hash(token));
        assertEquals(64, hash.length());
        assertFalse(hash.contains(token.substring(ApiTokens.PREFIX.length())));
        // Known vector: SHA-256("abc").
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiTokens.hash("abc"));
    }
}
