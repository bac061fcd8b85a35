package dev.arcx.orchestrator.dashboard;

import static dev.arcx.orchestrator.testsupport.Api.as;
import static dev.arcx.orchestrator.testsupport.Api.deleteAllWorkspaces;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.Browser;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** The Teams, team and API tokens pages in a real headless Chromium, against the JSON API they call. */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
class TeamPagesTest {
    @TestHTTPResource("/")
    URL base;

    @Test
    void anOwnerInvitesAMemberWhoUsesTheTeamWorkspaceWhileAStrangerFindsNothing() {
        TestUser owner = Api.newUser("pro");
        TestUser member = Api.newUser("free");
        TestUser stranger = Api.newUser("free");
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String teamName = "Builders " + suffix;
        String workspaceName = "team-ws-" + suffix;
        String teamId = null;
        try (Browser a = Browser.open(base).signInAs(owner); Browser b = Browser.open(base).signInAs(member);
                Browser c = Browser.open(base).signInAs(stranger)) {
            a.get("/teams");
            a.waitFor("#empty");
            a.screenshots("teams-empty");
            // Problems are sentences, never the API's JSON.
            a.find("#create-team-submit").click();
            assertTrue(a.waitFor("#create-error").getText().contains("Give the team a name"));
            a.find("#team-name").sendKeys(teamName);
            a.find("#create-team-submit").click();
            a.until(() -> a.path().startsWith("/teams/"));
            teamId = a.path().substring("/teams/".length());
            assertEquals(teamName, a.waitFor("main h1").getText());

            a.find("#invite-login").sendKeys(member.login());
            a.find("#invite-submit").click();
            a.waitFor("#pending [data-invite]");
            assertTrue(a.find("#pending").getText().contains(member.login()));
            assertTrue(a.find("#announce").getAttribute("textContent").contains("Invited " + member.login()));
            a.find("#invite-login").sendKeys(member.login());
            a.find("#invite-submit").click();
            String twice = a.waitFor("#invite-error").getText();
            assertTrue(twice.contains("already invited"), twice);
            assertFalse(twice.contains("{"), twice);

            b.get("/teams");
            b.waitFor("[data-accept]");
            assertTrue(b.find("#invitations").getText().contains(teamName));
            b.screenshots("teams-invited");
            b.find("[data-accept]").click();
            String team = teamId;
            b.until(() -> b.path().equals("/teams/" + team));
            assertTrue(b.waitFor("#members").getText().contains(owner.login()));
            assertTrue(b.all("#invite").isEmpty(), "members do not invite");
            assertTrue(b.all("#delete-team").isEmpty(), "members do not delete the team");
            b.get("/teams");
            assertTrue(b.waitFor("#teams tr[data-id='" + teamId + "']").getText().contains("member"));
            assertTrue(b.all("#invitations").stream().noneMatch(WebElement::isDisplayed), "no invitation left");

            // The owner makes the member an owner and back, with the role select.
            a.get("/teams/" + teamId);
            new Select(a.waitFor("select.role[data-user='" + member.id() + "']")).selectByValue("owner");
            a.until(() -> a.find("#announce").getAttribute("textContent").contains("is now an owner"));
            as(owner.token()).get("/api/teams/" + teamId).then().statusCode(200)
                    .body("members.find { it.login == '" + member.login() + "' }.role", is("owner"));
            new Select(a.find("select.role[data-user='" + member.id() + "']")).selectByValue("member");
            a.until(() -> a.find("#announce").getAttribute("textContent").contains("is now a member"));

            // A team workspace from the dashboard's form: the team page's link chooses the team as its owner.
            a.find("a[href='/workspaces/new?team=" + teamId + "']").click();
            a.waitFor("#owner-field");
            assertEquals(teamId, new Select(a.find("#owner")).getFirstSelectedOption().getAttribute("value"));
            a.screenshots("create-team-owner");
            a.find("#name").sendKeys(workspaceName);
            a.find("#submit").click();
            a.until(() -> a.path().equals("/workspaces"));
            String workspaceId = as(owner.token()).get("/api/workspaces").then().statusCode(200).extract().jsonPath()
                    .getString("find { it.name == '" + workspaceName + "' }.id");
            assertEquals(teamId, as(owner.token()).get("/api/workspaces/" + workspaceId).then().extract()
                    .path("teamId"));

            b.get("/workspaces");
            b.waitFor("tr[data-id='" + workspaceId + "'] a").click();
            b.until(() -> b.path().equals("/workspaces/" + workspaceId));
            assertTrue(b.waitFor("main h1").getText().contains(workspaceName));

            c.get("/workspaces");
            c.waitFor("main h1");
            assertTrue(c.all("tr[data-id='" + workspaceId + "']").isEmpty());
            assertFalse(c.driver().getPageSource().contains(workspaceName));
            c.get("/workspaces/" + workspaceId);
            assertTrue(c.waitFor(".error-page").getText().contains("404"));
            c.get("/teams/" + teamId);
            assertTrue(c.waitFor(".error-page").getText().contains("404"));
            assertFalse(c.driver().getPageSource().contains(teamName));
            c.screenshots("team-404");
            c.get("/teams/not-a-team");
            assertTrue(c.waitFor(".error-page").getText().contains("404"));

            // The team's page lists its workspace; deleting the team while it has one is refused readably.
            a.get("/teams/" + teamId);
            a.waitFor("#team-workspaces a[href='/workspaces/" + workspaceId + "']");
            a.screenshots("team-owner");
            a.find("#delete-team").click();
            a.waitFor("#confirm-dialog[open]");
            a.find("#confirm-ok").click();
            String refused = a.waitFor("#confirm-error").getText();
            assertTrue(refused.toLowerCase().contains("delete them first"), refused);
            assertFalse(refused.contains("{"), refused);
            a.screenshots("team-delete-refused");
            a.find("#confirm-dialog [data-close]").click();

            // The owner renames the team in place; a member has no rename form.
            a.find("#rename-name").clear();
            a.find("#rename-submit").click();
            assertTrue(a.waitFor("#rename-error").getText().contains("1-40 characters"),
                    a.find("#rename-error").getText());
            a.find("#rename-name").sendKeys("Renamed crew");
            a.find("#rename-submit").click();
            a.until(() -> "Renamed crew".equals(a.find("#team h1").getText()));
            as(owner.token()).get("/api/teams/" + teamId).then().body("name", org.hamcrest.Matchers.equalTo(
                    "Renamed crew"));

            b.get("/teams/" + teamId);
            b.waitFor("#team-workspaces");
            assertEquals("Renamed crew", b.find("#team h1").getText());
            assertTrue(b.all("#rename").isEmpty(), "only owners rename");
            b.screenshots("team-member");
            b.find("#leave").click();
            b.waitFor("#confirm-dialog[open]");
            b.find("#confirm-ok").click();
            b.until(() -> b.path().equals("/teams"));
            b.get("/workspaces");
            b.waitFor("main h1");
            assertTrue(b.all("tr[data-id='" + workspaceId + "']").isEmpty(), "leaving ends the access");

            a.resize(Browser.PHONE);
            for (String page : List.of("/teams", "/teams/" + teamId, "/tokens")) {
                a.get(page);
                a.waitFor("main h1");
                assertFalse(a.scrollsSideways(), page + " scrolls sideways at 375px");
            }
            a.get("/teams/" + teamId);
            a.waitFor("main h1");
            a.screenshots("phone-team");
        } finally {
            deleteAllWorkspaces(owner);
            if (teamId != null) {
                as(owner.token()).delete("/api/teams/" + teamId).then().statusCode(204);
            }
        }
    }

