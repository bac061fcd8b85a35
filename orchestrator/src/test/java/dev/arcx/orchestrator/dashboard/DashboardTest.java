package dev.arcx.orchestrator.dashboard;

import static dev.arcx.orchestrator.testsupport.Api.as;
import static dev.arcx.orchestrator.testsupport.Api.awaitGone;
import static dev.arcx.orchestrator.testsupport.Api.awaitStatus;
import static dev.arcx.orchestrator.testsupport.Api.createWorkspace;
import static dev.arcx.orchestrator.testsupport.Api.deleteAllWorkspaces;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.common.auth.SessionCookies;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.EventStreams;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.Browser;
import dev.arcx.orchestrator.testsupport.TestSessions;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import dev.arcx.testkit.engine.TestEngine;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/** The dashboard in a real headless Chromium, against PostgreSQL, NATS and the Docker engine. */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
class DashboardTest {
    @TestHTTPResource("/")
    URL base;

    @Test
    void aUserCreatesWatchesProtectsStopsAndDeletesAWorkspaceWithoutReloading() {
        TestUser user = Api.newUser("pro");
        String password = null;
        try (Browser browser = Browser.open(base).signInAs(user)) {
            browser.get("/");
            browser.until(() -> browser.path().equals("/workspaces"));
            browser.waitFor("#empty");
            browser.screenshots("workspaces-empty");

            browser.find("a[href='/workspaces/new']").click();
            browser.waitFor("#create");
            browser.find("#name").sendKeys("dash-one");
            // The gpu add-on needs the creator tier: the form says so before anything is sent.
            browser.find("input[name=addon][value=gpu]").click();
            assertTrue(browser.waitFor("#problems li").getText().contains("creator"));
            browser.find("input[name=addon][value=cloud]").click();
            assertEquals("1 CPU · 2560Mi memory · 20 GB disk", browser.find("#totals").getText());
            assertTrue(browser.find("#image").getText().contains("-cloud-gpu:"), browser.find("#image").getText());
            browser.screenshots("create-problem");
            browser.find("#submit").click();
            assertTrue(browser.waitFor("#form-error").getText().contains("Fix the problems"));
            browser.find("input[name=addon][value=gpu]").click();
            assertTrue(browser.all("#problems li").isEmpty());
            browser.screenshots("create");
            browser.find("#submit").click();

            browser.until(() -> browser.path().equals("/workspaces"));
            WebElement badge = browser.waitFor("tr[data-id] .badge");
            String id = browser.find("tr[data-id]").getAttribute("data-id");
            browser.js("window.sameDocument = true");
            browser.until(() -> "running".equals(badge.getText()));
            assertEquals(Boolean.TRUE, browser.js("return window.sameDocument === true"), "no reload happened");
            browser.screenshots("workspaces");

            browser.find("tr[data-id] a").click();
            browser.until(() -> browser.path().equals("/workspaces/" + id));
            browser.until(() -> browser.find("#logs").getText().contains("up"));
            browser.until(() -> browser.find("#cpu").getText().contains("%"));
            browser.screenshots("workspace");

            // Set a password with a generated one.
            browser.find("#password-button").click();
            browser.waitFor("#password-dialog[open]");
            assertEquals("new-password", (String) browser.js("return document.activeElement.id"));
            browser.find("#generate-password").click();
            password = browser.find("#new-password").getAttribute("value");
            assertEquals(12, password.length());
            browser.screenshots("password-dialog");
            browser.find("#password-save").click();
            browser.waitFor("#lock");
            assertTrue(browser.all("#password-dialog[open]").isEmpty());
            Api.get(user, id).statusCode(200).body("passwordProtected", org.hamcrest.Matchers.is(true));

            // The IDE restarts to take the password; the page follows the status by itself.
            browser.until(() -> "running".equals(browser.find("#status").getText()));
            // Stop asks for it: a wrong one is refused readably, the right one stops.
            browser.find("[data-action=stop]").click();
            browser.waitFor("#confirm-password").sendKeys("wrong-password");
            browser.screenshots("stop-prompt");
            browser.find("#confirm-ok").click();
            assertTrue(browser.waitFor("#confirm-error").getText().contains("Wrong workspace password"),
                    browser.find("#confirm-error").getText());
            browser.find("#confirm-password").clear();
            browser.find("#confirm-password").sendKeys(password);
            browser.find("#confirm-ok").click();
            awaitStatus(user, id, "stopped");
            browser.until(() -> "stopped".equals(browser.find("#status").getText()));

            browser.find("[data-action=delete]").click();
            browser.waitFor("#confirm-password").sendKeys(password);
            browser.find("#confirm-ok").click();
            browser.until(() -> browser.path().equals("/workspaces"));
            awaitGone(user, id);
        } finally {
            deleteAllWorkspaces(user, password);
        }
    }

