package dev.arcx.orchestrator.sandbox;

import static dev.arcx.orchestrator.testsupport.Api.as;
import static dev.arcx.testkit.engine.TestEngine.docker;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.SandboxImageResource;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** One-shot runs on the real engine: languages, inputs, every limit, and what cannot get out. */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
@QuarkusTestResource(SandboxImageResource.class)
class SandboxTest {
    @Inject
    SandboxPool pool;

    @ConfigProperty(name = "arcx.installation")
    String installation;

    static JsonPath run(TestUser user, Map<String, ?> body) {
        return as(user.token()).body(new HashMap<>(body)).post("/api/exec").then().statusCode(200)
                .extract().jsonPath();
    }

    @Test
    void eachLanguageRunsWithItsOutputAndExitCode() {
        TestUser user = Api.newUser("pro");
        JsonPath py = run(user, Map.of("language", "python", "code",
                "import sys\nprint('py', 6 * 7)\nprint('oops', file=sys.stderr)\nsys.exit(3)"));
        assertEquals("py 42\n", py.getString("stdout"));
        assertEquals("oops\n", py.getString("stderr"));
        assertEquals(3, py.getInt("exitCode"));
        assertFalse(py.getBoolean("timedOut"));
        assertFalse(py.getBoolean("oomKilled"));
        assertFalse(py.getBoolean("truncated"));
        assertEquals("node 42\n", run(user, Map.of("language", "node", "code", "console.log('node', 6 * 7)"))
                .getString("stdout"));
        JsonPath sh = run(user, Map.of("language", "bash", "code", "echo bash $((6 * 7)); exit 5"));
        assertEquals("bash 42\n", sh.getString("stdout"));
        assertEquals(5, sh.getInt("exitCode"));
        // Signals as in a plain bash: the writer of a closed pipe dies of SIGPIPE instead of complaining.
        JsonPath piped = run(user, Map.of("language", "bash", "code", "yes | head -n 1"));
        assertEquals("y\n", piped.getString("stdout"));
        assertEquals("", piped.getString("stderr"));
        // Where the time went is reported.
        assertTrue(py.getLong("timings.execMs") >= 0 && py.getLong("timings.writeMs") >= 0);
    }

    @Test
    void stdinAndFilesReachTheCode() {
        TestUser user = Api.newUser("pro");
        JsonPath result = run(user, Map.of("language", "python",
                "code", "name = input()\nprint('hello', name, open('data/in.txt').read().strip())",
                "stdin", "arcx\n", "files", Map.of("data/in.txt", "from a file")));
        assertEquals("hello arcx from a file\n", result.getString("stdout"), result.getString("stderr"));
    }

    @Test
    void theWallClockLimitKillsAnInfiniteLoop() {
        TestUser user = Api.newUser("pro");
        JsonPath result = run(user, Map.of("language", "python", "code", "while True:\n    pass", "timeoutMs", 1500));
        assertTrue(result.getBoolean("timedOut"));
        assertEquals(137, result.getInt("exitCode"));
        assertTrue(result.getLong("durationMs") >= 1500, "ran " + result.getLong("durationMs") + " ms");
    }

    @Test
    void theDeadlineCoversInputTheCodeNeverReads() throws Exception {
        // A MiB of input fills every buffer between the orchestrator and code that sleeps instead of reading it:
        // the deadline still ends the run, in a warm container and in a cold one, as JSON and as a stream.
        Map<String, Object> stuck = Map.of("language", "python", "code", "import time\ntime.sleep(200)\nprint('woke')",
                "stdin", "A".repeat(1 << 20), "timeoutMs", 2000);
        TestUser pro = Api.newUser("pro");
        await().atMost(Duration.ofSeconds(60)).until(() -> pool.readyCount(Language.PYTHON) > 0);
        JsonPath warm = CompletableFuture.supplyAsync(() -> run(pro, stuck)).get(60, TimeUnit.SECONDS);
        assertTrue(warm.getBoolean("timings.pooled"));
        assertTrue(warm.getBoolean("timedOut"), warm.prettify());
        assertEquals(137, warm.getInt("exitCode"));
        assertEquals("", warm.getString("stdout"));
        assertTrue(warm.getLong("durationMs") >= 2000 && warm.getLong("durationMs") < 10_000, warm.prettify());

        // The free plan in tests: one run at a time, so the next run shows the stuck one gave its slot back.
        TestUser free = Api.newUser("free");
        String events = CompletableFuture.supplyAsync(() -> as(free.token()).accept("text/event-stream")
                .body(new HashMap<>(stuck)).post("/api/exec").then().statusCode(200).extract().asString())
                .get(60, TimeUnit.SECONDS);
        assertTrue(events.contains("\"timedOut\":true"), events);
        assertEquals("next\n", run(free, Map.of("language", "bash", "code", "echo next")).getString("stdout"));
    }

