package dev.arcx.orchestrator.workspace;

import static dev.arcx.testkit.engine.TestEngine.docker;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Browser;
import dev.arcx.testkit.TestSettings;
import dev.arcx.testkit.engine.TestEngine;
import dev.arcx.testkit.process.ServiceProcess;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

/**
 * The whole path with the real recipes: the packaged orchestrator asks the packaged image-builder for
 * arcx-js-code, which builds base, js and code-server for real (Debian bootstrapped without a registry, Node 24 and
 * the agents from npm; minutes the first time, then cached by recipe hash: the images carry it), and the workspace
 * runs it under the platform's restrictions until VS Code's workbench answers. Then a person's view: headless
 * Chromium opens the IDE through the orchestrator's path-based access ({@code /@<login>/<workspace>/}), opens a file
 * the test wrote and runs a command in VS Code's terminal, whose WebSocket goes through the proxy both ways.
 * Screenshots of each step land in target/screenshots.
 */
class WorkspaceCodeServerIT {
    private static final String INSTALLATION = TestSettings.installation() + "-e2e";
    private static final String DB_NAME = TestSettings.database();
    private static final Path ROOT = TestSettings.repositoryRoot();

    @Test
    void aJsWorkspaceWithCodeServerServesTheVsCodeWorkbench() throws Exception {
        List<ServiceProcess> started = new ArrayList<>();
        String workspaceId = null;
        Api.TestUser user = null;
        try {
            Map<String, String> builderEnv = new HashMap<>(Map.of(
                    "ARCX_INSTALLATION", INSTALLATION,
                    "ARCX_IMAGES_RECIPES", ROOT.resolve("images/recipes").toString(),
                    "ARCX_IMAGES_BOOTSTRAP_SCRIPT", ROOT.resolve("images/bootstrap-rootfs.sh").toString(),
                    // No registry can answer here; the bootstrap path is the one that works.
                    "ARCX_IMAGES_PULL_BASE", "false"));
            Path hostCa = Path.of("/etc/ssl/certs/ca-certificates.crt");
            if (Files.isReadable(hostCa)) {
                builderEnv.put("ARCX_EXTRA_CA_BUNDLE", hostCa.toString());
            }
            started.add(ServiceProcess.orchestrator("e2e-orchestrator", List.of(
                    "-Dquarkus.flyway.clean-at-start=true", "-Dquarkus.flyway.clean-disabled=false",
                    "-Darcx.workspaces.start-timeout=180s"), Map.of(
                    "ARCX_DB_NAME", DB_NAME, "ARCX_INSTALLATION", INSTALLATION)));
            started.add(ServiceProcess.imageBuilder("e2e-image-builder", builderEnv));
            RestAssured.baseURI = "http://127.0.0.1";
            RestAssured.port = started.getFirst().port();

            user = Api.newUser("pro");
            workspaceId = given().auth().oauth2(user.token()).contentType(ContentType.JSON)
                    .body(Map.of("name", "vscode", "flavorId", "js", "resourceTierId", "starter",
                            "addonIds", List.of("code-server")))
                    .post("/api/workspaces").then().statusCode(201).extract().path("id");
            awaitRunning(user, workspaceId);

            var container = docker().inspectContainerCmd("arcx-ws-" + workspaceId).exec();
            assertEquals("arcx-js-code:0.1.0", container.getConfig().getImage());
            String ip = workspaceIp(workspaceId);
            // HTTP/1.1: an h2c upgrade offer looks like a WebSocket request to code-server, which leaves it unanswered.
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("workbench"), "VS Code's workbench page: " + page.body());
            // The page's own workbench script is served too: the IDE loads, not just a shell of HTML.
            Matcher script = Pattern.compile("src=\"([^\"]*workbench[^\"]*\\.js)\"").matcher(page.body());
            assertTrue(script.find(), "the workbench page names its script: " + page.body());
            URI scriptUri = URI.create("http://" + ip + ":8080/").resolve(script.group(1));
            HttpResponse<String> code = http.send(HttpRequest.newBuilder(scriptUri).timeout(Duration.ofSeconds(30))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, code.statusCode(), scriptUri.toString());
            assertTrue(code.body().length() > 100_000, "the workbench script is VS Code itself");
            // OpenCode's server listens on 4096 in the same container. (Its first HTTP answer waits for start-up
            // fetches that cannot succeed without egress; see images/recipes/README.md.)
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
                try (java.net.Socket opencode = new java.net.Socket()) {
                    opencode.connect(new java.net.InetSocketAddress(ip, 4096), 1000);
                    return true;
                }
            });

            vsCodeThroughThePathProxy(started.getFirst(), user, workspaceId);
            aPasswordGuardsCodeServerUntilRemoved(user, workspaceId);
        } catch (Throwable failure) {
            started.forEach(ServiceProcess::printLogTail);
            throw failure;
        } finally {
            if (workspaceId != null) {
                given().auth().oauth2(user.token()).delete("/api/workspaces/" + workspaceId);
                String id = workspaceId;
                Api.TestUser owner = user;
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> given().auth()
                        .oauth2(owner.token()).get("/api/workspaces/" + id).statusCode() == 404);
            }
            started.forEach(p -> p.process().destroy());
            RestAssured.reset();
            TestEngine.removeLabelled("arcx.installation", INSTALLATION);
        }
    }

    /**
     * VS Code in a real browser at the workspace's path on the orchestrator: refused before signing in, then the
     * workbench, a file the test wrote opened through quick open, and a terminal that echoes a computed value back.
     */
    private static void vsCodeThroughThePathProxy(ServiceProcess orchestrator, Api.TestUser user, String workspaceId)
            throws Exception {
        String container = "arcx-ws-" + workspaceId;
        String marker = "arcx path access " + UUID.randomUUID();
        // The DOM renderer keeps the terminal's text readable in the page; no welcome page, no tips.
        String settings = "{\"workbench.startupEditor\": \"none\", \"workbench.tips.enabled\": false, "
                + "\"terminal.integrated.gpuAcceleration\": \"off\", \"telemetry.telemetryLevel\": \"off\"}";
        String userDir = "/home/developer/.local/share/code-server/User";
        TestEngine.ExecResult written = TestEngine.exec(container, "1000:1000", "sh", "-c", "mkdir -p " + userDir
                + " && printf '%s' \"$1\" > " + userDir + "/settings.json && printf '%s\\n' \"$2\" > hello.txt",
                "sh", settings, marker);
        assertEquals(0, written.exitCode(), written.output());
        String ide = "/@" + user.login().toLowerCase(Locale.ROOT) + "/vscode/";
        try (Browser browser = Browser.open(URI.create(orchestrator.baseUri() + "/").toURL())) {
            try {
                browser.get(ide);
                browser.until(() -> browser.find("h1").getText().equals("Unauthorized"));
                browser.screenshot("path-access-signed-out");

                browser.signInAs(user).get(ide);
                browser.waitFor(".monaco-workbench");
                // code-server redirects to ./?folder=…: relative, so it stays under the prefix.
                assertTrue(browser.path().startsWith(ide + "?folder="), browser.path());
                browser.until(() -> browser.all(".explorer-item .label-name").stream()
                        .anyMatch(name -> name.getText().equals("hello.txt")));
                browser.screenshot("path-access-workbench");

                new Actions(browser.driver()).keyDown(Keys.CONTROL).sendKeys("p").keyUp(Keys.CONTROL).perform();
                browser.waitFor(".quick-input-widget input").sendKeys("hello.txt");
                browser.until(() -> browser.all(".quick-input-list .monaco-list-row").stream()
                        .anyMatch(row -> row.getText().contains("hello.txt")));
                browser.find(".quick-input-widget input").sendKeys(Keys.ENTER);
                browser.until(() -> browser.find(".monaco-editor .view-lines").getText().contains(marker));
                browser.screenshot("path-access-file");

                new Actions(browser.driver()).sendKeys(Keys.F1).perform();
                browser.waitFor(".quick-input-widget input").sendKeys("Terminal: Create New Terminal");
                browser.until(() -> browser.all(".quick-input-list .monaco-list-row.focused").stream()
                        .anyMatch(row -> row.getText().contains("Create New Terminal")));
                browser.find(".quick-input-widget input").sendKeys(Keys.ENTER);
                browser.waitFor(".terminal-wrapper .xterm");
                // The prompt shows once the shell behind the terminal's WebSocket is up.
                browser.until(() -> browser.find(".terminal-wrapper .xterm-rows").getText().contains("$"));
                new Actions(browser.driver()).sendKeys("echo arcx-$((6*7))" + Keys.ENTER).perform();
                browser.until(() -> browser.find(".terminal-wrapper .xterm-rows").getText().contains("arcx-42"));
                browser.screenshot("path-access-terminal");
            } catch (Throwable failure) {
                browser.screenshot("path-access-failure");
                throw failure;
            }
        }
    }

    /**
     * A workspace's password reaches code-server itself: after {@code PUT /password} the restarted IDE answers with its
     * login page, refuses a wrong password and lets the right one in; after removal it is open again. Only the
     * orchestrator's argon2id hash is in the container, so this proves code-server accepts that hash.
     */
    private static void aPasswordGuardsCodeServerUntilRemoved(Api.TestUser user, String workspaceId) throws Exception {
        String password = "Ide-pass-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(user.token()).contentType(ContentType.JSON)
                .body(Map.of("newPassword", password))
                .put("/api/workspaces/" + workspaceId + "/password").then().statusCode(200);
        awaitRunning(user, workspaceId);
        String ide = "http://" + workspaceIp(workspaceId) + ":8080/";
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> root = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> http.send(HttpRequest.newBuilder(URI.create(ide)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString()), r -> r.statusCode() == 302);
        assertTrue(root.headers().firstValue("location").orElse("").contains("login"),
                "a protected IDE sends the browser to its login page: " + root.headers().map());
        assertTrue(codeServerLogin(http, ide, "not-" + password).isEmpty(), "a wrong password gets no session");
        String session = codeServerLogin(http, ide, password).orElseThrow(
                () -> new AssertionError("the workspace password logs in to code-server"));
        HttpResponse<String> workbench = http.send(HttpRequest.newBuilder(URI.create(ide))
                .header("Cookie", session).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(workbench.statusCode() == 302 && workbench.headers().firstValue("location").orElse("")
                .contains("folder="), "signed in, the IDE opens the workspace folder: " + workbench.headers().map());

        given().auth().oauth2(user.token()).contentType(ContentType.JSON)
                .body(Map.of("currentPassword", password, "removePassword", true))
                .put("/api/workspaces/" + workspaceId + "/password").then().statusCode(200);
        awaitRunning(user, workspaceId);
        String open = "http://" + workspaceIp(workspaceId) + ":8080/";
        HttpResponse<String> unprotected = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> http.send(HttpRequest.newBuilder(URI.create(open)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString()), r -> r.statusCode() == 302);
        assertTrue(unprotected.headers().firstValue("location").orElse("").contains("folder="),
                "without a password the IDE opens directly: " + unprotected.headers().map());
    }

    /** code-server's login form; its session cookie when the password was right. */
    private static Optional<String> codeServerLogin(HttpClient http, String ide, String password)
            throws Exception {
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(ide + "login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", ide.substring(0, ide.length() - 1))
                .POST(HttpRequest.BodyPublishers.ofString("password="
                        + URLEncoder.encode(password, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return login.headers().allValues("set-cookie").stream()
                .filter(cookie -> cookie.startsWith("code-server-session="))
                .map(cookie -> cookie.substring(0, cookie.indexOf(';') < 0 ? cookie.length() : cookie.indexOf(';')))
                .findFirst();
    }

    private static String workspaceIp(String workspaceId) {
        return docker().inspectContainerCmd("arcx-ws-" + workspaceId).exec().getNetworkSettings().getNetworks()
                .get("arcx-ws-" + workspaceId).getIpAddress();
    }

    /** Up to 40 minutes: a cold build of the three layers takes most of it; progress is printed as it goes. */
    private static void awaitRunning(Api.TestUser user, String id) {
        String[] last = {""};
        await().atMost(Duration.ofMinutes(40)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            JsonPath view = given().auth().oauth2(user.token()).get("/api/workspaces/" + id).then().extract()
                    .jsonPath();
            String status = view.getString("status");
            String line = status + (view.get("imageBuild") == null ? "" : " " + view.getMap("imageBuild"));
            if (!line.equals(last[0])) {
                System.out.println("e2e workspace: " + line);
                last[0] = line;
            }
            if ("failed".equals(status)) {
                throw new AssertionError("workspace failed: " + view.getString("statusReason"));
            }
            return "running".equals(status);
        });
    }
}
