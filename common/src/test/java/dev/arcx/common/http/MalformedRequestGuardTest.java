package dev.arcx.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class MalformedRequestGuardTest {

    @Test
    void aNulAnywhereInTheTargetOrAPathThatIsNotUtf8IsRefused() {
        assertNotNull(MalformedRequestGuard.problem("/api/flavors/%00", null));
        assertNotNull(MalformedRequestGuard.problem("/api/resource-tiers/a%00b", null));
        assertNotNull(MalformedRequestGuard.problem("/api/flavors", "q=a%00"));
        assertNotNull(MalformedRequestGuard.problem("/api/flavors/%ED%A0%80", null));
        assertNotNull(MalformedRequestGuard.problem("/api/flavors/%FF", null));
        assertNotNull(MalformedRequestGuard.problem("/api/flavors/%zz", null));
    }

    @Test
    void aContentTypeMustBeAMediaType() {
        assertNotNull(MalformedRequestGuard.contentTypeProblem(";;;"));
        assertNotNull(MalformedRequestGuard.contentTypeProblem("json"));
        assertNull(MalformedRequestGuard.contentTypeProblem("application/json; charset=utf-8"));
        assertNull(MalformedRequestGuard.contentTypeProblem(null));
    }

    @Test
    void ordinaryTargetsPass() {
        assertNull(MalformedRequestGuard.problem("/api/flavors/js", "q=%C3%9F&x=%2500"));
        assertNull(MalformedRequestGuard.problem("/@octo/ws/caf%C3%A9%20menu", "a=%FF"));
        assertEquals(null, MalformedRequestGuard.problem("/", null));
    }
}
