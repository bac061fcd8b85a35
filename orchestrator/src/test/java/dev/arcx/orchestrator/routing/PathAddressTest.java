package dev.arcx.orchestrator.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.orchestrator.routing.EdgeRoutes.PathAddress;
import dev.arcx.orchestrator.routing.EdgeRoutes.RouteAddress;
import io.vertx.core.MultiMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Path-based addresses as parsed, and the rewrites that keep a workspace's answers under its prefix. */
class PathAddressTest {
    @Test
    void pathsNameTheWorkspaceThePortAndWhatTheWorkspaceGets() {
        assertEquals(new PathAddress(new RouteAddress("web", "alice", null), "/@Alice/web", "/static/app.js"),
                EdgeRoutes.parsePath("/@Alice/web/static/app.js").orElseThrow());
        assertEquals(new PathAddress(new RouteAddress("web", "alice", 3000), "/@alice/web/ports/3000", "/"),
                EdgeRoutes.parsePath("/@alice/web/ports/3000/").orElseThrow());
        assertEquals(new PathAddress(new RouteAddress("web", "alice", 3000), "/%40alice/web/ports/3000", null),
                EdgeRoutes.parsePath("/%40alice/web/ports/3000").orElseThrow());
        assertEquals(new PathAddress(new RouteAddress("web", "alice", null), "/@alice/web", null),
                EdgeRoutes.parsePath("/@alice/web").orElseThrow());
        for (String garbage : List.of("/", "/api/workspaces", "/@", "/@alice", "/@alice/", "/@/web/", "/@alice//x",
                "/@alice/Web/", "/@a_b/web/", "/@alice/web/ports", "/@alice/web/ports/", "/@alice/web/ports/0/",
                "/@alice/web/ports/65536/", "/@alice/web/ports/08/", "/@alice/web/ports/x/", "/@" + "a".repeat(64) + "/w/")) {
            assertTrue(EdgeRoutes.parsePath(garbage).isEmpty(), garbage);
        }
        assertEquals("/@alice/web/", EdgeRoutes.idePath("web", "Alice"));
        assertEquals("/@alice/web/ports/8000/", EdgeRoutes.portPath(8000, "web", "Alice"));
    }

    @Test
    void cookiesAndRedirectsOfTheWorkspaceStayUnderItsPrefix() {
        String prefix = "/@alice/web";
        assertEquals("a=1; Path=/@alice/web/", WorkspaceProxy.scopedCookie("a=1; Path=/", prefix));
        assertEquals("a=1; path=/@alice/web/x; Secure", WorkspaceProxy.scopedCookie("a=1; path=/x; Secure", prefix));
        assertEquals("a=1; Path=/@alice/web/x", WorkspaceProxy.scopedCookie("a=1; Path=/@alice/web/x", prefix));
        assertEquals("a=1; HttpOnly", WorkspaceProxy.scopedCookie("a=1; HttpOnly", prefix));
        assertTrue(WorkspaceProxy.setsSession("arc_session=x; Path=/"));
        assertTrue(WorkspaceProxy.setsSession(" arc_session=; Max-Age=0"));
        assertFalse(WorkspaceProxy.setsSession("arc_session_other=x"));

        assertEquals("/@alice/web/login", WorkspaceProxy.underPrefix("/login", prefix, "172.18.0.2:8080"));
        assertEquals("/@alice/web/x", WorkspaceProxy.underPrefix("/@alice/web/x", prefix, "172.18.0.2:8080"));
        assertEquals("./login", WorkspaceProxy.underPrefix("./login", prefix, "172.18.0.2:8080"));
        assertEquals("//cdn.example/x", WorkspaceProxy.underPrefix("//cdn.example/x", prefix, "172.18.0.2:8080"));
        assertEquals("https://example.com/", WorkspaceProxy.underPrefix("https://example.com/", prefix, "1.2.3.4:80"));
        assertEquals("/@alice/web/a?b", WorkspaceProxy.underPrefix("http://172.18.0.2:8080/a?b", prefix,
                "172.18.0.2:8080"));
        assertEquals("/@alice/web/?q", WorkspaceProxy.underPrefix("http://172.18.0.2:8080?q", prefix,
                "172.18.0.2:8080"));
    }

    @Test
    void onlyAWebSocketUpgradeIsTunnelled() {
        assertTrue(WorkspaceProxy.isWebSocketUpgrade(MultiMap.caseInsensitiveMultiMap()
                .add("Upgrade", "WebSocket").add("Connection", "keep-alive, Upgrade")));
        assertFalse(WorkspaceProxy.isWebSocketUpgrade(MultiMap.caseInsensitiveMultiMap()
                .add("Upgrade", "h2c").add("Connection", "Upgrade, HTTP2-Settings")));
        assertFalse(WorkspaceProxy.isWebSocketUpgrade(MultiMap.caseInsensitiveMultiMap().add("Upgrade", "websocket")));
    }
}
