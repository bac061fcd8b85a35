package dev.arcx.orchestrator.dashboard;

import static dev.arcx.orchestrator.testsupport.Api.admin;
import static dev.arcx.orchestrator.testsupport.Api.deleteAllWorkspaces;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.Browser;
import dev.arcx.orchestrator.testsupport.FakeGitHubResource;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import dev.arcx.testkit.fakes.FakeGitHub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/**
 * Signing in as people do, in Chromium, through the real quarkus-oidc code flow against the fake GitHub: with an
 * invitation's link, onto the waitlist and in once approved, and refused readably while suspended. Invite mode, the
 * default.
 */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
@QuarkusTestResource(FakeGitHubResource.class)
class SignInBrowserTest {
    @TestHTTPResource("/")
    URL base;

    @Test
    void anInvitationsLinkSignsInThroughGitHubThenAWorkspaceIsCreatedAndRunsLive() {
        FakeGitHub.Account account = FakeGitHubResource.github().newAccount(login("invited"), "Invited Person");
        String invite = admin().body(Map.of("maxUses", 1)).post("/api/admin/invites").then().statusCode(201)
                .extract().path("code");
        FakeGitHubResource.github().signIn(account);
        try (Browser browser = Browser.open(base)) {
            browser.get("/?invite=" + invite);
            assertTrue(browser.waitFor("#invite-note").getText().contains(invite));
            browser.screenshots("landing-invited");
            browser.find("#github-signin").click();
            browser.until(() -> browser.path().equals("/workspaces"));
            assertEquals(account.login(), browser.find(".account .who").getText());
            browser.screenshots("signed-in");

            // A workspace from the form, watched to running without a reload.
            browser.find("a[href='/workspaces/new']").click();
            browser.waitFor("#name").sendKeys("first");
            browser.find("#submit").click();
            browser.until(() -> browser.path().equals("/workspaces"));
            browser.js("window.sameDocument = true");
            WebElement badge = browser.waitFor("tr[data-id] .badge");
            browser.until(() -> "running".equals(badge.getText()));
            assertEquals(Boolean.TRUE, browser.js("return window.sameDocument === true"));

            // Signing out ends the session: the landing page again, and the API says no.
            browser.find(".account button").click();
            browser.until(() -> browser.path().equals("/"));
            browser.waitFor("#github-signin");
            browser.get("/workspaces");
            browser.until(() -> browser.path().equals("/"));
        } finally {
            String userId = admin().get("/api/admin/users?q=" + account.login()).then().extract()
                    .path("items[0].id");
            if (userId != null) {
                deleteAllWorkspaces(new TestUser(UUID.fromString(userId), account.login(), admin()
                        .post("/api/admin/users/" + userId + "/tokens").then().extract().path("token")));
            }
        }
    }

    @Test
    void someoneNewWithoutAnInviteWaitsThenGetsInOnceApprovedAndASuspendedUserReadsWhy() {
        FakeGitHub.Account account = FakeGitHubResource.github().newAccount(login("hopeful"), null);
        FakeGitHubResource.github().signIn(account);
        try (Browser browser = Browser.open(base)) {
            browser.get("/");
            assertTrue(browser.waitFor("#invite-form").isDisplayed(), "invite mode offers a field for a code");
            browser.find("#github-signin").click();
            browser.until(() -> browser.path().equals("/waitlist"));
            assertEquals("You are on the waitlist", browser.find("main h1").getText());
            browser.screenshots("waitlisted");
            assertTrue(browser.all(".account").isEmpty(), "not signed in");

            // An administrator lets them in; their next sign-in redeems the invitation by itself.
            String entry = admin().get("/api/admin/waitlist").then().extract()
                    .path("find { it.login == '" + account.login() + "' }.id");
            admin().post("/api/admin/waitlist/" + entry + "/approve").then().statusCode(200);
            browser.find("a[href='/auth/github']").click();
            browser.until(() -> browser.path().equals("/workspaces"));

            // Suspended, the sign-in is refused with the reason, as a page.
            String userId = admin().get("/api/admin/users?q=" + account.login()).then().extract()
                    .path("items[0].id");
            admin().body(Map.of("reason", "spam reports")).post("/api/admin/users/" + userId + "/suspend").then()
                    .statusCode(200);
            browser.get("/workspaces");
            browser.until(() -> browser.path().equals("/"));
            browser.find("#github-signin").click();
            WebElement refusal = browser.waitFor(".error-page");
            assertTrue(refusal.getText().contains("spam reports"), refusal.getText());
            assertFalse(browser.driver().getPageSource().contains("\"status\""), "a page, not problem+json");
            browser.screenshots("signin-suspended");
            admin().post("/api/admin/users/" + userId + "/unsuspend").then().statusCode(200);
        }
    }

    @Test
    void aMalformedInviteCodeIsAReadablePage() {
        try (Browser browser = Browser.open(base)) {
            browser.get("/auth/github?invite=" + "x".repeat(70));
            assertTrue(browser.waitFor(".error-page").getText().contains("invite code"));
            // The link's code is not carried on when it could not be one.
            browser.get("/?invite=%3Cscript%3E");
            browser.waitFor("#github-signin");
            assertEquals(List.of(), browser.all("#invite-note"));
            assertEquals("/auth/github", java.net.URI.create(browser.find("#github-signin").getAttribute("href"))
                    .getPath());
        }
    }

    private static String login(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    }
}
