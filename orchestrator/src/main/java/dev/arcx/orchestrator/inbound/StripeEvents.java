package dev.arcx.orchestrator.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arcx.orchestrator.audit.AuditLog;
import dev.arcx.orchestrator.audit.Caller;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import dev.arcx.orchestrator.support.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * What Stripe's events do: a completed checkout puts its user ({@code client_reference_id}, else
 * {@code metadata.arcx_user_id}) on the checkout's plan ({@code metadata.plan}, else {@code arcx.stripe.checkout-plan})
 * and remembers the Stripe customer; subscription updates move the customer's user to the plan of the subscription's
 * price ({@code arcx.stripe.prices}) while it is active or trialing and back to free once it is canceled, unpaid or
 * expired; a deleted subscription means free. Each event acts once, in one transaction with its receipt.
 */
@ApplicationScoped
public class StripeEvents {
    static final String SOURCE = "stripe";
    private static final Logger LOG = Logger.getLogger(StripeEvents.class);
    private static final String FREE = "free";
    private static final Set<String> PAYING = Set.of("active", "trialing");
    private static final Set<String> ENDED = Set.of("canceled", "unpaid", "incomplete_expired");

    private final InboundEvents events;
    private final AuditLog audit;
    private final OrchestratorConfig.Stripe config;

    StripeEvents(InboundEvents events, AuditLog audit, OrchestratorConfig config) {
        this.events = events;
        this.audit = audit;
        this.config = config.stripe();
    }

    public Uni<Received> handle(String eventId, String type, JsonNode object, String sourceIp) {
        Caller stripe = new Caller(SOURCE, sourceIp);
        return events.pool().withTransaction(tx -> events.claim(tx, SOURCE, eventId, type).flatMap(fresh -> {
            if (!fresh) {
                return Uni.createFrom().item(new Outcome(true, "already received", null));
            }
            return act(tx, type, object).call(outcome -> recorded(tx, stripe, eventId, type, outcome));
        }))
                .map(outcome -> new Received(eventId, outcome.duplicate(), outcome.summary()));
    }

    private Uni<Outcome> act(SqlClient tx, String type, JsonNode object) {
        return switch (type) {
            case "checkout.session.completed" -> {
                UUID user = uuid(text(object, "client_reference_id"));
                if (user == null) {
                    user = uuid(text(object.path("metadata"), "arcx_user_id"));
                }
                String plan = text(object.path("metadata"), "plan");
                yield move(tx, user, null, plan == null ? config.checkoutPlan() : plan, text(object, "customer"));
            }
            case "customer.subscription.created", "customer.subscription.updated" -> {
                String status = text(object, "status");
                String plan = PAYING.contains(status) ? subscriptionPlan(object)
                        : ENDED.contains(status) ? FREE : null;
                yield plan == null ? ignored("subscription status " + status + " with no plan to apply")
                        : move(tx, uuid(text(object.path("metadata"), "arcx_user_id")), text(object, "customer"), plan,
                                null);
            }
            case "customer.subscription.deleted" -> move(tx, uuid(text(object.path("metadata"), "arcx_user_id")),
                    text(object, "customer"), FREE, null);
            default -> ignored("event type not acted on");
        };
    }

    /** The plan of the subscription's first price that arcx knows; the subscription's metadata.plan otherwise. */
    private String subscriptionPlan(JsonNode subscription) {
        for (JsonNode item : subscription.path("items").path("data")) {
            String plan = config.prices().get(text(item.path("price"), "id"));
            if (plan != null) {
                return plan;
            }
        }
        return text(subscription.path("metadata"), "plan");
    }

    /**
     * Puts the user (by id, else by Stripe customer) on {@code plan}, remembering {@code newCustomer} when given. An
     * unknown user or plan changes nothing: the event is still received, and Stripe must not retry it forever.
     */
    private Uni<Outcome> move(SqlClient tx, UUID userId, String customer, String plan, String newCustomer) {
        if (userId == null && customer == null) {
            return ignored("the event names no arcx user and no customer");
        }
        return tx.preparedQuery("WITH target AS (SELECT id, plan_id FROM users WHERE (id = $1 OR "
                + "($1::uuid IS NULL AND stripe_customer_id = $2)) FOR UPDATE) "
                + "UPDATE users u SET plan_id = $3, stripe_customer_id = coalesce($4, u.stripe_customer_id), "
                + "updated_at = now() FROM target WHERE u.id = target.id AND EXISTS (SELECT 1 FROM plans WHERE id = $3) "
                + "RETURNING u.id, target.plan_id AS previous")
                .execute(Tuple.of(userId, customer, plan, newCustomer))
                .map(rows -> Rows.first(rows, row -> new Outcome(false, "plan " + row.getString("previous") + " -> " + plan,
                        new PlanMove(row.getUUID("id"), row.getString("previous"), plan))))
                .map(moved -> moved != null ? moved : new Outcome(false, "no such user, or unknown plan '" + plan + "'",
                        null));
    }

    private Uni<Void> recorded(SqlClient tx, Caller stripe, String eventId, String type, Outcome outcome) {
        if (outcome.move() == null) {
            LOG.debugf("Stripe event %s (%s): %s", eventId, type, outcome.summary());
        }
        Map<String, Object> details = new HashMap<>();
        details.put("type", type);
        details.put("outcome", outcome.summary());
        Uni<Void> received = audit.record(tx, stripe, "stripe.event", "stripe-event", eventId, details);
        PlanMove move = outcome.move();
        return move == null ? received : received.chain(() -> audit.record(tx, stripe, "user.plan", "user", move.userId(),
                Map.of("from", move.from(), "to", move.to(), "stripeEvent", eventId)));
    }

    private static Uni<Outcome> ignored(String why) {
        return Uni.createFrom().item(new Outcome(false, why, null));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    private static UUID uuid(String text) {
        try {
            return text == null ? null : UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private record PlanMove(UUID userId, String from, String to) {
    }

    private record Outcome(boolean duplicate, String summary, PlanMove move) {
    }
}
