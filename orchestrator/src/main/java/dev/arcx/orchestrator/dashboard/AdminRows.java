package dev.arcx.orchestrator.dashboard;

import dev.arcx.common.events.AuditEvent;
import dev.arcx.orchestrator.catalog.Quantities;
import dev.arcx.orchestrator.sandbox.RunLimits;
import dev.arcx.orchestrator.signup.Invite;
import dev.arcx.orchestrator.signup.WaitlistEntry;
import dev.arcx.orchestrator.team.AdminTeamView;
import dev.arcx.orchestrator.user.AdminUserView;
import dev.arcx.orchestrator.user.Plan;
import io.quarkus.qute.TemplateData;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/** What the admin pages show, flattened to text: times in UTC, durations and sizes as people write them. */
final class AdminRows {
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private AdminRows() {
    }

    @TemplateData
    public record UserRow(String id, String login, String name, String email, String plan, boolean admin,
            boolean suspended, String suspensionReason, String suspendedAt, String createdAt, String lastSignInAt,
            long workspaceCount) {
        static UserRow of(AdminUserView u) {
            return new UserRow(u.id().toString(), u.login(), u.name(), u.email(), u.plan(), u.admin(),
                    u.suspendedAt() != null, u.suspensionReason(), date(u.suspendedAt()), date(u.createdAt()),
                    u.lastSignInAt() == null ? "never" : minutes(u.lastSignInAt()), u.workspaceCount());
        }
    }

    /** A plan with the limits in force for it: its workspaces (database), their timeouts and its sandbox runs. */
    @TemplateData
    public record PlanRow(String id, String name, int maxWorkspaces, long users, String idleTimeout,
            String maxLifetime, String runMemory, String runCpus, String runTimeout, int runsPerMinute,
            int concurrentRuns, long runPids, String runOutput) {
        static PlanRow of(Plan p, Duration idle, Duration lifetime, RunLimits runs) {
            return new PlanRow(p.id(), p.name(), p.maxWorkspaces(), p.users(), duration(idle), duration(lifetime),
                    Quantities.formatMemory(runs.memoryBytes()),
                    BigDecimal.valueOf(runs.nanoCpus(), 9).stripTrailingZeros().toPlainString(),
                    duration(runs.timeout()), runs.runsPerMinute(), runs.maxConcurrentRuns(), runs.pids(),
                    Quantities.formatMemory(runs.outputLimitBytes()));
        }
    }

    /** A team with its plan, how many members and workspaces, and since when. */
    @TemplateData
    public record TeamRow(String id, String name, String slug, String planId, int members, int workspaces,
            String createdAt) {
        static TeamRow of(AdminTeamView t) {
            return new TeamRow(t.id().toString(), t.name(), t.slug(), t.planId(), t.members(), t.workspaces(),
                    date(t.createdAt()));
        }
    }

    @TemplateData
    public record InviteRow(String id, String code, String note, int uses, int maxUses, String expiresAt,
            String createdAt, String status, boolean revocable) {
        static InviteRow of(Invite i) {
            return new InviteRow(i.id().toString(), i.code(), i.note() == null ? "" : i.note(), i.uses(),
                    i.maxUses(), i.expiresAt() == null ? "never" : minutes(i.expiresAt()), minutes(i.createdAt()),
                    i.status(), !"revoked".equals(i.status()));
        }
    }

    @TemplateData
    public record WaitlistRow(String id, String login, String name, String email, String reason, String joinedAt,
            boolean approved, String approvedAt) {
        static WaitlistRow of(WaitlistEntry w) {
            return new WaitlistRow(w.id().toString(), w.login(), w.name() == null ? "" : w.name(),
                    w.email() == null ? "" : w.email(), w.reason() == null ? "" : w.reason(), minutes(w.joinedAt()),
                    w.approvedAt() != null, w.approvedAt() == null ? "" : minutes(w.approvedAt()));
        }
    }

    @TemplateData
    public record AuditRow(String at, String actor, String actorLogin, String actorLink, String action,
            String targetType, String targetId, String targetLink, String sourceIp, String details) {
        /** @param logins the logins of the actors that are users (the log keeps ids: logins can change) */
        static AuditRow of(AuditEvent e, Map<UUID, String> logins) {
            UUID user = userId(e.actor());
            // The administrator token and the system are no user: no lookup (the map refuses a null key).
            String login = user == null ? null : logins.get(user);
            return new AuditRow(SECONDS.format(e.occurredAt()), e.actor(), login,
                    "/admin/audit?actor=" + encode(e.actor()),
                    e.action(), e.targetType(), e.targetId(), "/admin/audit?targetId=" + encode(e.targetId()),
                    e.sourceIp() == null ? "" : e.sourceIp(), describe(e.details()));
        }
    }

    /** The actor as a user id; null for {@code admin}, {@code system} and anything else that is not one. */
    static UUID userId(String actor) {
        try {
            return actor == null ? null : UUID.fromString(actor);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Where the list is and the links to its neighbouring pages; a null link means there is no such page. */
    @TemplateData
    public record Paging(String summary, String previous, String next) {
    }

    private static String describe(Map<String, Object> details) {
        if (details == null || details.isEmpty()) {
            return "";
        }
        return new TreeMap<>(details).entrySet().stream().map(d -> d.getKey() + ": " + d.getValue())
                .collect(Collectors.joining("; "));
    }

    private static String date(OffsetDateTime time) {
        return time == null ? "" : time.toLocalDate().toString();
    }

    private static String minutes(OffsetDateTime time) {
        return time == null ? "" : MINUTES.format(time);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    /** 90s → "1m 30s", 12h → "12h". */
    static String duration(Duration d) {
        StringBuilder out = new StringBuilder();
        if (d.toHours() > 0) {
            out.append(d.toHours()).append("h ");
        }
        if (d.toMinutesPart() > 0) {
            out.append(d.toMinutesPart()).append("m ");
        }
        if (d.toSecondsPart() > 0 || out.isEmpty()) {
            out.append(d.toSecondsPart()).append("s");
        }
        return out.toString().strip();
    }
}
