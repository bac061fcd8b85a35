package dev.arcx.orchestrator.sandbox;

import static dev.arcx.orchestrator.testsupport.Api.as;
import static dev.arcx.testkit.engine.TestEngine.docker;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.model.Container;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.orchestrator.testsupport.SandboxImageResource;
import dev.arcx.orchestrator.testsupport.WorkspaceImageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What hostile code tries, in a one-shot run and in a session: each attempt is contained, and the platform serves
 * an ordinary run afterwards. No packet leaves this machine: reachability is probed with UDP connects (which send
 * nothing) and TCP connects to this machine's own addresses, and a name is looked up only once the sandbox is shown
 * to have no route at all.
 */
@QuarkusTest
@QuarkusTestResource(WorkspaceImageResource.class)
@QuarkusTestResource(SandboxImageResource.class)
class SandboxAbuseTest {
    private static final int MIB = 1 << 20;

    @ConfigProperty(name = "arcx.installation")
    String installation;

    /** Sessions opened by the running test, ended after it. */
    private final Map<String, TestUser> opened = new HashMap<>();

    /** A one-shot run (no session) and a session run, for each attempt. */
    private List<String> places(TestUser user) {
        String session = SandboxSessionTest.open(user);
        opened.put(session, user);
        List<String> places = new ArrayList<>();
        places.add(null);
        places.add(session);
        return places;
    }

    @AfterEach
    void endSessions() {
        opened.forEach((session, user) -> as(user.token()).delete("/api/exec/sessions/" + session).then().statusCode(204));
        opened.clear();
    }

    private static String where(String session) {
        return session == null ? "one-shot" : "session";
    }

    private static JsonPath run(TestUser user, String session, Map<String, ?> body) {
        return session == null ? SandboxTest.run(user, body) : SandboxSessionTest.runIn(user, session, body);
    }

    private static JsonPath bash(TestUser user, String session, String code) {
        return run(user, session, Map.of("language", "bash", "code", code));
    }

    /** The platform, and the session if any, still run ordinary code. */
    private static void stillServes(TestUser user, String session) {
        JsonPath ok = run(user, session, Map.of("language", "python", "code", "print('still', 6 * 7)"));
        assertEquals("still 42\n", ok.getString("stdout"), where(session) + ": " + ok.prettify());
        assertFalse(ok.getBoolean("timedOut"));
    }

