package dev.arcx.orchestrator.signup;

import dev.arcx.common.http.ApiException;
import dev.arcx.common.text.UserText;
import dev.arcx.orchestrator.audit.AuditLog;
import dev.arcx.orchestrator.audit.Caller;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import dev.arcx.orchestrator.config.OrchestratorConfig.SignupMode;
import dev.arcx.orchestrator.user.GitHubProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Who may sign up, by the installation's signup mode: invite codes (the closed beta), the waitlist of those without
 * one, and the admin's side of both.
 */
@ApplicationScoped
public class SignupService {
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_-]{4,64}");

    /** Whether {@code code} could be an invite code (what a sign-in link may carry); null is not. */
    public static boolean isInviteCode(String code) {
        return code != null && CODE.matcher(code).matches();
    }
    /** No 0/O, 1/l/I: codes are read aloud and typed. */
    private static final char[] CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_USES = 10_000;
    private static final int MAX_NOTE = 500;
    /** How long the invite an approval makes stays good. */
    private static final Duration APPROVAL_VALIDITY = Duration.ofDays(30);
    static final String AUDIT_TARGET = "invite";

    private final SignupRepository signups;
    private final AuditLog audit;
    private final SignupMode mode;

    SignupService(SignupRepository signups, AuditLog audit, OrchestratorConfig config) {
        this.signups = signups;
        this.audit = audit;
        this.mode = config.auth().signupMode();
    }

    public SignupMode mode() {
        return mode;
    }

    /**
     * Whether someone without an account may become a user, within the sign-in's transaction: in {@code open} and
     * {@code stripe} mode anyone; in {@code invite} mode someone with a usable code (one use of it is taken) or an
     * approved waitlist entry. The refused join the waitlist when GitHub knows them.
     */
    public Uni<Admission> admit(SqlClient tx, GitHubProfile profile, String inviteCode) {
        if (mode != SignupMode.INVITE) {
            return Uni.createFrom().item(Admission.in(null));
        }
        Uni<UUID> redeemed;
        if (inviteCode != null && !inviteCode.isBlank()) {
            redeemed = signups.redeem(tx, inviteCode.strip(), null);
        } else if (profile.githubId() != null) {
            redeemed = signups.approvedInvite(tx, profile.githubId())
                    .flatMap(invite -> invite == null ? Uni.createFrom().nullItem() : signups.redeem(tx, null, invite));
        } else {
            redeemed = Uni.createFrom().nullItem();
        }
        return redeemed.flatMap(invite -> {
            if (invite != null) {
                return Uni.createFrom().item(Admission.in(invite));
            }
            String reason = inviteCode == null || inviteCode.isBlank() ? "signing up needs an invite code"
                    : "the invite code is unknown, used up, expired or revoked";
            if (profile.githubId() == null) {
                return Uni.createFrom().item(Admission.refused(reason));
            }
            return signups.join(tx, profile, reason).replaceWith(Admission.refused(reason));
        });
    }

    public Uni<Invite> create(Caller caller, CreateInviteRequest request) {
        CreateInviteRequest body = request == null ? new CreateInviteRequest(null, null, null, null) : request;
        int maxUses = body.maxUses() == null ? 1 : body.maxUses();
        if (maxUses < 1 || maxUses > MAX_USES) {
            return Uni.createFrom().failure(ApiException.badRequest("maxUses must be between 1 and " + MAX_USES));
        }
        if (body.code() != null && !CODE.matcher(body.code()).matches()) {
            return Uni.createFrom().failure(ApiException.badRequest(
                    "code must be 4-64 letters, digits, '-' or '_'"));
        }
        if (body.note() != null && body.note().length() > MAX_NOTE) {
            return Uni.createFrom().failure(ApiException.badRequest("note must be at most " + MAX_NOTE
                    + " characters"));
        }
        try {
            UserText.requireFreeText("note", body.note());
        } catch (ApiException refused) {
            return Uni.createFrom().failure(refused);
        }
        if (body.expiresAt() != null && !body.expiresAt().isAfter(Instant.now())) {
            return Uni.createFrom().failure(ApiException.badRequest("expiresAt must be in the future"));
        }
        String code = body.code() == null ? generateCode() : body.code();
        return signups.codeTaken(code).flatMap(taken -> {
            if (taken) {
                throw ApiException.conflict("an invite with code '" + code + "' already exists");
            }
            return signups.pool().withTransaction(tx -> signups.insertInvite(tx, UUID.randomUUID(), code, maxUses,
                    body.expiresAt() == null ? null : body.expiresAt().atOffset(ZoneOffset.UTC), body.note())
                    .call(invite -> audit.record(tx, caller, "invite.create", AUDIT_TARGET, invite.id(),
                            details(invite))));
        });
    }

    public Uni<List<Invite>> invites() {
        return signups.invites();
    }

    public Uni<Void> revoke(Caller caller, UUID id) {
        return signups.pool().withTransaction(tx -> signups.revoke(tx, id).flatMap(invite -> {
            if (invite == null) {
                throw ApiException.notFound("no invite " + id);
            }
            return audit.record(tx, caller, "invite.revoke", AUDIT_TARGET, id, details(invite));
        }));
    }

    public Uni<List<WaitlistEntry>> waitlist() {
        return signups.waitlist();
    }

    /** Approves an entry: a one-use invite, which the person's next GitHub sign-in redeems without typing it. */
    public Uni<ApprovedEntry> approve(Caller caller, UUID entryId) {
        return signups.pool().withTransaction(tx -> signups.lockEntry(tx, entryId).flatMap(entry -> {
            if (entry == null) {
                throw ApiException.notFound("no waitlist entry " + entryId);
            }
            if (entry.approvedAt() != null) {
                throw ApiException.conflict("the entry of '" + entry.login() + "' is already approved");
            }
            return signups.insertInvite(tx, UUID.randomUUID(), generateCode(), 1,
                    Instant.now().plus(APPROVAL_VALIDITY).atOffset(ZoneOffset.UTC), "waitlist: " + entry.login())
                    .flatMap(invite -> signups.approve(tx, entryId, invite.id())
                            .map(approved -> new ApprovedEntry(approved, invite)));
        }).call(approved -> audit.record(tx, caller, "waitlist.approve", "waitlist", entryId,
                Map.of("login", approved.entry().login(), "githubId", approved.entry().githubId(),
                        "inviteId", approved.invite().id().toString()))));
    }

    /**
     * In {@code stripe} mode, creating workspaces needs a paid plan (any but {@code free}); refused with 402 until a
     * Stripe event moves the user. Other modes let every plan create up to its quota.
     */
    public Uni<Void> requirePaidPlan(UUID userId) {
        if (mode != SignupMode.STRIPE) {
            return Uni.createFrom().voidItem();
        }
        return signups.plan(userId).map(plan -> {
            if (plan == null || "free".equals(plan)) {
                throw ApiException.paymentRequired("this installation needs a paid plan to create "
                        + "workspaces; subscribe, then try again");
            }
            return null;
        });
    }

    private static Map<String, Object> details(Invite invite) {
        Map<String, Object> details = new HashMap<>();
        details.put("code", invite.code());
        details.put("maxUses", invite.maxUses());
        if (invite.expiresAt() != null) {
            details.put("expiresAt", invite.expiresAt().toInstant().toString());
        }
        return details;
    }

    private static String generateCode() {
        StringBuilder code = new StringBuilder("arcx-");
        for (int i = 0; i < 12; i++) {
            code.append(CODE_ALPHABET[RANDOM.nextInt(CODE_ALPHABET.length)]);
        }
        return code.toString();
    }
}
