package dev.arcx.orchestrator.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.arcx.common.http.ClientAddress;
import org.junit.jupiter.api.Test;

/** Which address the audit log records: the forwarded client only behind a trusted proxy. */
class CallersTest {

    @Test
    void forwardedForCountsOnlyWhenTheProxyIsTrusted() {
        assertEquals("10.1.2.3", ClientAddress.of(false, "203.0.113.7", "10.1.2.3"));
        assertEquals("203.0.113.7", ClientAddress.of(true, " 203.0.113.7 , 10.0.0.1", "10.1.2.3"));
        assertEquals("10.1.2.3", ClientAddress.of(true, null, "10.1.2.3"));
        assertEquals("10.1.2.3", ClientAddress.of(true, " ,10.0.0.1", "10.1.2.3"));
    }
}
