package dev.arcx.common.access;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Why someone may use a workspace; the roles the orchestrator's access rule knows ({@code may_use_workspace}): a
 * personal workspace is used by its owner alone, a team's by the team's members, owners and members alike. Platform
 * administrators get no role: the admin role manages users and teams, it does not open their workspaces.
 */
public enum WorkspaceRole {
    /** The owner of a personal workspace. */
    OWNER,
    /** An owner of the team the workspace belongs to (manages the team's members). */
    TEAM_OWNER,
    /** A member of the team the workspace belongs to. */
    TEAM_MEMBER;

    /** The wire name: {@code owner}, {@code team-owner}, {@code team-member}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static WorkspaceRole fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** The role of a member of the workspace's team, from the team's own role ({@code owner} or {@code member}). */
    public static WorkspaceRole ofTeamRole(String teamRole) {
        return "owner".equals(teamRole) ? TEAM_OWNER : TEAM_MEMBER;
    }
}
