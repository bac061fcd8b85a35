package dev.arcx.orchestrator.config;

import dev.arcx.common.config.NatsSettings;
import dev.arcx.common.docker.DockerSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every setting of the orchestrator, under {@code arcx.*}; environment variables map onto it in application.properties. */
@ConfigMapping(prefix = "arcx")
public interface OrchestratorConfig {

    /** The platform administrator's bearer token ({@code ARC_ADMIN_TOKEN}). */
    String adminToken();

    /**
     * GitHub logins made administrators when they sign in with GitHub ({@code ARCX_ADMIN_LOGINS}, comma-separated,
     * any case): their users get the admin role next to the user role. Removing a login here takes nothing away;
     * {@code PATCH /api/admin/users/{id} {"admin": false}} does.
     */
    Optional<List<String>> adminLogins();

    /** Secret that signs session tokens; shared with every service that verifies them. At least 32 bytes. */
    String sessionSecret();

    /**
     * Name of this installation, written on every engine object it creates. The reconciler only ever touches objects
     * with its own name, so several installations (a local one, a test run) can share one engine safely. It also
     * names every NATS subject and stream of the installation (see {@code Subjects} in common).
     */
    @WithDefault("arcx")
    String installation();

    NatsSettings nats();

    DockerSettings docker();

    Workspaces workspaces();

    Images images();

    Reconcile reconcile();

    Sandbox sandbox();

    Audit audit();

    Webhooks webhooks();

    Routing routing();

    Clones clones();

    Access access();

    interface Clones {
        /** Most clones one request may ask for. */
        @WithDefault("10")
        int maxCount();

        /** How long copying one workspace's volume into a clone's may take before that clone fails. */
        @WithDefault("30m")
        Duration copyTimeout();
    }

    Auth auth();

    GitHub github();

    Stripe stripe();

    interface Workspaces {
        /** Platform-wide cap on workspaces that are creating, starting or running ({@code MAX_CONCURRENT_WORKSPACES}). */
        @WithDefault("3")
        int maxConcurrent();

        /** The IDE's port inside the container (code-server); a workspace is running once it answers HTTP. */
        @WithDefault("8080")
        int idePort();

        /** Ports every workspace exposes whatever its add-ons (OpenCode server, ACP gateway). */
        @WithDefault("4096,4097")
        java.util.List<Integer> basePorts();

        /** How long a starting workspace may take to answer on its IDE port before it is marked failed. */
        @WithDefault("90s")
        Duration startTimeout();

        /** Grace period docker stop gives the workspace's processes before killing them. */
        @WithDefault("10s")
        Duration stopTimeout();

        /** Process limit per workspace container. */
        @WithDefault("512")
        long pidsLimit();

        /**
         * Where each workspace's own network takes its subnet from ({@code ARCX_WORKSPACE_SUBNETS}): a range no other
         * network of the host uses. The engine's default pools give every network a /16 (or /20), about 30 networks
         * in all, so a host would run out of networks long before it runs out of memory.
         */
        @WithDefault("10.213.0.0/16")
        String subnetPool();

        /** Prefix length of each workspace's subnet: /26 gives 1,024 workspace networks of 61 addresses each. */
        @WithDefault("26")
        int subnetPrefix();

        /** Size of the /tmp tmpfs. */
        @WithDefault("1g")
        String tmpSize();

        /** Where the user's home (the persistent volume) is mounted. */
        @WithDefault("/home/developer")
        String homePath();

        /** A running workspace without activity for this long is stopped, unless its plan says otherwise. */
        @WithDefault("30m")
        Duration idleTimeout();

        /** A running workspace is stopped this long after it last started, active or not, unless its plan says otherwise. */
        @WithDefault("12h")
        Duration maxLifetime();

        /** How often running workspaces are checked against their idle timeout and maximum lifetime. */
        @WithDefault("1m")
        Duration idleCheckInterval();

        /** Activity is kept in memory and written to the database at most this often. */
        @WithDefault("30s")
        Duration activityFlushInterval();