    @Test
    void theWorkspacePageRestartsStartsClonesAndChangesThenRemovesThePassword() {
        TestUser user = Api.newUser("pro");
        String id = createWorkspace(user, "dash-ops", "starter", List.of());
        awaitStatus(user, id, "running");
        try (Browser browser = Browser.open(base).signInAs(user)) {
            browser.get("/workspaces/" + id);
            WebElement status = browser.waitFor("#status");
            browser.until(() -> "running".equals(status.getText()));
            browser.js("window.sameDocument = true");

            // Restart: the badge goes through the restart and back to running, live.
            String before = TestEngine.docker().inspectContainerCmd("arcx-ws-" + id).exec().getState().getStartedAt();
            browser.find("[data-action=restart]").click();
            browser.until(() -> !"running".equals(status.getText()));
            browser.until(() -> "running".equals(status.getText()));
            assertNotEquals(before, TestEngine.docker().inspectContainerCmd("arcx-ws-" + id).exec().getState()
                    .getStartedAt(), "the container was started again");

            // Stop (unprotected: a plain confirmation), then Start; the buttons follow the status.
            browser.find("[data-action=stop]").click();
            browser.waitFor("#confirm-dialog[open]");
            assertFalse(browser.find("#confirm-password").isDisplayed(), "no password field without a password");
            browser.find("#confirm-ok").click();
            browser.until(() -> "stopped".equals(status.getText()));
            assertFalse(browser.find("[data-action=start]").getAttribute("disabled") != null);
            assertTrue(browser.find("[data-action=restart]").getAttribute("disabled") != null);
            browser.find("[data-action=start]").click();
            browser.until(() -> "running".equals(status.getText()));

            // Two clones: listed with links, and the workspace list shows them.
            browser.find("#clone-count").clear();
            browser.find("#clone-count").sendKeys("2");
            browser.find("#clone button[type=submit]").click();
            browser.until(() -> browser.all("#clones li a").size() == 2);
            browser.screenshots("workspace-clones");
            List<String> clones = as(user.token()).get("/api/workspaces").then().extract()
                    .path("findAll { it.clonedFrom == '" + id + "' }.id");
            assertEquals(2, clones.size(), clones.toString());

            // Set a password, change it (the current one is needed), then remove it.
            browser.find("#password-button").click();
            browser.waitFor("#password-dialog[open]");
            browser.find("#new-password").sendKeys("first-secret");
            browser.find("#password-save").click();
            browser.waitFor("#lock");
            browser.until(() -> browser.all("#password-dialog[open]").isEmpty());

            browser.find("#password-button").click();
            browser.waitFor("#password-dialog[open]");
            assertTrue(browser.find("input[name=mode][value=update]").isSelected());
            assertFalse(browser.find("input[name=mode][value=set]").isDisplayed());
            browser.find("#current-password").sendKeys("not-the-one");
            browser.find("#new-password").sendKeys("second-secret");
            browser.find("#password-save").click();
            assertTrue(browser.waitFor("#password-error").getText().contains("Wrong workspace password"),
                    browser.find("#password-error").getText());
            browser.find("#current-password").clear();
            browser.find("#current-password").sendKeys("first-secret");
            browser.find("#password-save").click();
            browser.until(() -> browser.all("#password-dialog[open]").isEmpty());
            // The old password no longer stops it (once the IDE's restart for the new one is over).
            awaitStatus(user, id, "running");
            as(user.token()).body(Map.of("password", "first-secret")).post("/api/workspaces/" + id + "/stop")
                    .then().statusCode(401).body("title", equalTo("Wrong workspace password"));

            browser.find("#password-button").click();
            browser.waitFor("#password-dialog[open]");
            browser.find("input[name=mode][value=remove]").click();
            assertFalse(browser.find("#new-password").isDisplayed(), "removing asks for no new password");
            browser.find("#current-password").sendKeys("second-secret");
            browser.screenshots("password-remove");
            browser.find("#password-save").click();
            browser.until(() -> browser.all("#password-dialog[open]").isEmpty());
            browser.until(() -> !browser.find("#lock").isDisplayed());
            Api.get(user, id).statusCode(200).body("passwordProtected", org.hamcrest.Matchers.is(false));
            assertEquals(Boolean.TRUE, browser.js("return window.sameDocument === true"), "no reload happened");
        } finally {
            // Whichever password a failure left on it, so the failure is what the report shows.
            for (String left : List.of("first-secret", "second-secret")) {
                as(user.token()).body(Map.of("currentPassword", left, "removePassword", true))
                        .put("/api/workspaces/" + id + "/password");
            }
            deleteAllWorkspaces(user);
        }
    }

