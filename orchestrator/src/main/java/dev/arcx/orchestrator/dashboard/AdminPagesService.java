package dev.arcx.orchestrator.dashboard;

import dev.arcx.orchestrator.account.AdminUserService;
import dev.arcx.orchestrator.audit.AuditLog;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import dev.arcx.orchestrator.sandbox.RunLimits;
import dev.arcx.orchestrator.signup.SignupService;
import dev.arcx.orchestrator.team.TeamService;
import dev.arcx.orchestrator.workspace.WorkspaceActivity;
import dev.arcx.orchestrator.web.Pages;
import dev.arcx.orchestrator.web.Viewer;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The admin pages: the same services as the admin API (its validation too: a bad filter or page number is the API's
 * 400, shown as an error page), rendered with Qute. Changes are made by the pages' script through the JSON API.
 */
@ApplicationScoped
public class AdminPagesService {
    /** The page sizes offered; the API accepts any size from 1 to its maximum. */
    private static final List<Integer> USER_PAGE_SIZES = List.of(10, 25, 50, 100);
    private static final List<Integer> AUDIT_PAGE_SIZES = List.of(10, 25, 50, 100, 200);

    private final AdminUserService users;
    private final SignupService signups;
    private final AuditLog audit;
    private final WorkspaceActivity activity;
    private final OrchestratorConfig config;
    private final Pages pages;
    private final Template usersPage;
    private final Template plansPage;
    private final Template teamsPage;
    private final TeamService teams;
    private final Template invitesPage;
    private final Template waitlistPage;
    private final Template auditPage;

    AdminPagesService(AdminUserService users, SignupService signups, AuditLog audit, WorkspaceActivity activity,
            OrchestratorConfig config, Pages pages, @Location("dashboard/admin/users.html") Template usersPage,
            @Location("dashboard/admin/plans.html") Template plansPage,
            @Location("dashboard/admin/invites.html") Template invitesPage,
            @Location("dashboard/admin/waitlist.html") Template waitlistPage,
            @Location("dashboard/admin/audit.html") Template auditPage,
            @Location("dashboard/admin/teams.html") Template teamsPage, TeamService teams) {
        this.users = users;
        this.signups = signups;
        this.audit = audit;
        this.activity = activity;
        this.config = config;
        this.pages = pages;
        this.usersPage = usersPage;
        this.plansPage = plansPage;
        this.invitesPage = invitesPage;
        this.waitlistPage = waitlistPage;
        this.auditPage = auditPage;
        this.teamsPage = teamsPage;
        this.teams = teams;
    }

    /** The users matching the filters, a page at a time; the plans for the filter and each user's plan picker. */
    public Uni<String> users(Viewer viewer, String q, String plan, String suspended, String limit, String offset) {
        return users.search(q, plan, suspended, limit, offset).flatMap(found -> users.plans().map(plans -> {
            Map<String, String> filters = new LinkedHashMap<>();
            filters.put("q", q);
            filters.put("plan", plan);
            filters.put("suspended", suspended);
            filters.put("limit", String.valueOf(found.limit()));
            int shownTo = found.offset() + found.items().size();
            String summary = found.items().isEmpty() ? "No users match." : (found.offset() + 1) + "–" + shownTo
                    + " of " + found.total();
            String previous = found.offset() == 0 ? null
                    : "/admin/users" + query(filters, "offset", Math.max(0, found.offset() - found.limit()));
            String next = shownTo >= found.total() ? null : "/admin/users" + query(filters, "offset", shownTo);
            return page(usersPage, viewer, "Users", "users")
                    .data("users", found.items().stream().map(AdminRows.UserRow::of).toList())
                    .data("plans", plans).data("q", blank(q)).data("plan", blank(plan))
                    .data("suspended", blank(suspended)).data("limit", found.limit())
                    .data("sizes", USER_PAGE_SIZES).data("paging", new AdminRows.Paging(summary, previous, next))
                    .render();
        }));
    }