        /** Overrides per plan id (free, pro, team); what a plan leaves out comes from the settings above. */
        Map<String, WorkspacePlan> plans();

        /**
         * Password attempts (stop, delete, changing the password) one protected workspace admits per
         * {@link #passwordAttemptWindow()}; beyond, 429 until the oldest attempt leaves the window. A right password
         * clears the count.
         */
        @WithDefault("5")
        int passwordAttempts();

        /** The sliding window of {@link #passwordAttempts()}. */
        @WithDefault("15m")
        Duration passwordAttemptWindow();
    }

    /** Browser sign-in and sessions. */
    interface Auth {
        /**
         * Who may sign up ({@code ARCX_SIGNUP_MODE}): {@code invite} (closed beta: a new user needs an invite code,
         * others join the waitlist), {@code open}, or {@code stripe} (anyone signs up; creating workspaces needs a
         * paid plan). Local mode ({@code ./arcx up}) runs {@code open}.
         */
        @WithDefault("invite")
        SignupMode signupMode();

        /** How long a session lasts from sign-in; signing in again starts a new one. */
        @WithDefault("14d")
        Duration sessionTtl();

        /**
         * Whether the session cookies are marked Secure (sent over HTTPS only). Off only in local mode and tests,
         * which speak plain HTTP on loopback.
         */
        @WithDefault("true")
        boolean secureCookies();

        /**
         * The development sign-in ({@code ARCX_DEV_LOGIN}): {@code GET /auth/dev?login=NAME} signs in as that user
         * without GitHub. {@code ./arcx up} turns it on; the service refuses to start with it in the prod profile.
         */
        @WithDefault("false")
        boolean devLogin();

        /**
         * Sign-in attempts (requests to /auth/github, /auth/callback, /auth/dev) one client address may make per
         * minute: generous, since everyone behind one NAT or proxy shares it; the account's own limit is
         * {@link #loginFailuresPerAccountPerMinute}.
         */
        @WithDefault("120")
        int loginAttemptsPerMinute();

        /**
         * Refused sign-ins (suspended, not admitted) of one login per minute, from any address; the login's next
         * sign-in gets 429 with {@code Retry-After} until the minute ends.
         */
        @WithDefault("5")
        int loginFailuresPerAccountPerMinute();

        /**
         * API requests one credential (a personal API token, a session, the admin token) may make per minute; 429
         * with {@code Retry-After} beyond.
         */
        @WithDefault("600")
        int requestsPerMinute();

        /** How long an invite code given to {@code /auth/github?invite=} is held while the user is at GitHub. */
        @WithDefault("10m")
        Duration inviteCookieTtl();

        /**
         * Where the orchestrator is reached from browsers ({@code ARCX_PUBLIC_URL}, e.g. {@code https://arcx.run}):
         * GitHub sends users back to {@code <public-url>/auth/callback}. Unset, the address the browser used.
         */
        Optional<String> publicUrl();
    }

    /** Who may sign up; see {@link Auth#signupMode()}. */
    enum SignupMode {
        INVITE, OPEN, STRIPE
    }

    /** The GitHub OAuth app users sign in with, and GitHub's webhooks. */
    interface GitHub {
        /** The OAuth app's client id ({@code ARCX_GITHUB_CLIENT_ID}); unset, GitHub sign-in is off. */
        Optional<String> clientId();

        /** The OAuth app's client secret ({@code ARCX_GITHUB_CLIENT_SECRET}). */
        Optional<String> clientSecret();

        /** GitHub's web address, where users authorize the app and codes are exchanged (tests: their fake). */
        @WithDefault("https://github.com")
        String url();

        /** GitHub's API, for the user's profile and e-mail addresses (tests: their fake). */
        @WithDefault("https://api.github.com")
        String apiUrl();

        /** How long GitHub's API may take to answer one call during sign-in. */
        @WithDefault("10s")
        Duration timeout();

        /** Secret of GitHub's webhooks ({@code ARCX_GITHUB_WEBHOOK_SECRET}); unset, {@code POST /webhooks/github} answers 404. */
        Optional<String> webhookSecret();
    }

