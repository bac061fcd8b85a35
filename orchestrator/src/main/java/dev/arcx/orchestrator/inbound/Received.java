package dev.arcx.orchestrator.inbound;

/**
 * Answer to a webhook delivery that was verified.
 *
 * @param duplicate the event was received before and nothing was done again
 * @param outcome what the event changed, or why it changed nothing
 */
public record Received(String eventId, boolean duplicate, String outcome) {
}
