package dev.arcx.orchestrator.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Which address the audit log records: the forwarded client only behind a trusted proxy. */
class CallersTest {

    @Test
    void forwardedForCountsOnlyWhenTheProxyIsTrusted() {
        assertEquals("10.1.2.3", Callers.sourceAddress(false, "203.0.113.7", "10.1.2.3"));
        assertEquals("203.0.113.7", Callers.sourceAddress(true, " 203.0.113.7 , 10.0.0.1", "10.1.2.3"));
        assertEquals("10.1.2.3", Callers.sourceAddress(true, null, "10.1.2.3"));
        assertEquals("10.1.2.3", Callers.sourceAddress(true, " ,10.0.0.1", "10.1.2.3"));
    }
}
