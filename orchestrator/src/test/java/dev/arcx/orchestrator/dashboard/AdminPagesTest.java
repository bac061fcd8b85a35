package dev.arcx.orchestrator.dashboard;

import static dev.arcx.orchestrator.testsupport.Api.admin;
import static dev.arcx.orchestrator.testsupport.Api.as;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.common.auth.SessionCookies;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.Browser;
import dev.arcx.orchestrator.testsupport.TestSessions;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The admin pages in a real headless Chromium: an administrator among users finds, suspends (a real running workspace
 * stops, the user's session ends) and unsuspends a user; invites, plans, waitlist and the audit log with its filters
 * and paging; nobody else learns that the pages exist.
 */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
class AdminPagesTest {
    private static final String USERS = "/api/admin/users/";
    private static final List<String> PAGES = List.of("users", "teams", "plans", "invites", "waitlist", "audit");

    @TestHTTPResource("/")
    URL base;

    @Inject
    Pool pool;

    @Test
    void anAdministratorSuspendsAUserWhoseWorkspaceStopsAndSessionEnds() {
        String tag = "adm" + UUID.randomUUID().toString().substring(0, 6);
        TestUser boss = Api.newUser(tag + "-boss", "free");
        admin().body(Map.of("admin", true)).patch(USERS + boss.id()).then().statusCode(200);
        TestUser user = Api.newUser(tag + "-u", "pro");
        Api.newUser(tag + "-v", "free");
        Api.newUser(tag + "-w", "free");
        String workspace = Api.createWorkspace(user, "adm-busy", "starter", List.of());
        String userSession = TestSessions.open(user);
        try (Browser browser = Browser.open(base).signInAs(boss);
                Browser theirs = Browser.open(base).withSession(userSession)) {
            Api.awaitStatus(user, workspace, "running");
            theirs.get("/workspaces");
            theirs.waitFor("tr[data-id]");
            assertEquals("/workspaces", theirs.path());

            browser.get("/admin");
            browser.until(() -> browser.path().equals("/admin/users"));
            assertEquals("page", browser.find(".titlebar a[href='/admin']").getAttribute("aria-current"));
            assertEquals("page", browser.find(".subnav a[href='/admin/users']").getAttribute("aria-current"));

            // Search, then page through the four users of this test two at a time.
            browser.find("#q").sendKeys(tag);
            browser.find("#filters button[type=submit]").click();
            browser.until(() -> browser.path().contains("q=" + tag));
            assertEquals(4, browser.all("#users tbody tr").size());
            browser.get("/admin/users?q=" + tag + "&limit=2");
            assertEquals("1–2 of 4", browser.find("#paging-summary").getText());
            List<String> first = logins(browser);
            browser.find("#next").click();
            browser.until(() -> browser.find("#paging-summary").getText().equals("3–4 of 4"));
            List<String> second = logins(browser);
            assertEquals(2, second.size());
            assertTrue(second.stream().noneMatch(first::contains), first + " / " + second);
            assertTrue(browser.all("#next").isEmpty());
            browser.find("#previous").click();
            browser.until(() -> browser.find("#paging-summary").getText().equals("1–2 of 4"));

            // The plan and admin role change in place.
            browser.get("/admin/users?q=" + user.login());
            WebElement row = browser.waitFor("tr[data-login='" + user.login() + "']");
            new Select(row.findElement(By.cssSelector("select[name=plan]"))).selectByValue("team");
            row.findElement(By.cssSelector(".plan-form button")).click();
            browser.until(() -> browser.find("#admin-status").getText().contains("Team plan"));
            admin().get(USERS + user.id()).then().body("plan", equalTo("team"));
            browser.find("tr[data-login='" + user.login() + "'] [data-action=admin]").click();
            browser.until(() -> "yes".equals(browser.find("tr[data-login='" + user.login() + "'] .admin-state").getText()));
            browser.find("tr[data-login='" + user.login() + "'] [data-action=admin]").click();
            browser.until(() -> "no".equals(browser.find("tr[data-login='" + user.login() + "'] .admin-state").getText()));
            admin().get(USERS + user.id()).then().body("admin", equalTo(false));
            browser.screenshots("admin-users");

            // Suspension asks for a reason in a dialog.
            browser.find("tr[data-login='" + user.login() + "'] [data-action=suspend]").click();
            browser.waitFor("#suspend-dialog[open]");
            assertEquals("suspend-reason", (String) browser.js("return document.activeElement.id"));
            browser.find("#suspend-reason").sendKeys("abuse report 7");
            browser.screenshots("admin-suspend-dialog");
            browser.find("#suspend-ok").click();
            browser.until(() -> browser.all("#suspend-dialog[open]").isEmpty());
            String state = "tr[data-login='" + user.login() + "'] .state";
            browser.until(() -> "suspended".equals(browser.find(state).getText()));
            assertTrue(browser.find("tr[data-login='" + user.login() + "'] .suspension").getText()
                    .contains("abuse report 7"));

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> "stopped".equals(status(workspace)));
            given().cookie(SessionCookies.SESSION, userSession).get("/api/workspaces").then().statusCode(401);
            theirs.get("/workspaces");
            theirs.until(() -> theirs.path().equals("/"));

            // Nobody suspends themselves: the API's refusal, as a sentence in the dialog.
            browser.get("/admin/users?q=" + boss.login());
            browser.waitFor("tr[data-login='" + boss.login() + "'] [data-action=suspend]").click();
            browser.waitFor("#suspend-reason").sendKeys("testing");
            browser.find("#suspend-ok").click();
            String refusal = browser.waitFor("#suspend-error").getText();
            assertTrue(refusal.contains("You cannot suspend yourself"), refusal);
            assertFalse(refusal.contains("{"), refusal);
            browser.find("#suspend-dialog [data-close]").click();
            admin().get(USERS + boss.id()).then().body("suspendedAt", nullValue());

            browser.get("/admin/users?q=" + user.login() + "&suspended=true");
            browser.waitFor("tr[data-login='" + user.login() + "'] [data-action=unsuspend]").click();
            browser.until(() -> "active".equals(browser.find(state).getText()));
            admin().get(USERS + user.id()).then().body("suspendedAt", nullValue());
            Api.get(user, workspace).statusCode(200).body("status", equalTo("stopped"));

            // The audit log: the suspension is there, a filter narrows to it, paging moves.
            browser.get("/admin/audit");
            browser.waitFor("#audit tbody tr");
            assertTrue(browser.find("#audit").getText().contains("admin.user.suspend"));
            browser.screenshots("admin-audit");
            browser.find("#action").sendKeys("admin.user.suspend");
            browser.find("#targetId").sendKeys(user.id().toString());
            browser.find("#filters button[type=submit]").click();
            browser.until(() -> browser.path().contains("action=admin.user.suspend"));
            assertEquals(1, browser.all("#audit tbody tr").size());
            assertTrue(browser.find("#audit tbody tr").getText().contains("abuse report 7"));
            // The actor by login, linked to the filter by its id (the log keeps ids: logins can change).
            WebElement actor = browser.find("#audit tbody tr td[data-label=Actor] a");
            assertEquals(boss.login(), actor.getText());
            assertTrue(actor.getAttribute("href").endsWith("actor=" + boss.id()), actor.getAttribute("href"));

            browser.get("/admin/audit?targetId=" + user.id() + "&limit=1");
            String newest = browser.find("#audit tbody tr").getText();
            browser.find("#next").click();
            browser.until(() -> browser.path().contains("cursor="));
            String older = browser.find("#audit tbody tr").getText();
            assertNotEquals(newest, older);
            browser.find("#previous").click();
            browser.until(() -> !browser.path().contains("cursor="));
            assertEquals(newest, browser.find("#audit tbody tr").getText());

            // Bad filters are readable error pages.
            browser.get("/admin/users?limit=lots");
            assertTrue(browser.waitFor(".error-page").getText().contains("limit must be a whole number"),
                    browser.find(".error-page").getText());
            browser.get("/admin/audit?from=yesterday");
            assertTrue(browser.waitFor(".error-page").getText().contains("from must be an ISO-8601 instant"),
                    browser.find(".error-page").getText());
            browser.screenshots("admin-error");
        } finally {
            admin().post(USERS + user.id() + "/unsuspend").then().statusCode(200);
            Api.deleteAllWorkspaces(user);
        }
    }

    @Test
    void invitesPlansAndWaitlistAndEveryPageFitsAPhone() {
        TestUser boss = Api.newUser("free");
        admin().body(Map.of("admin", true)).patch(USERS + boss.id()).then().statusCode(200);
        String code = "adm-" + UUID.randomUUID().toString().substring(0, 8);
        try (Browser browser = Browser.open(base).signInAs(boss)) {
            browser.get("/admin/invites");
            browser.waitFor("#invite-code").sendKeys(code);
            WebElement uses = browser.find("#invite-uses");
            uses.clear();
            uses.sendKeys("3");
            browser.find("#invite-note").sendKeys("for the admin pages test");
            browser.find("#invite-create").click();
            String row = "tr[data-code='" + code + "']";
            assertEquals("active", browser.waitFor(row + " .badge").getText());
            assertTrue(browser.find(row).getText().contains("0 of 3"), browser.find(row).getText());
            assertTrue(browser.find("#invite-created").getText().contains(code));
            browser.screenshots("admin-invites");
            browser.find(row + " [data-action=revoke]").click();
            // Revoking asks first: cancelling keeps the code, OK revokes it.
            browser.waitFor("#confirm-dialog[open]");
            browser.find("#confirm-dialog [data-close]").click();
            assertEquals("active", browser.find(row + " .badge").getText());
            browser.find(row + " [data-action=revoke]").click();
            browser.waitFor("#confirm-dialog[open]");
            browser.find("#confirm-ok").click();
            browser.until(() -> "revoked".equals(browser.find(row + " .badge").getText()));
            assertTrue(browser.all(row + " [data-action=revoke]").isEmpty());
            admin().get("/api/admin/invites").then().body("find { it.code == '" + code + "' }.status",
                    equalTo("revoked"));
            // A code the API refuses: its message, not JSON.
            browser.find("#invite-code").sendKeys(code);
            browser.find("#invite-create").click();
            String refusal = browser.waitFor("#admin-error").getText();
            assertFalse(refusal.isBlank() || refusal.contains("{"), refusal);

            browser.get("/admin/plans");
            assertEquals("20", browser.waitFor("tr[data-id=team] .max-workspaces").getText());
            assertEquals("1", browser.find("tr[data-id=free] .max-workspaces").getText());
            assertTrue(browser.find("tr[data-id=free]").getText().contains("5/min"), browser.find("tr[data-id=free]")
                    .getText());
            browser.screenshots("admin-plans");

            // A team's plan, moved on the teams page.
            TestUser owner = Api.newUser("pro");
            String team = Api.createTeam(owner, "Plan crew " + owner.login());
            browser.get("/admin/teams");
            String teamRow = "tr[data-id='" + team + "']";
            browser.waitFor(teamRow);
            new org.openqa.selenium.support.ui.Select(browser.find(teamRow + " select[name=plan]")).selectByValue("pro");
            browser.find(teamRow + " .plan-form button").click();
            browser.until(() -> browser.find("#admin-status").getText().contains("is now on the Pro plan"));
            as(owner.token()).get("/api/teams/" + team).then().body("planId", equalTo("pro"));
            browser.screenshots("admin-teams");

            // Someone waiting (as a sign-in without an invite leaves them), approved on the waitlist page.
            UUID waiting = UUID.randomUUID();
            String waiter = "waiter-" + waiting.toString().substring(0, 6);
            pool.preparedQuery("INSERT INTO waitlist (id, github_id, login, reason) VALUES ($1, $2, $3, 'no invite')")
                    .executeAndAwait(Tuple.of(waiting, Math.abs(waiting.getMostSignificantBits()), waiter));
            browser.get("/admin/waitlist");
            String waitRow = "tr[data-id='" + waiting + "']";
            browser.waitFor(waitRow + " [data-action=approve]").click();
            browser.until(() -> browser.find(waitRow + " .approval").getText().startsWith("approved: invite "));
            String granted = browser.find(waitRow + " .approval code").getText();
            admin().get("/api/admin/invites").then().body("find { it.code == '" + granted + "' }.maxUses", equalTo(1));
            browser.screenshots("admin-waitlist");

            browser.resize(Browser.PHONE);
            for (String page : PAGES) {
                browser.get("/admin/" + page);
                browser.waitFor("h1");
                assertFalse(browser.scrollsSideways(), page + " scrolls sideways at 375px");
            }
            browser.get("/admin/users");
            browser.screenshots("admin-users-phone");
        }
    }

    @Test
    void nobodyButAnAdministratorLearnsThePagesExist() {
        TestUser user = Api.newUser("pro");
        String session = TestSessions.open(user);
        for (String page : PAGES) {
            given().cookie(SessionCookies.SESSION, session).get("/admin/" + page).then().statusCode(404)
                    .contentType(containsString("text/html")).body(containsString("Nothing lives at this address"));
            given().get("/admin/" + page).then().statusCode(404).body(not(containsString("admin")));
        }
        given().cookie(SessionCookies.SESSION, session).redirects().follow(false).get("/admin").then().statusCode(404);
        given().redirects().follow(false).get("/admin").then().statusCode(404);
        try (Browser browser = Browser.open(base).signInAs(user)) {
            browser.get("/workspaces");
            browser.waitFor(".titlebar nav");
            assertTrue(browser.all("a[href='/admin']").isEmpty());
            browser.get("/admin/users");
            assertTrue(browser.waitFor(".error-page").getText().contains("404"));
            assertTrue(browser.all("a[href='/admin']").isEmpty());
        }
    }

    private static List<String> logins(Browser browser) {
        return browser.all("#users tbody tr").stream().map(r -> r.getAttribute("data-login")).toList();
    }

    private String status(String workspace) {
        return pool.preparedQuery("SELECT status FROM workspaces WHERE id = $1")
                .executeAndAwait(Tuple.of(UUID.fromString(workspace))).iterator().next().getString("status");
    }
}