    @Test
    void aTokenIsShownOnceWorksAsABearerAndStopsWhenRevoked() {
        TestUser user = Api.newUser("pro");
        try (Browser browser = Browser.open(base).signInAs(user)) {
            browser.get("/tokens");
            browser.waitFor("#create-token");
            browser.find("#create-token-submit").click();
            assertTrue(browser.waitFor("#create-error").getText().contains("Give the token a name"));
            browser.find("#token-name").sendKeys("laptop CLI");
            new Select(browser.find("#token-expiry")).selectByValue("90");
            browser.find("#create-token-submit").click();
            String token = browser.until(() -> {
                String value = browser.waitFor("#issued-token").getAttribute("value");
                return value == null || value.isEmpty() ? null : value;
            });
            assertTrue(browser.find("#issued").getText().contains("shown only this once"));
            assertTrue(browser.find("#announce").getAttribute("textContent").contains("laptop CLI"));
            browser.screenshots("tokens-issued");

            as(token).get("/api/workspaces").then().statusCode(200);

            // The listing after a reload: the token's row, never the token. (The user's first token, "token", is
            // the one the test's API calls use.)
            String mine = "#tokens tr[data-name='laptop CLI']";
            browser.get("/tokens");
            var row = browser.waitFor(mine);
            assertTrue(row.getText().contains("laptop CLI"), row.getText());
            assertTrue(row.getText().contains("active"), row.getText());
            assertFalse(browser.driver().getPageSource().contains(token));
            browser.screenshots("tokens");

            browser.find(mine + " [data-revoke]").click();
            browser.waitFor("#confirm-dialog[open]");
            assertTrue(browser.find("#confirm-text").getText().contains("laptop CLI"));
            browser.screenshots("tokens-revoke");
            browser.find("#confirm-ok").click();
            browser.until(() -> browser.find(mine + " .badge").getText().equals("revoked"));
            assertTrue(browser.all(mine + " [data-revoke]").isEmpty());
            assertEquals("active", browser.find("#tokens tr[data-name='token'] .badge").getText());

            as(token).get("/api/workspaces").then().statusCode(401);
            browser.get("/tokens");
            assertEquals("revoked", browser.waitFor(mine + " .badge").getText());
            as(user.token()).get("/api/workspaces").then().statusCode(200);
        }
    }
}