    @Test
    void thereIsNoRouteOutNoNameLookupAndNoWayToTheHostOrTheEngine() throws SocketException {
        TestUser user = Api.newUser("pro");
        // This machine's own addresses (the engine's bridge gateway among them): TCP to them stays on this machine.
        List<String> local = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).map(InetAddress::getHostAddress)
                .toList();
        assertFalse(local.isEmpty());
        String probe = String.join("\n",
                "import errno, json, socket",
                "local = json.loads(input())",
                "print('interfaces', sorted(name for _, name in socket.if_nameindex()))",
                "routes = open('/proc/net/route').read().splitlines()[1:]",
                "print('routes', len(routes))",
                "def fate(family, kind, address, timeout=2):",
                "    s = socket.socket(family, kind)",
                "    s.settimeout(timeout)",
                "    try:",
                "        s.connect(address)",
                "        return 'CONNECTED'",
                "    except OSError as e:",
                "        return errno.errorcode.get(e.errno, str(e))",
                "    finally:",
                "        s.close()",
                "servers = [l.split()[1] for l in open('/etc/resolv.conf') if l.startswith('nameserver')]",
                // A UDP connect only picks a route: nothing is sent, even to an address outside.
                "for host in local + ['1.1.1.1', '8.8.8.8'] + [s for s in servers if ':' not in s and not s.startswith('127.')]:",
                "    print('udp', host, fate(socket.AF_INET, socket.SOCK_DGRAM, (host, 53)))",
                "print('udp6', fate(socket.AF_INET6, socket.SOCK_DGRAM, ('2606:4700:4700::1111', 53)))",
                "for host in local:",
                "    for port in (22, 53, 80, 2375, 2376, 3000, 4222, 5432):",
                "        print('tcp', host, port, fate(socket.AF_INET, socket.SOCK_STREAM, (host, port)))",
                "if routes == [] and [n for _, n in socket.if_nameindex()] == ['lo']:",
                "    try:",
                "        socket.getaddrinfo('example.com', 443)",
                "        print('dns RESOLVED')",
                "    except socket.gaierror as e:",
                "        print('dns refused')");
        String hosts = "[" + String.join(",", local.stream().map(a -> "\"" + a + "\"").toList()) + "]\n";
        for (String session : places(user)) {
            JsonPath result = run(user, session, Map.of("language", "python", "code", probe, "stdin", hosts));
            String out = result.getString("stdout");
            assertTrue(out.startsWith("interfaces ['lo']\nroutes 0\n"), where(session) + ": " + out + result.getString("stderr"));
            for (String line : out.lines().filter(l -> l.startsWith("udp") || l.startsWith("tcp")).toList()) {
                assertTrue(line.endsWith(" ENETUNREACH"), where(session) + ": " + line);
            }
            assertTrue(out.contains("tcp " + local.getFirst() + " 2375 ENETUNREACH"), out);
            assertTrue(out.endsWith("dns refused\n"), where(session) + ": " + out);
            stillServes(user, session);
        }
    }

    @Test
    void theEngineSocketIsNowhereInside() {
        TestUser user = Api.newUser("pro");
        for (String session : places(user)) {
            String out = bash(user, session, "find / -xdev \\( -name 'docker.sock' -o -name 'containerd.sock' \\) "
                    + "2>/dev/null; ls /var/run/docker.sock /run/docker.sock 2>&1; echo end").getString("stdout");
            assertEquals(2, out.lines().filter(l -> l.contains("No such file or directory")).count(), out);
            assertTrue(out.endsWith("end\n") && !out.lines().anyMatch(l -> l.endsWith("docker.sock")), out);
            stillServes(user, session);
        }
    }

    @Test
    void forkBombsBurnOutAtTheProcessLimit() {
        TestUser user = Api.newUser("pro");
        for (String session : places(user)) {
            JsonPath bomb = run(user, session, Map.of("language", "bash", "code", ":(){ :|:& };:", "timeoutMs", 3000));
            assertTrue(bomb.getString("stderr").contains("Resource temporarily unavailable"), bomb.prettify());
            JsonPath pyBomb = run(user, session, Map.of("language", "python", "timeoutMs", 3000, "code",
                    "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass"));
            assertTrue(pyBomb.getBoolean("timedOut"), pyBomb.prettify());
            stillServes(user, session);
        }
    }

    @Test
    void memoryBombsAreKilledByTheOomKiller() {
        TestUser user = Api.newUser("pro");
        for (String session : places(user)) {
            JsonPath result = run(user, session, Map.of("language", "python", "code",
                    "chunks = []\nwhile True:\n    chunks.append(bytearray(16 * 1024 * 1024))"));
            assertTrue(result.getBoolean("oomKilled"), where(session) + ": " + result.prettify());
            assertEquals(137, result.getInt("exitCode"));
            stillServes(user, session);
        }
    }

    @Test
    void diskBombsHitTheirLimit() {
        TestUser user = Api.newUser("pro");
        for (String session : places(user)) {
            // 64 MiB for a one-shot run's /sandbox, 128 MiB for a session's, 16 MiB for /tmp (the defaults).
            long limit = (session == null ? 64L : 128L) * MIB;
            JsonPath result = bash(user, session, String.join("\n",
                    "dd if=/dev/zero of=/sandbox/fill bs=1M count=1500 2>&1 | grep -o 'No space left on device'",
                    "stat -c %s /sandbox/fill",
                    "dd if=/dev/zero of=/tmp/fill bs=1M count=500 2>&1 | grep -o 'No space left on device'",
                    "stat -c %s /tmp/fill",
                    "rm /sandbox/fill /tmp/fill"));
            List<String> lines = result.getString("stdout").lines().toList();
            assertEquals(4, lines.size(), where(session) + ": " + result.prettify());
            assertEquals("No space left on device", lines.get(0));
            assertTrue(Long.parseLong(lines.get(1)) <= limit, where(session) + " wrote " + lines.get(1));
            assertEquals("No space left on device", lines.get(2));
            assertTrue(Long.parseLong(lines.get(3)) <= 16L * MIB, where(session) + " wrote " + lines.get(3) + " to /tmp");
            stillServes(user, session);
        }
    }

    @Test
    void procAndSysShowOnlyTheContainerAndTakeNoWrites() throws Exception {
        TestUser user = Api.newUser("pro");
        String hostName = InetAddress.getLocalHost().getHostName();
        for (String session : places(user)) {
            String out = bash(user, session, String.join("\n",
                    "echo pids $(ls -d /proc/[0-9]* | wc -l)",
                    "echo init $(tr '\\0' ' ' < /proc/1/cmdline)",
                    "echo hostname $(cat /proc/sys/kernel/hostname)",
                    "for f in /proc/sys/kernel/hostname /proc/sysrq-trigger /proc/sys/vm/drop_caches "
                            + "/sys/kernel/mm/transparent_hugepage/enabled /sys/fs/cgroup/pids/pids.max "
                            + "/sys/fs/cgroup/memory/memory.limit_in_bytes; do",
                    "  if (echo 1 > $f) 2>/dev/null; then echo WROTE $f; else echo refused $f; fi",
                    "done",
                    // Masked by the engine: empty, or not there at all.
                    "for f in /proc/kcore /proc/keys /proc/timer_list; do [ -s $f ] && echo SHOWN $f; done",
                    "[ -n \"$(ls -A /sys/firmware 2>/dev/null)\" ] && echo SHOWN /sys/firmware",
                    "cat /proc/kcore > /dev/null 2>&1 && echo READ kcore || echo unreadable kcore")).getString("stdout");
            // A handful of processes: the container's own init, this run's shell and its commands.
            int pids = Integer.parseInt(out.lines().filter(l -> l.startsWith("pids ")).findFirst().orElseThrow()
                    .substring(5).strip());
            assertTrue(pids < 10, where(session) + ": " + out);
            assertTrue(out.contains("init python3 /opt/arcx/init.py"), out);
            assertFalse(out.contains("hostname " + hostName + "\n"), "the host's name shows inside: " + out);
            assertEquals(6, out.lines().filter(l -> l.startsWith("refused ")).count(), where(session) + ": " + out);
            assertFalse(out.contains("WROTE") || out.contains("SHOWN") || out.contains("READ kcore"), out);
            stillServes(user, session);
        }
    }

    @Test
    void thereAreNoCapabilitiesAndNoMounts() {
        TestUser user = Api.newUser("pro");
        for (String session : places(user)) {
            JsonPath result = run(user, session, Map.of("language", "python", "code", String.join("\n",
                    "import os, socket, subprocess",
                    "status = dict(l.split(':\\t', 1) for l in open('/proc/self/status').read().splitlines() if ':\\t' in l)",
                    "print('caps', [status[k].strip() for k in ('CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb')])",
                    "print('nonewprivs', status['NoNewPrivs'].strip(), 'uid', os.getuid(), os.geteuid())",
                    "def attempt(name, action):",
                    "    try:",
                    "        action()",
                    "        print(name, 'ALLOWED')",
                    "    except OSError as e:",
                    "        print(name, 'refused')",
                    "attempt('chown', lambda: os.chown('/etc/passwd', 1000, 1000))",
                    "attempt('chown-own-to-root', lambda: (open('/sandbox/mine', 'w').close(), os.chown('/sandbox/mine', 0, 0)))",
                    "attempt('raw-socket', lambda: socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP))",
                    "attempt('packet-socket', lambda: socket.socket(socket.AF_PACKET, socket.SOCK_RAW))",
                    "attempt('write-etc', lambda: open('/etc/arcx', 'w'))",
                    "attempt('setuid', lambda: os.setuid(0))",
                    "attempt('chroot', lambda: os.chroot('/sandbox'))",
                    "for cmd in (['mount', '-t', 'tmpfs', 'x', '/tmp'], ['mount', '-o', 'remount,rw', '/'],",
                    "            ['umount', '/sandbox'], ['unshare', '-r', 'true'], ['unshare', '-m', 'true']):",
                    "    r = subprocess.run(cmd, capture_output=True)",
                    "    print(' '.join(cmd[:2]), 'ALLOWED' if r.returncode == 0 else 'refused')",
                    "mounts = {f[1]: (f[2], f[3]) for f in (l.split() for l in open('/proc/mounts'))}",
                    "print('root', mounts['/'][1].split(',')[0], 'sandbox', mounts['/sandbox'][0],",
                    "      'tmp', mounts['/tmp'][0], 'noexec' in mounts['/tmp'][1])")));
            String out = result.getString("stdout");
            assertTrue(out.contains("caps ['0000000000000000', '0000000000000000', '0000000000000000', "
                    + "'0000000000000000', '0000000000000000']"), where(session) + ": " + out + result.getString("stderr"));
            assertTrue(out.contains("nonewprivs 1 uid 1000 1000"), out);
            assertEquals(12, out.lines().filter(l -> l.endsWith(" refused")).count(), where(session) + ": " + out);
            assertFalse(out.contains("ALLOWED"), out);
            assertTrue(out.contains("root ro sandbox tmpfs tmp tmpfs True"), out);
            stillServes(user, session);
        }
    }

    @Test
    void setuidBinariesDoNotEscalate() {
        TestUser user = Api.newUser("pro");
        for (String session : places(user)) {
            String out = bash(user, session, String.join("\n",
                    "found=$(find / -xdev -perm -4000 -type f 2>/dev/null)",
                    "echo setuid $(echo \"$found\" | wc -w)",
                    // Run as the caller, each keeps the caller's identity: no-new-privileges ignores the bit.
                    "for b in $found; do",
                    "  $b --help >/dev/null 2>&1 </dev/null",
                    "done",
                    "su -c id root </dev/null 2>&1 | tail -1",
                    "python3 -c 'import os; os.execv(\"/usr/bin/newgrp\", [\"newgrp\", \"root\"])' </dev/null 2>&1 | tail -1",
                    "echo uid $(id -u) $(id -g)")).getString("stdout");
            assertTrue(out.startsWith("setuid "), out);
            assertFalse(out.contains("uid=0"), where(session) + ": " + out);
            assertTrue(out.endsWith("uid 1000 1000\n"), out);
            stillServes(user, session);
        }
    }

    @Test
    void otherProcessesCannotBeTraced() {
        TestUser user = Api.newUser("pro");
        for (String session : places(user)) {
            String out = run(user, session, Map.of("language", "python", "code", String.join("\n",
                    "import ctypes, os",
                    "libc = ctypes.CDLL(None, use_errno=True)",
                    "PTRACE_ATTACH, PTRACE_SEIZE = 16, 0x4206",
                    "for request in (PTRACE_ATTACH, PTRACE_SEIZE):",
                    "    print('ptrace init', 'ALLOWED' if libc.ptrace(request, 1, 0, 0) == 0 else 'refused')",
                    "for f in ('mem', 'environ', 'maps'):",
                    "    try:",
                    "        open('/proc/1/' + f, 'rb').read(1)",
                    "        print('read init', f, 'ALLOWED')",
                    "    except OSError:",
                    "        print('read init', f, 'refused')",
                    "try:",
                    "    os.kill(1, 9)",
                    "except OSError:",
                    "    pass",
                    "print('init alive', os.path.exists('/proc/1'))"))).getString("stdout");
            assertEquals(5, out.lines().filter(l -> l.endsWith(" refused")).count(), where(session) + ": " + out);
            assertTrue(out.endsWith("init alive True\n"), out);
            stillServes(user, session);
        }
    }

    @Test
    void backgroundProcessesEndWithTheRun() {
        TestUser user = Api.newUser("pro");
        for (String session : places(user)) {
            String marker = String.valueOf(300_000 + (int) (Math.random() * 100_000));
            JsonPath started = bash(user, session, String.join("\n",
                    "sleep " + marker + " &",
                    "nohup sleep " + marker + " >/dev/null 2>&1 &",
                    "setsid sleep " + marker + " &",
                    "python3 -c 'import os, time\nif os.fork() == 0:\n    os.setsid()\n    time.sleep(" + marker + ")' &",
                    "disown -a",
                    "echo started"));
            assertEquals("started\n", started.getString("stdout"), started.prettify());
            // Seen from the engine, not from a next run (whose launcher would end them too).
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertEquals(List.of(), processesRunning(marker), where(session) + ": still running"));
            stillServes(user, session);
        }
    }

    @Test
    void theDeadlineHoldsWithAndWithoutUnreadInput() throws Exception {
        TestUser user = Api.newUser("pro");
        for (String session : places(user)) {
            if (session != null) {
                bash(user, session, "echo kept > notes.txt");
            }
            JsonPath spin = run(user, session, Map.of("language", "python", "code", "while True:\n    pass",
                    "timeoutMs", 1500));
            assertTrue(spin.getBoolean("timedOut"), spin.prettify());
            // A MiB of input the code never reads fills every buffer on the way; the deadline holds regardless.
            Map<String, Object> stuck = Map.of("language", "python", "code", "import time\ntime.sleep(200)\nprint('woke')",
                    "stdin", "A".repeat(MIB), "timeoutMs", 2000);
            JsonPath sleeper = CompletableFuture.supplyAsync(() -> run(user, session, stuck)).get(60, TimeUnit.SECONDS);
            assertTrue(sleeper.getBoolean("timedOut"), where(session) + ": " + sleeper.prettify());
            assertEquals("", sleeper.getString("stdout"));
            assertTrue(sleeper.getLong("durationMs") < 10_000, sleeper.prettify());
            if (session != null) {
                assertEquals("kept\n", bash(user, session, "cat notes.txt").getString("stdout"),
                        "a session's deadline ends its processes, not its files");
            }
            stillServes(user, session);
        }
    }

    @Test
    void hugeOutputIsCappedAndTheRunStillAnswers() {
        TestUser user = Api.newUser("pro");
        for (String session : places(user)) {
            JsonPath flood = run(user, session, Map.of("language", "bash", "timeoutMs", 3000,
                    "code", "yes 'flood' & yes 'flood' >&2 & wait"));
            assertTrue(flood.getBoolean("truncated"), where(session));
            assertTrue(flood.getBoolean("timedOut"));
            assertEquals(MIB, flood.getString("stdout").length());
            assertEquals(MIB, flood.getString("stderr").length());
            JsonPath lines = run(user, session, Map.of("language", "python",
                    "code", "import sys\nfor i in range(200_000):\n    print('x' * 100)\nprint('done', file=sys.stderr)"));
            assertTrue(lines.getBoolean("truncated"));
            assertFalse(lines.getBoolean("timedOut"));
            assertEquals("done\n", lines.getString("stderr"));
            stillServes(user, session);
        }
    }

    /** Processes of this installation's sandbox containers whose command line contains {@code marker}. */
    private List<String> processesRunning(String marker) {
        List<String> found = new ArrayList<>();
        List<Container> containers = docker().listContainersCmd()
                .withLabelFilter(Map.of("arcx.installation", installation)).exec();
        for (Container container : containers) {
            if (container.getLabels() == null || !container.getLabels().containsKey("arcx.sandbox")) {
                continue;
            }
            try {
                var top = docker().topContainerCmd(container.getId()).exec();
                Arrays.stream(top.getProcesses()).map(p -> String.join(" ", p)).filter(p -> p.contains(marker))
                        .forEach(found::add);
            } catch (RuntimeException goneMeanwhile) {
                // Removed after its one-shot run: what ran in it is gone too.
            }
        }
        return found;
    }
}