    /** Every team with its plan (a picker of the plans), members and workspaces. */
    public Uni<String> teams(Viewer viewer) {
        return teams.listAll().flatMap(all -> users.plans().map(plans -> page(teamsPage, viewer, "Teams", "teams")
                .data("teams", all.stream().map(AdminRows.TeamRow::of).toList()).data("plans", plans).render()));
    }

    /** The plans with the limits in force for each: the database's workspace count, the configured timeouts. */
    public Uni<String> plans(Viewer viewer) {
        return users.plans().map(plans -> page(plansPage, viewer, "Plans", "plans")
                .data("plans", plans.stream().map(p -> AdminRows.PlanRow.of(p, activity.idleTimeout(p.id()),
                        activity.maxLifetime(p.id()), RunLimits.forPlan(config.sandbox(), p.id()))).toList())
                .render());
    }

    public Uni<String> invites(Viewer viewer) {
        return signups.invites().map(invites -> page(invitesPage, viewer, "Invites", "invites")
                .data("invites", invites.stream().map(AdminRows.InviteRow::of).toList()).render());
    }

    public Uni<String> waitlist(Viewer viewer) {
        return signups.waitlist().map(entries -> page(waitlistPage, viewer, "Waitlist", "waitlist")
                .data("entries", entries.stream().map(AdminRows.WaitlistRow::of).toList()).render());
    }

    /**
     * One page of the audit log. The form's time fields are the browser's {@code datetime-local} values, read as UTC;
     * anything else goes to the API as it came, which says what it expects.
     */
    public Uni<String> audit(Viewer viewer, String actor, String action, String targetId, String from, String to,
            String limit, String cursor) {
        return audit.search(actor, action, targetId, utc(from), utc(to), limit, cursor).flatMap(found -> users.logins(
                found.entries().stream().map(e -> AdminRows.userId(e.actor())).filter(Objects::nonNull)
                        .collect(Collectors.toSet())).map(logins -> {
            Map<String, String> filters = new LinkedHashMap<>();
            filters.put("actor", actor);
            filters.put("action", action);
            filters.put("targetId", targetId);
            filters.put("from", from);
            filters.put("to", to);
            filters.put("limit", limit);
            boolean first = blank(cursor).isEmpty();
            String summary = found.entries().isEmpty() ? "No entries match."
                    : (first ? "Newest " : "Older ") + found.entries().size() + " entries";
            String newest = first ? null : "/admin/audit" + query(filters, null, null);
            String older = found.nextCursor() == null ? null
                    : "/admin/audit" + query(filters, "cursor", found.nextCursor());
            return page(auditPage, viewer, "Audit log", "audit")
                    .data("entries", found.entries().stream().map(e -> AdminRows.AuditRow.of(e, logins)).toList())
                    .data("actor", blank(actor)).data("action", blank(action)).data("targetId", blank(targetId))
                    .data("from", blank(from)).data("to", blank(to))
                    // The search accepted it: blank or a whole number.
                    .data("limit", blank(limit).isBlank() ? AuditLog.DEFAULT_PAGE : Integer.parseInt(limit.strip()))
                    .data("sizes", AUDIT_PAGE_SIZES).data("paging", new AdminRows.Paging(summary, newest, older))
                    .render();
        }));
    }

    private TemplateInstance page(Template template, Viewer viewer, String title, String section) {
        return pages.page(template, viewer, title, "admin").data("section", section);
    }

    /** The filters as a query string (blank ones left out), plus one more parameter when {@code name} is given. */
    private static String query(Map<String, String> filters, String name, Object value) {
        Map<String, String> all = new LinkedHashMap<>(filters);
        if (name != null) {
            all.put(name, String.valueOf(value));
        }
        String joined = all.entrySet().stream().filter(e -> e.getValue() != null && !e.getValue().isBlank())
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return joined.isEmpty() ? "" : "?" + joined;
    }

    private static String utc(String value) {
        if (value == null || value.isBlank()) {
            return value;
        }
        try {
            return LocalDateTime.parse(value.strip()).toInstant(ZoneOffset.UTC).toString();
        } catch (DateTimeParseException e) {
            return value;
        }
    }

    private static String blank(String value) {
        return value == null ? "" : value;
    }
}
