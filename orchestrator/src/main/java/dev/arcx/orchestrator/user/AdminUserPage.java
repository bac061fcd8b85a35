package dev.arcx.orchestrator.user;

import java.util.List;

/** One page of {@code GET /api/admin/users}: the users (oldest first) and how many match in all. */
public record AdminUserPage(List<AdminUserView> items, long total, int limit, int offset) {
}