    @Test
    void anotherUserSeesNeitherTheWorkspaceNorItsEvents() throws Exception {
        TestUser owner = Api.newUser("pro");
        TestUser other = Api.newUser("pro");
        // Not closed with try-with-resources: close() waits for the streams, which never end by themselves.
        HttpClient client = HttpClient.newHttpClient();
        try {
            List<String> ownerEvents = EventStreams.listen(client, base, owner);
            List<String> otherEvents = EventStreams.listen(client, base, other);
            String mine = createWorkspace(owner, "dash-mine", "starter", List.of());
            String theirs = createWorkspace(other, "dash-theirs", "starter", List.of());
            awaitStatus(owner, mine, "running");
            awaitStatus(other, theirs, "running");
            await().atMost(Duration.ofSeconds(30)).until(() -> ownerEvents.stream().anyMatch(
                    e -> e.contains(mine) && e.contains("\"status\":\"running\"")));
            await().atMost(Duration.ofSeconds(30)).until(() -> otherEvents.stream().anyMatch(
                    e -> e.contains(theirs) && e.contains("\"status\":\"running\"")));
            assertTrue(ownerEvents.stream().noneMatch(e -> e.contains(theirs)), ownerEvents.toString());
            assertTrue(otherEvents.stream().noneMatch(e -> e.contains(mine)), otherEvents.toString());

            // Deletion reaches the owner, whose stream showed the workspace, and nobody else.
            Api.deleteWorkspace(owner, mine);
            await().atMost(Duration.ofSeconds(30)).until(() -> ownerEvents.stream().anyMatch(
                    e -> e.contains(mine) && e.contains("\"event\":\"deleted\"")));
            assertTrue(otherEvents.stream().noneMatch(e -> e.contains(mine)), otherEvents.toString());

            try (Browser browser = Browser.open(base).signInAs(other)) {
                browser.get("/workspaces");
                browser.waitFor("tr[data-id='" + theirs + "']");
                assertTrue(browser.all("tr[data-id='" + mine + "']").isEmpty());
                assertFalse(browser.driver().getPageSource().contains("dash-mine"));
            }
        } finally {
            client.shutdownNow();
            deleteAllWorkspaces(owner);
            deleteAllWorkspaces(other);
        }
        given().get("/events/workspaces").then().statusCode(401);
    }