    /** Stripe's webhooks, which move users between plans. */
    interface Stripe {
        /** The endpoint's signing secret ({@code ARCX_STRIPE_WEBHOOK_SECRET}, {@code whsec_…}); unset, {@code POST /webhooks/stripe} answers 404. */
        Optional<String> webhookSecret();

        /** How far a signature's timestamp may be from now; older deliveries are refused as replays. */
        @WithDefault("300s")
        Duration tolerance();

        /** Plan per Stripe price id ({@code arcx.stripe.prices.price_123=pro}), for subscription events. */
        Map<String, String> prices();

        /** The plan a completed checkout grants when its metadata names none ({@code metadata.plan}). */
        @WithDefault("pro")
        String checkoutPlan();
    }

    /** A plan's overrides of the workspace time limits. */
    interface WorkspacePlan {
        Optional<Duration> idleTimeout();

        Optional<Duration> maxLifetime();
    }

    /** Edge routing through Traefik's Docker provider; see {@code traefik/}. */
    interface Routing {
        /**
         * Whether workspace containers carry Traefik router labels and join the edge network. Unset, it follows
         * {@link #domain()}: on exactly when a domain is configured (production sets {@code ARCX_DOMAIN}; local mode
         * has none and routes nothing).
         */
        Optional<Boolean> enabled();

        /** The wildcard domain workspaces are served under ({@code ARCX_DOMAIN}), e.g. {@code arcx.run}. */
        Optional<String> domain();

        /**
         * The engine network Traefik reaches workspaces on, created if missing: internal, without traffic between
         * its containers, its bridge matched by the host firewall guard (see orchestrator/README.md).
         */
        @WithDefault("arcx-edge")
        String network();

        /** Ports a workspace may forward whatever its add-ons; add-on ports are added per selection. */
        @WithDefault("3000,5000,8000,8080,4200,9000")
        java.util.List<Integer> forwardablePorts();

        /** Where the IDE route goes when code-server is not in the selection: the OpenCode server. */
        @WithDefault("4096")
        int agentPort();

        /**
         * Whether the orchestrator itself proxies {@code /@<login>/<workspace>/} (the IDE) and
         * {@code /@<login>/<workspace>/ports/<port>/} (forwarded ports), HTTP and WebSocket, with forward-auth's
         * checks ({@code ARCX_PATH_ACCESS}): the way in without wildcard DNS and in local mode, where no Traefik
         * runs. The workspaces then share the orchestrator's origin (see orchestrator/README.md).
         */
        @WithDefault("true")
        boolean pathAccess();
    }

    /**
     * The access check other services ask over NATS, and the orchestrator's own cache of its answers (the dashboard's
     * live feed decides with it); see {@code AccessClient} in common.
     */
    interface Access {
        /** How long a check waits for an orchestrator's answer. */
        @WithDefault("1s")
        Duration timeout();

        /** How long an allowed answer is kept at most; a narrowing drops it at once. */
        @WithDefault("30s")
        Duration allowedTtl();

        /** How long a denial is kept at most: the longest a widening (someone joining a team) may go unseen. */
        @WithDefault("5s")
        Duration deniedTtl();

        /** How many answers are kept at most. */
        @WithDefault("10000")
        int maxEntries();
    }

    interface Images {
        /** Version tag of composed workspace images ({@code arcx-<flavor>[-suffix...]:<version>}). */
        @WithDefault("0.1.0")
        String version();

        /**
         * The image to run for every flavor, when set, instead of asking the image-builder (the dev image of local
         * mode, the tests' tiny image).
         */
        Optional<String> defaultImage();

        /** The image to run per flavor id, winning over {@link #defaultImage()}; no image-builder is asked. */
        Map<String, String> flavor();

        /** How long to wait for the image-builder's answer to an ensure request. */
        @WithDefault("5s")
        Duration ensureTimeout();
    }

    interface Reconcile {
        /** How often the reconciler compares the database with the engine. */
        @WithDefault("30s")
        Duration interval();

        /** Containers labelled by arcx but without a row are removed once older than this. */
        @WithDefault("2m")
        Duration orphanGrace();
    }

