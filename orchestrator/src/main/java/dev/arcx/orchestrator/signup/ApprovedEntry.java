package dev.arcx.orchestrator.signup;

/** Answer of an approval: the entry and the invite that lets its person in (also usable as a link). */
public record ApprovedEntry(WaitlistEntry entry, Invite invite) {
}