    @Test
    void aMemoryBombIsKilledAndReportedAsOom() {
        TestUser user = Api.newUser("pro");
        JsonPath result = run(user, Map.of("language", "python", "code",
                "chunks = []\nwhile True:\n    chunks.append(bytearray(16 * 1024 * 1024))"));
        assertTrue(result.getBoolean("oomKilled"), result.prettify());
        assertEquals(137, result.getInt("exitCode"));
        assertFalse(result.getBoolean("timedOut"));
    }

    @Test
    void processesAreCappedSoAForkBombCannotTakeTheHost() {
        TestUser user = Api.newUser("pro");
        JsonPath counted = run(user, Map.of("language", "python", "code", String.join("\n",
                "import os, time",
                "started = 0",
                "try:",
                "    for _ in range(500):",
                "        if os.fork() == 0:",
                "            os.close(1); os.close(2); time.sleep(3); os._exit(0)",
                "        started += 1",
                "except OSError as e:",
                "    print('refused after', started)")));
        String out = counted.getString("stdout");
        assertTrue(out.startsWith("refused after "), out + counted.getString("stderr"));
        assertTrue(Integer.parseInt(out.substring("refused after ".length()).strip()) < 64, out);

        // The classic bomb: its forks start failing at the cap, so it burns out instead of taking the host.
        JsonPath bomb = run(user, Map.of("language", "bash", "code", ":(){ :|:& };:", "timeoutMs", 3000));
        assertTrue(bomb.getString("stderr").contains("Resource temporarily unavailable"), bomb.prettify());
        // The platform is unharmed: the next run works.
        assertEquals("still fine\n", run(user, Map.of("language", "bash", "code", "echo still fine")).getString("stdout"));
    }

