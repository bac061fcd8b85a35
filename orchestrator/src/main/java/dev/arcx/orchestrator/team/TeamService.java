package dev.arcx.orchestrator.team;

import dev.arcx.common.access.AccessNarrowed;
import dev.arcx.common.http.ApiException;
import dev.arcx.common.text.UserText;
import dev.arcx.orchestrator.audit.AuditLog;
import dev.arcx.orchestrator.audit.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What users may do with teams: create one (its creator becomes an owner), invite by GitHub login, accept or decline,
 * change roles, leave or remove members, delete it. A team is invisible to anyone outside it: every request of a
 * non-member answers 404, as for a team that does not exist. Owners manage; members use the team's workspaces.
 */
@ApplicationScoped
public class TeamService {
    public static final String OWNER = "owner";
    public static final String MEMBER = "member";
    private static final int MAX_NAME = 40;
    private static final int MAX_SLUG_BASE = 33;
    /** GitHub's rule: 1-39 characters of letters, digits and single hyphens, not starting or ending with one. */
    private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}");
    private static final String AUDIT_TARGET = "team";

    private final TeamRepository teams;
    private final AuditLog audit;
    private final Event<AccessNarrowed> narrowed;

    TeamService(TeamRepository teams, AuditLog audit, Event<AccessNarrowed> narrowed) {
        this.teams = teams;
        this.audit = audit;
        this.narrowed = narrowed;
    }

    public Uni<TeamView> create(Caller caller, TeamRequests.Create request) {
        String name;
        try {
            name = validName(request == null ? null : request.name());
        } catch (ApiException e) {
            return Uni.createFrom().failure(e);
        }
        UUID id = UUID.randomUUID();
        UUID userId = caller.userId();
        return teams.pool().withTransaction(tx -> teams.insert(tx, id, name, slug(name, id), userId)
                        .chain(() -> teams.addMember(tx, id, userId, OWNER))
                        .chain(() -> audit.record(tx, caller, "team.create", AUDIT_TARGET, id, Map.of("name", name))))
                .onFailure(PgException.class).transform(duplicate("you already have a team named '" + name + "'"))
                .chain(() -> get(userId, id));
    }

    /** An owner renames the team (its slug stays: addresses do not move); 409 for a name of another of theirs. */
    public Uni<TeamView> rename(Caller caller, UUID teamId, TeamRequests.Rename request) {
        return Uni.createFrom().item(() -> validName(request == null ? null : request.name()))
                .flatMap(name -> owner(caller.userId(), teamId).flatMap(team -> audit.inTransaction(tx ->
                                teams.rename(tx, teamId, name).call(() -> audit.record(tx, caller, "team.rename",
                                        AUDIT_TARGET, teamId, Map.of("from", team.name(), "to", name))))
                        .onFailure(PgException.class).transform(duplicate("you already have a team named '" + name + "'"))))
                .chain(() -> get(caller.userId(), teamId));
    }

    /** Every team on the platform, for the administrator. */
    public Uni<List<AdminTeamView>> listAll() {
        return teams.listAll();
    }

    /**
     * The administrator moves a team to another plan (its workspace allowance follows at the next creation;
     * existing workspaces stay). 400 for an unknown plan, 404 for an unknown team.
     */
    public Uni<AdminTeamView> setPlan(Caller caller, UUID teamId, TeamRequests.Plan request) {
        String plan = request == null || request.plan() == null ? "" : request.plan().strip();
        if (plan.isEmpty()) {
            return Uni.createFrom().failure(ApiException.badRequest("plan is required"));
        }
        return audit.inTransaction(tx -> teams.setPlan(tx, teamId, plan).flatMap(found -> {
                    if (!found) {
                        throw noTeam(teamId);
                    }
                    return audit.record(tx, caller, "admin.team.plan", AUDIT_TARGET, teamId, Map.of("plan", plan));
                }))
                .onFailure(PgException.class).transform(failure -> "23503".equals(failure.getSqlState())
                        ? ApiException.badRequest("no plan '" + plan + "'") : failure)
                .chain(() -> teams.findAdminView(teamId)).onItem().ifNull().failWith(() -> noTeam(teamId));
    }

    public Uni<List<TeamView>> list(UUID userId) {
        return teams.listForUser(userId);
    }

    /** The team with its members and pending invites; 404 unless the user is a member. */
    public Uni<TeamView> get(UUID userId, UUID teamId) {
        return member(userId, teamId).flatMap(team -> Uni.combine().all()
                .unis(teams.members(teamId), teams.pendingInvites(teamId)).with(team::withDetails));
    }

    public Uni<TeamView.Invite> invite(Caller caller, UUID teamId, TeamRequests.Invite request) {
        String login = request == null ? null : request.login();
        if (login == null || !LOGIN.matcher(login.strip()).matches()) {
            return Uni.createFrom().failure(ApiException.badRequest("login must be a GitHub login: 1-39 characters of "
                    + "letters, digits and single '-', not starting or ending with '-'"));
        }
        String invitee = login.strip();
        return owner(caller.userId(), teamId).flatMap(team -> teams.isMemberLogin(teamId, invitee).flatMap(member -> {
            if (member) {
                throw ApiException.conflict(invitee + " is already a member of the team");
            }
            return audit.inTransaction(tx -> teams.insertInvite(tx, UUID.randomUUID(), teamId, invitee,
                    caller.userId()).call(invite -> audit.record(tx, caller, "team.invite", AUDIT_TARGET, teamId,
                            Map.of("inviteId", invite.id().toString(), "login", invitee))));
        }))
                .onFailure(PgException.class).transform(duplicate(invitee + " is already invited to the team"));
    }

    public Uni<Void> revokeInvite(Caller caller, UUID teamId, UUID inviteId) {
        return owner(caller.userId(), teamId).flatMap(team -> audit.inTransaction(tx ->
                teams.deletePendingInvite(tx, teamId, inviteId).flatMap(deleted -> {
                    if (!deleted) {
                        throw ApiException.notFound("no pending invite " + inviteId + " in the team");
                    }
                    return audit.record(tx, caller, "team.invite.revoke", AUDIT_TARGET, teamId,
                            Map.of("inviteId", inviteId.toString()));
                })));
    }

    /** Invites addressed to the user's login, not yet answered. */
    public Uni<List<TeamView.Invite>> invitesFor(String login) {
        return teams.pendingInvitesFor(login);
    }

    /** The invitee joins the team as a member; anyone else finds no such invite. */
    public Uni<TeamView> accept(Caller caller, String login, UUID inviteId) {
        return teams.pool().withTransaction(tx -> teams.answerInvite(tx, inviteId, login, true)
                        .onItem().ifNull().failWith(() -> noInvite(inviteId))
                        .call(teamId -> teams.addMember(tx, teamId, caller.userId(), MEMBER))
                        .call(teamId -> audit.record(tx, caller, "team.join", AUDIT_TARGET, teamId,
                                Map.of("inviteId", inviteId.toString()))))
                .flatMap(teamId -> get(caller.userId(), teamId));
    }

    public Uni<Void> decline(Caller caller, String login, UUID inviteId) {
        return teams.pool().withTransaction(tx -> teams.answerInvite(tx, inviteId, login, false)
                        .onItem().ifNull().failWith(() -> noInvite(inviteId))
                        .call(teamId -> audit.record(tx, caller, "team.decline", AUDIT_TARGET, teamId,
                                Map.of("inviteId", inviteId.toString()))))
                .replaceWithVoid();
    }

    /** An owner makes a member an owner or an owner a member; the last owner stays one (409). */
    public Uni<TeamView> setRole(Caller caller, UUID teamId, UUID userId, TeamRequests.Role request) {
        String role = request == null || request.role() == null ? "" : request.role();
        if (!role.equals(OWNER) && !role.equals(MEMBER)) {
            return Uni.createFrom().failure(ApiException.badRequest("role must be owner or member"));
        }
        return owner(caller.userId(), teamId).chain(() -> teams.pool().withTransaction(tx -> teams.lock(tx, teamId)
                .chain(() -> teams.role(tx, teamId, userId))
                .flatMap(current -> {
                    if (current == null) {
                        throw noMember(userId);
                    }
                    if (current.equals(OWNER) && role.equals(MEMBER)) {
                        return teams.countOwners(tx, teamId).flatMap(owners -> {
                            if (owners <= 1) {
                                throw ApiException.conflict("the team's last owner cannot become a member; "
                                        + "make another member an owner first");
                            }
                            return teams.setRole(tx, teamId, userId, role);
                        });
                    }
                    return teams.setRole(tx, teamId, userId, role);
                })
                .chain(() -> audit.record(tx, caller, "team.member.role", AUDIT_TARGET, teamId,
                        Map.of("userId", userId.toString(), "role", role)))))
                // An owner made a member still uses the workspaces, in a lesser role.
                .invoke(() -> {
                    if (role.equals(MEMBER)) {
                        narrowed.fire(AccessNarrowed.forUser(userId));
                    }
                })
                .chain(() -> get(caller.userId(), teamId));
    }

    /**
     * An owner removes anyone; a member removes only themselves (leaving). The last owner cannot go (409). The
     * removed user loses the team's workspaces at once: every access check reads the membership, and their open
     * WebSockets into the team's workspaces are checked again.
     */
    public Uni<Void> removeMember(Caller caller, UUID teamId, UUID userId) {
        UUID callerId = caller.userId();
        boolean leaving = callerId.equals(userId);
        return member(callerId, teamId).flatMap(team -> {
            if (!leaving && !team.role().equals(OWNER)) {
                throw ApiException.forbidden("only the team's owners may remove other members");
            }
            return teams.pool().withTransaction(tx -> teams.lock(tx, teamId)
                    .chain(() -> teams.role(tx, teamId, userId))
                    .flatMap(role -> {
                        if (role == null) {
                            throw noMember(userId);
                        }
                        Uni<Integer> owners = role.equals(OWNER) ? teams.countOwners(tx, teamId)
                                : Uni.createFrom().item(Integer.MAX_VALUE);
                        return owners.flatMap(count -> {
                            if (count <= 1) {
                                throw ApiException.conflict("the team's last owner cannot leave; make another "
                                        + "member an owner first, or delete the team");
                            }
                            return teams.removeMember(tx, teamId, userId);
                        });
                    })
                    .chain(() -> leaving ? audit.record(tx, caller, "team.leave", AUDIT_TARGET, teamId, Map.of())
                            : audit.record(tx, caller, "team.member.remove", AUDIT_TARGET, teamId,
                                    Map.of("userId", userId.toString()))));
        }).invoke(() -> narrowed.fire(AccessNarrowed.forUser(userId)));
    }

    /** An owner deletes the team with its members and invites, once it has no workspaces (409 otherwise). */
    public Uni<Void> delete(Caller caller, UUID teamId) {
        return owner(caller.userId(), teamId).flatMap(team -> teams.members(teamId).flatMap(members -> teams.pool()
                .withTransaction(tx -> teams.lock(tx, teamId)
                        .chain(() -> teams.countWorkspaces(tx, teamId))
                        .flatMap(workspaces -> {
                            if (workspaces > 0) {
                                throw ApiException.conflict("the team has " + workspaces + " workspace"
                                        + (workspaces == 1 ? "" : "s") + "; delete them first");
                            }
                            return teams.delete(tx, teamId);
                        })
                        .chain(() -> audit.record(tx, caller, "team.delete", AUDIT_TARGET, teamId,
                                Map.of("name", team.name()))))
                // No workspace is left to lose, so no access answer changes; services that follow who belongs to
                // the team (presence) hear that its members left it.
                .invoke(() -> members.forEach(member -> narrowed.fire(AccessNarrowed.forUser(member.userId()))))));
    }

    private Uni<TeamView> member(UUID userId, UUID teamId) {
        return teams.findForMember(userId, teamId).onItem().ifNull().failWith(() -> noTeam(teamId));
    }

    /** The team if the user owns it; 404 to strangers (its existence stays hidden), 403 to its other members. */
    private Uni<TeamView> owner(UUID userId, UUID teamId) {
        return member(userId, teamId).invoke(team -> {
            if (!team.role().equals(OWNER)) {
                throw ApiException.forbidden("only the team's owners may do this");
            }
        });
    }

    /** The trimmed name; 400 unless 1-40 characters without control characters or bidirectional controls. */
    private static String validName(String requested) {
        String name = requested == null ? "" : requested.strip();
        if (name.isEmpty() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("name must be 1-" + MAX_NAME
                    + " characters (leading and trailing spaces are dropped), no control characters");
        }
        return UserText.requireDisplayName("name", name);
    }

    /**
     * A DNS label from the name (lower case, runs of anything else as one '-') and a part of the id, so two teams
     * of one name still get two slugs.
     */
    static String slug(String name, UUID id) {
        String base = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        base = base.substring(0, Math.min(base.length(), MAX_SLUG_BASE)).replaceAll("-+$", "");
        String suffix = id.toString().substring(0, 6);
        return base.isEmpty() ? "team-" + suffix : base + "-" + suffix;
    }

    /** A unique constraint decided between concurrent requests: the loser gets 409 with {@code detail}. */
    private static Function<PgException, Throwable> duplicate(String detail) {
        return failure -> "23505".equals(failure.getSqlState()) ? ApiException.conflict(detail) : failure;
    }

    private static ApiException noTeam(UUID teamId) {
        return ApiException.notFound("no team " + teamId);
    }

    private static ApiException noMember(UUID userId) {
        return ApiException.notFound("user " + userId + " is not a member of the team");
    }

    private static ApiException noInvite(UUID inviteId) {
        return ApiException.notFound("no pending invite " + inviteId + " for you");
    }
}
