package dev.arcx.orchestrator.dashboard;

import static dev.arcx.orchestrator.testsupport.Api.admin;
import static dev.arcx.orchestrator.testsupport.Api.awaitStatus;
import static dev.arcx.orchestrator.testsupport.Api.createWorkspace;
import static dev.arcx.orchestrator.testsupport.Api.deleteAllWorkspaces;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.Browser;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every dashboard page, in light and dark and at a phone's width, checked by axe-core against WCAG 2.1 A and AA: the
 * problems a keyboard or screen-reader user would meet (names, labels, roles, contrast, landmarks).
 */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
class AccessibilityTest {
    @TestHTTPResource("/")
    URL base;

    @Test
    void everyPageMeetsWcagAaInBothSchemesAndOnAPhone() {
        TestUser user = Api.newUser("pro");
        admin().body(Map.of("admin", true)).patch("/api/admin/users/" + user.id()).then().statusCode(200);
        String team = Api.createTeam(user, "Access " + user.login());
        String workspace = createWorkspace(user, "a11y", "starter", List.of(), team);
        awaitStatus(user, workspace, "running");
        List<String> pages = List.of("/workspaces", "/workspaces/new", "/workspaces/" + workspace, "/teams",
                "/teams/" + team, "/tokens", "/admin/users", "/admin/teams", "/admin/plans", "/admin/invites",
                "/admin/waitlist", "/admin/audit", "/no-such-page");
        List<String> problems = new ArrayList<>();
        try (Browser browser = Browser.open(base)) {
            browser.get("/");
            browser.waitFor("main h1");
            check(browser, "/ (signed out)", problems);
            browser.get("/waitlist");
            browser.waitFor("main h1");
            check(browser, "/waitlist", problems);
            browser.signInAs(user);
            for (String scheme : List.of("light", "dark")) {
                browser.prefer(scheme);
                for (String page : pages) {
                    browser.get(page);
                    browser.waitFor("main h1");
                    check(browser, page + " (" + scheme + ")", problems);
                }
            }
            browser.prefer("light");
            browser.resize(Browser.PHONE);
            for (String page : pages) {
                browser.get(page);
                browser.waitFor("main h1");
                check(browser, page + " (phone)", problems);
            }
        } finally {
            deleteAllWorkspaces(user);
        }
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    private static void check(Browser browser, String page, List<String> problems) {
        browser.accessibilityProblems().forEach(problem -> problems.add(page + ": " + problem));
    }
}
