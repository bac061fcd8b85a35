package dev.arcx.testkit.infra;

import dev.arcx.testkit.process.LocalProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of a test's own (initdb into a temporary directory, its own port, pg_ctl), so the test may stop
 * and start it without disturbing the machine's database or anyone else's tests. Role and password are those every
 * service defaults to ({@code arcx}/{@code arcx}); PostgreSQL refuses to run as root, so as root its commands run as
 * the {@code postgres} user.
 */
public final class PrivatePostgres implements AutoCloseable {
    private final Path dir;
    private final Path data;
    private final Path log;
    private final String binaries;
    private final int port;

    private PrivatePostgres(Path dir, String binaries, int port) {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.log = dir.resolve("postgres.log");
        this.binaries = binaries;
        this.port = port;
    }

    /** Creates the cluster, starts it, and creates {@code database} owned by the role arcx. */
    public static PrivatePostgres start(String database) {
        try {
            Path dir = Files.createTempDirectory("arcx-private-pg");
            PrivatePostgres postgres = new PrivatePostgres(dir, binaries(), LocalProcesses.freePort());
            if (LocalProcesses.isRoot()) {
                LocalProcesses.run(postgres.log, List.of("chown", "-R", "postgres:postgres", dir.toString()));
                LocalProcesses.run(postgres.log, List.of("chmod", "755", dir.toString()));
            }
            postgres.asOwner("initdb", "-D", postgres.data.toString(), "-U", "postgres", "-A", "trust", "--no-sync",
                    "-E", "UTF8");
            postgres.start();
            postgres.psql("CREATE ROLE arcx LOGIN PASSWORD 'arcx'");
            postgres.psql("CREATE DATABASE " + database + " OWNER arcx");
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** Starts the stopped cluster and waits until it accepts connections. */
    public void start() {
        asOwner("pg_ctl", "-D", data.toString(), "-l", log.toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
    }

    /** Stops the cluster as an operator's restart would: active connections are ended, nothing is lost. */
    public void stop() {
        asOwner("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop");
    }

    @Override
    public void close() {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                asOwner("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
            }
        } finally {
            LocalProcesses.deleteTree(dir);
        }
    }

    private void psql(String sql) {
        asOwner("psql", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres", "-v", "ON_ERROR_STOP=1",
                "-c", sql);
    }

    private void asOwner(String program, String... args) {
        List<String> command = new ArrayList<>();
        if (LocalProcesses.isRoot()) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(binaries + "/" + program);
        command.addAll(List.of(args));
        LocalProcesses.run(dir.resolve("commands.log"), command);
    }

    /** The newest installed server's binaries (initdb and pg_ctl are not on the PATH on Debian). */
    private static String binaries() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(bin -> Files.isExecutable(bin.resolve("initdb")))
                    .max(Comparator.comparing(bin -> Integer.parseInt(bin.getParent().getFileName().toString())))
                    .orElseThrow(() -> new IllegalStateException("no initdb under /usr/lib/postgresql/*/bin"))
                    .toString();
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL's server binaries are missing under /usr/lib/postgresql", e);
        }
    }
}