    @Test
    void aTeamWorkspacesLiveStatusReachesEveryMemberAndNoStranger() throws Exception {
        TestUser owner = Api.newUser("pro");
        TestUser member = Api.newUser("pro");
        TestUser stranger = Api.newUser("pro");
        String team = Api.createTeam(owner, "Live " + owner.login());
        Api.joinTeam(team, owner, member);
        HttpClient client = HttpClient.newHttpClient();
        try {
            List<String> memberEvents = EventStreams.listen(client, base, member);
            List<String> strangerEvents = EventStreams.listen(client, base, stranger);
            // The streams are open before the workspace exists: what reaches the member is live, not a listing.
            await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ofMillis(500)).until(() -> true);
            String shared = createWorkspace(owner, "dash-team", "starter", List.of(), team);
            await().atMost(Duration.ofSeconds(30)).until(() -> memberEvents.stream().anyMatch(
                    e -> e.contains(shared) && e.contains("\"status\":\"running\"")));
            assertTrue(strangerEvents.stream().noneMatch(e -> e.contains(shared)), strangerEvents.toString());
        } finally {
            client.shutdownNow();
            deleteAllWorkspaces(owner);
        }
    }

    @Test
    void pagesFitAPhoneAndFollowTheDarkScheme() {
        TestUser user = Api.newUser("pro");
        String id = createWorkspace(user, "dash-phone", "starter", List.of("code-server"));
        try (Browser browser = Browser.open(base)) {
            browser.resize(Browser.PHONE);
            browser.get("/");
            browser.waitFor(".hero");
            assertFalse(browser.scrollsSideways());
            browser.screenshots("phone-landing");
            browser.signInAs(user);
            for (String page : List.of("/workspaces", "/workspaces/new", "/workspaces/" + id)) {
                browser.get(page);
                browser.waitFor("main h1");
                assertFalse(browser.scrollsSideways(), page + " scrolls sideways at 375px");
                browser.screenshots("phone" + (page.equals("/workspaces/" + id) ? "-workspace"
                        : page.replace('/', '-')));
            }
            browser.prefer("dark");
            String background = (String) browser.js("return getComputedStyle(document.body).backgroundColor");
            assertEquals("rgb(30, 30, 30)", background);
            browser.prefer("light");
            assertEquals("rgb(255, 255, 255)", browser.js("return getComputedStyle(document.body).backgroundColor"));
        } finally {
            deleteAllWorkspaces(user);
        }
    }

    @Test
    void dashboardErrorsArePagesAndTheApiKeepsProblems() {
        TestUser user = Api.newUser("pro");
        String session = TestSessions.open(user);
        String unknown = UUID.randomUUID().toString();
        given().cookie(SessionCookies.SESSION, session).get("/workspaces/" + unknown).then().statusCode(404)
                .contentType(containsString("text/html")).header("Content-Security-Policy", containsString("script-src 'self'"))
                .body(containsString("404"), not(containsString("Exception")));
        given().cookie(SessionCookies.SESSION, session).get("/workspaces/not-an-id").then().statusCode(404)
                .contentType(containsString("text/html"));
        as(user.token()).get("/api/workspaces/" + unknown).then().statusCode(404)
                .contentType(containsString("application/problem+json"));
        given().redirects().follow(false).get("/workspaces").then().statusCode(303)
                .header("Location", org.hamcrest.Matchers.endsWith("/"));
        given().redirects().follow(false).cookie(SessionCookies.SESSION, "forged").get("/workspaces/" + unknown)
                .then().statusCode(303);
        given().redirects().follow(false).get("/dashboard").then().statusCode(303)
                .header("Location", org.hamcrest.Matchers.endsWith("/workspaces"));
        given().accept("text/html").get("/no-such-page").then().statusCode(404)
                .contentType(containsString("text/html")).body(containsString("Nothing lives at this address"));
        as(user.token()).get("/api/no-such-thing").then().statusCode(404)
                .contentType(containsString("application/problem+json"));
        given().accept("text/html").get("/assets/dashboard.js").then().statusCode(200);
        given().get("/favicon.svg").then().statusCode(200);
        try (Browser browser = Browser.open(base).signInAs(user)) {
            browser.get("/workspaces/" + unknown);
            assertTrue(browser.waitFor(".error-page").getText().contains("404"));
            browser.screenshots("error-404");
        }
    }

}
