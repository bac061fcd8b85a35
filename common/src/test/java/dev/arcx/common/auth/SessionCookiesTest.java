package dev.arcx.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SessionCookiesTest {
    @Test
    void csrfTokenIsStablePerSessionAndDiffersBetweenSessions() {
        assertEquals(SessionCookies.csrfToken("s1.a.b"), SessionCookies.csrfToken("s1.a.b"));
        assertNotEquals(SessionCookies.csrfToken("s1.a.b"), SessionCookies.csrfToken("s1.a.c"));
        assertFalse(SessionCookies.csrfToken("s1.a.b").contains("s1.a.b"));
        assertTrue(SessionCookies.csrfMatches("s1.a.b", SessionCookies.csrfToken("s1.a.b")));
        assertFalse(SessionCookies.csrfMatches("s1.a.b", SessionCookies.csrfToken("s1.a.c")));
        assertFalse(SessionCookies.csrfMatches("s1.a.b", null));
        assertFalse(SessionCookies.csrfMatches("s1.a.b", ""));
    }

    @Test
    void sameOriginComparesHostAndPortOfOriginOrReferer() {
        assertTrue(CsrfGuard.sameOrigin("http://localhost:3000", null, "localhost:3000"));
        assertTrue(CsrfGuard.sameOrigin("https://arcx.run", null, "arcx.run"));
        assertTrue(CsrfGuard.sameOrigin("https://ARCX.run", null, "arcx.run:443"));
        assertTrue(CsrfGuard.sameOrigin(null, "https://arcx.run/dashboard?x=1", "arcx.run"));
        assertTrue(CsrfGuard.sameOrigin("null", "https://arcx.run/dashboard", "arcx.run"));
        assertFalse(CsrfGuard.sameOrigin("https://evil.example", null, "arcx.run"));
        // A workspace's host is another origin, though under the same site.
        assertFalse(CsrfGuard.sameOrigin("https://app--alice.arcx.run", null, "arcx.run"));
        assertFalse(CsrfGuard.sameOrigin("http://localhost:3001", null, "localhost:3000"));
        assertFalse(CsrfGuard.sameOrigin("https://arcx.run.evil.example", null, "arcx.run"));
        assertFalse(CsrfGuard.sameOrigin(null, null, "arcx.run"));
        assertFalse(CsrfGuard.sameOrigin("null", null, "arcx.run"));
        assertFalse(CsrfGuard.sameOrigin("not a url", null, "arcx.run"));
        assertFalse(CsrfGuard.sameOrigin("https://arcx.run", null, null));
    }
}