    interface Audit {
        /**
         * Whether the orchestrator sits behind a proxy it trusts ({@code ARCX_TRUST_PROXY}): then the audit log's
         * source address is X-Forwarded-For's first hop. Otherwise the header is ignored, since any client can send it.
         */
        @WithDefault("false")
        boolean trustProxy();
    }

    /** Outbound webhooks: retries with exponential backoff, each attempt bounded in time, a few at a time. */
    interface Webhooks {
        /** Attempts per delivery before it is marked failed. */
        @WithDefault("8")
        int maxAttempts();

        /** Wait after the first failed attempt; doubled after each further one. */
        @WithDefault("1s")
        Duration initialBackoff();

        /** The longest wait between two attempts. */
        @WithDefault("5m")
        Duration maxBackoff();

        /** How long one attempt may take, connecting included. */
        @WithDefault("5s")
        Duration timeout();

        /** Attempts in flight at once, across all hooks. */
        @WithDefault("8")
        int concurrency();

        /** How often due deliveries (retries, leftovers of a restart) are looked for; the scheduler's floor is 1s. */
        @WithDefault("1s")
        Duration pollInterval();

        /**
         * Whether receivers may be on loopback, private, link-local or unique-local addresses. Off: a webhook must not
         * let users probe the platform's own network (server-side request forgery). The tests' receiver is on loopback.
         */
        @WithDefault("false")
        boolean allowPrivateReceivers();
    }

    /** The code-execution sandbox: limits no request can loosen, the warm pool, sessions. */
    interface Sandbox {
        /** Runtime image with python3, node and bash ({@code ARCX_SANDBOX_IMAGE}; built by images/sandbox-runtime). */
        @WithDefault("arcx-sandbox-runtime:latest")
        String image();

        /** Limits for users whose plan has no entry in {@link #plans()}. */
        Limits limits();

        /** Limits per plan id (free, pro, team); any limit a plan leaves out comes from {@link #limits()}. */
        Map<String, PlanLimits> plans();

        /** Started containers kept ready per language, so a run does not pay for creating one. */
        @WithDefault("2")
        int poolSize();

        /** Size of the tmpfs volume mounted at /sandbox that holds code and files. */
        @WithDefault("64m")
        String workdirSize();

        /**
         * Size of a session's /sandbox, a tmpfs (its pages count against the session's memory limit) that keeps its
         * files between runs for as long as the session's container runs.
         */
        @WithDefault("128m")
        String sessionDiskSize();

        /** Size of the tmpfs at /tmp. */
        @WithDefault("16m")
        String tmpSize();

        /** Most bytes of code plus files one request may send. */
        @WithDefault("1048576")
        int maxInputBytes();

        /** Sessions idle longer than this are removed with their files. */
        @WithDefault("15m")
        Duration sessionIdleTimeout();

        /** How often idle sessions are looked for. */
        @WithDefault("30s")
        Duration sessionSweepInterval();

        /** Open sessions one user may have. */
        @WithDefault("3")
        int maxSessionsPerUser();
    }

    /** What one run may use. */
    interface Limits {
        @WithDefault("512Mi")
        String memory();

        @WithDefault("64")
        long pids();

        @WithDefault("1")
        String cpus();

        /** Wall-clock limit of one run; a request may ask for less, never more. */
        @WithDefault("10s")
        Duration timeout();

        /** Bytes kept per output stream; the rest is dropped and the result says truncated. */
        @WithDefault("1048576")
        int outputLimitBytes();

        /** Runs one user may have in flight at once. */
        @WithDefault("4")
        int maxConcurrentRuns();

        /** Runs one user may start per minute. */
        @WithDefault("120")
        int runsPerMinute();
    }

    /** A plan's overrides of {@link Limits}. */
    interface PlanLimits {
        Optional<String> memory();

        Optional<Long> pids();

        Optional<String> cpus();

        Optional<Duration> timeout();

        Optional<Integer> outputLimitBytes();

        Optional<Integer> maxConcurrentRuns();

        Optional<Integer> runsPerMinute();
    }
}