    @Test
    void thereIsNoNetwork() {
        TestUser user = Api.newUser("pro");
        JsonPath result = run(user, Map.of("language", "python", "code", String.join("\n",
                "import socket",
                "print([name for _, name in socket.if_nameindex()])",
                "try:",
                "    socket.create_connection(('127.0.0.53', 53), timeout=2)",
                "except OSError as e:",
                "    print('refused', e.errno)")));
        String out = result.getString("stdout");
        assertTrue(out.startsWith("['lo']"), "only loopback: " + out);
        assertTrue(out.contains("refused"), out);
        var container = docker().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("arcx.sandbox", "pool", "arcx.installation", installation)).exec();
        assertFalse(container.isEmpty());
        assertEquals("none", container.get(0).getHostConfig().getNetworkMode());
    }

    @Test
    void theRootFilesystemIsReadOnlyAndTheUserUnprivileged() {
        TestUser user = Api.newUser("pro");
        JsonPath result = run(user, Map.of("language", "bash", "code", String.join("\n",
                "id -u",
                "touch /etc/owned 2>&1 || true",
                "echo ok > /sandbox/mine && cat /sandbox/mine",
                "cp /bin/true /tmp/t && /tmp/t 2>&1 || echo tmp-noexec",
                "grep CapEff /proc/self/status")));
        String out = result.getString("stdout");
        assertTrue(out.startsWith("1000\n"), out);
        assertTrue(out.contains("Read-only file system"), out);
        assertTrue(out.contains("ok\n"), out);
        assertTrue(out.contains("tmp-noexec"), out);
        assertTrue(out.contains("CapEff:\t0000000000000000"), out);
    }

    @Test
    void outputIsCappedPerStream() {
        TestUser user = Api.newUser("pro");
        JsonPath result = run(user, Map.of("language", "python", "code", "print('x' * 3_000_000)"));
        assertTrue(result.getBoolean("truncated"));
        assertEquals(1 << 20, result.getString("stdout").length());
    }

    @Test
    void namesAndCodeCannotInjectAnything() {
        TestUser user = Api.newUser("pro");
        for (String bad : List.of("../../x", "/etc/passwd", "a/../../b", "", "dir//f", "./x", "nul\u0000byte")) {
            as(user.token()).body(Map.of("language", "bash", "code", "ls", "files", Map.of(bad, "x")))
                    .post("/api/exec").then().statusCode(400);
        }
        JsonPath listed = run(user, Map.of("language", "bash", "code", "ls -1 /sandbox; echo \"$HOME\" 'a\"b' `echo c`",
                "files", Map.of("$(touch pwned)", "1", "it's \"quoted\"", "2", "sub dir/x;y.txt", "3")));
        String out = listed.getString("stdout");
        assertTrue(out.contains("$(touch pwned)\n"), out);
        assertTrue(out.contains("it's \"quoted\"\n"), out);
        assertTrue(out.contains("sub dir\n"), out);
        assertFalse(out.contains("pwned\n"), "no file named pwned was created by a substitution: " + out);
    }

    @Test
    void nothingOfOneRunReachesTheNext() {
        TestUser alice = Api.newUser("pro");
        TestUser bob = Api.newUser("pro");
        run(alice, Map.of("language", "bash", "code", "echo secret > /sandbox/secret.txt"));
        String seen = run(bob, Map.of("language", "bash", "code", "ls -a /sandbox /tmp")).getString("stdout");
        assertFalse(seen.contains("secret"), seen);
        String again = run(alice, Map.of("language", "bash", "code", "ls /sandbox")).getString("stdout");
        assertFalse(again.contains("secret"), again);
    }

    @Test
    void badRequestsAreRefusedClearly() {
        TestUser user = Api.newUser("pro");
        as(user.token()).body(Map.of("language", "cobol", "code", "x")).post("/api/exec").then().statusCode(400)
                .body("detail", containsString("unknown language 'cobol'"));
        as(user.token()).body(Map.of("language", "python")).post("/api/exec").then().statusCode(400)
                .body("detail", containsString("'code' is required"));
        as(user.token()).body(Map.of("language", "python", "code", "1", "timeoutMs", 60_000)).post("/api/exec").then()
                .statusCode(400).body("detail", containsString("timeoutMs must be between 1 and 10000"));
        as(user.token()).body(Map.of("language", "python", "code", "1", "network", true)).post("/api/exec").then()
                .statusCode(400).body("detail", containsString("unknown field 'network'"));
        io.restassured.RestAssured.given().contentType("application/json").body("{}").post("/api/exec").then()
                .statusCode(401);
    }

    @Test
    void rateAndConcurrencyLimitsAnswer429WithRetryAfter() {
        TestUser free = Api.newUser("free");
        // Free plan in tests: one run at a time, five per minute.
        var slow = CompletableFuture.runAsync(() -> run(free, Map.of("language", "bash", "code", "sleep 2")));
        await().atMost(Duration.ofSeconds(10)).until(() -> as(free.token())
                .body(Map.of("language", "bash", "code", "true")).post("/api/exec").then().extract().statusCode() == 429);
        slow.join();
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 8; i++) {
            var response = as(free.token()).body(Map.of("language", "bash", "code", "true")).post("/api/exec").then()
                    .extract();
            if (response.statusCode() == 200) {
                accepted++;
            } else {
                assertEquals(429, response.statusCode());
                assertTrue(Integer.parseInt(response.header("Retry-After")) >= 1);
                refused++;
            }
        }
        assertTrue(accepted <= 5 && refused >= 3, accepted + " accepted, " + refused + " refused");
    }

    @Test
    void outputStreamsAsServerSentEvents() {
        TestUser user = Api.newUser("pro");
        String events = as(user.token()).accept("text/event-stream")
                .body(Map.of("language", "python", "code",
                        "import sys, time\nprint('one', flush=True)\ntime.sleep(0.3)\nprint('two', file=sys.stderr)"))
                .post("/api/exec").then().statusCode(200).extract().asString();
        assertTrue(events.contains("event:stdout") || events.contains("event: stdout"), events);
        assertTrue(events.contains("one"), events);
        assertTrue(events.contains("stderr") && events.contains("two"), events);
        int result = events.indexOf("result");
        assertTrue(result > events.indexOf("one"), events);
        assertTrue(events.substring(result).contains("\"exitCode\":0"), events);

        // A refusal is a real 4xx before any stream starts.
        as(user.token()).accept("text/event-stream").body(Map.of("language", "cobol", "code", "x"))
                .post("/api/exec").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("unknown language"));
    }

    @Test
    void runsWithNonDefaultPlanLimitsAreCreatedCold() {
        // The free plan's limits differ from the defaults the pool is warmed with.
        TestUser free = Api.newUser("free");
        JsonPath result = run(free, Map.of("language", "python", "code", "print('cold')"));
        assertEquals("cold\n", result.getString("stdout"));
        assertFalse(result.getBoolean("timings.pooled"));
    }

    @Test
    void aWarmRunGivesTheCodeTheSameWorldAsAColdOne() {
        // The pool's launchers run the code inside an interpreter started earlier; the code must not notice:
        // argv, main-module identity, sibling imports, stdin, tracebacks and exit codes as with `python3 main.py`.
        Map<String, Object> python = Map.of("language", "python", "stdin", "first\nrest\n",
                "files", Map.of("helper.py", "X = 7\n"), "code", """
                        import sys, helper
                        print(__name__, sys.argv, sys.path[0], __file__, helper.X)
                        print(input(), repr(sys.stdin.read()))
                        def fail():
                            raise ValueError('boom')
                        fail()
                        """);
        Map<String, Object> node = Map.of("language", "node", "stdin", "first\nrest\n",
                "files", Map.of("helper.js", "exports.x = 7;\n"), "code", """
                        const helper = require('./helper');
                        console.log(process.argv.slice(1), require.main === module, __filename, helper.x);
                        let input = '';
                        process.stdin.on('data', chunk => input += chunk);
                        process.stdin.on('end', () => { console.log(JSON.stringify(input)); process.exit(4); });
                        """);
        TestUser pro = Api.newUser("pro");
        TestUser free = Api.newUser("free");
        for (Language language : List.of(Language.PYTHON, Language.NODE)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> pool.readyCount(language) > 0);
            Map<String, Object> body = language == Language.PYTHON ? python : node;
            JsonPath warm = run(pro, body);
            // The free plan's limits differ from the pool's, so its run is a cold `interpreter main.x`.
            JsonPath cold = run(free, body);
            assertTrue(warm.getBoolean("timings.pooled"));
            assertFalse(cold.getBoolean("timings.pooled"));
            for (String field : List.of("stdout", "stderr", "exitCode")) {
                assertEquals(cold.getString(field), warm.getString(field), language + " " + field);
            }
        }
        JsonPath python3 = run(pro, python);
        assertEquals("__main__ ['main.py'] /sandbox /sandbox/main.py 7\nfirst 'rest\\n'\n", python3.getString("stdout"));
        assertTrue(python3.getString("stderr").startsWith("Traceback (most recent call last):\n  File \"/sandbox/main.py\""),
                python3.getString("stderr"));
        assertEquals(1, python3.getInt("exitCode"));
    }

    @Test
    void thePoolServesRunsAndRefills() {
        TestUser user = Api.newUser("pro");
        await().atMost(Duration.ofSeconds(60)).until(() -> pool.readyCount(Language.NODE) == 2);
        JsonPath first = run(user, Map.of("language", "node", "code", "console.log(1)"));
        assertTrue(first.getBoolean("timings.pooled"));
        run(user, Map.of("language", "node", "code", "console.log(2)"));
        run(user, Map.of("language", "node", "code", "console.log(3)"));
        await().atMost(Duration.ofSeconds(60)).until(() -> pool.readyCount(Language.NODE) == 2);
        as(user.token()).get("/q/metrics").then().body(containsString("arcx_sandbox_pool_ready{language=\"node\"}"))
                .body(containsString("arcx_sandbox_run_phase_seconds_count{language=\"node\",phase=\"exec\"}"));
    }
}
