package dev.arcx.orchestrator.dashboard;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.orchestrator.login.LocalModeTest;
import dev.arcx.orchestrator.testsupport.Browser;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The dashboard as {@code ./arcx up} serves it: the development sign-in's form on the landing page, and its banner. */
@QuarkusTest
@TestProfile(LocalModeTest.LocalMode.class)
class DashboardLocalModeTest {
    @TestHTTPResource("/")
    URL base;

    @Test
    void theDevelopmentSignInFormSignsInAndEveryPageSaysItIsOn() {
        try (Browser browser = Browser.open(base)) {
            browser.signOut().get("/");
            browser.waitFor("#dev-login");
            assertTrue(browser.find(".banner").getText().contains("Development sign-in is on"));
            assertTrue(browser.all("a[href='/auth/github']").isEmpty(), "no GitHub app, no GitHub button");
            browser.screenshots("landing-dev-login");

            browser.find("#dev-login").sendKeys("dash-" + UUID.randomUUID().toString().substring(0, 8));
            browser.find(".devlogin button").click();
            browser.until(() -> browser.path().equals("/workspaces"));
            assertTrue(browser.waitFor(".banner").isDisplayed());
            browser.get("/workspaces/new");
            assertTrue(browser.waitFor(".banner").isDisplayed());

            // Signing out is a form post: the Origin proves the page is ours, and the browser lands on / again.
            browser.find(".account button").click();
            browser.waitFor("#dev-login");
            browser.get("/workspaces");
            browser.until(() -> browser.path().equals("/"));
        }
    }
}
