package dev.arcx.orchestrator.webhook;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/** Which webhook receivers are out of bounds: those whose address is the platform's own network. */
final class ReceiverAddresses {
    private ReceiverAddresses() {
    }

    /** Why a delivery to {@code url} is refused, or empty when its host resolves only to public addresses. */
    static Optional<String> refusal(String url) {
        String host = URI.create(url).getHost();
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (internal(address)) {
                    return Optional.of("the receiver " + host + " resolves to " + address.getHostAddress()
                            + ", a loopback, private or link-local address; webhooks go to public addresses only");
                }
            }
            return Optional.empty();
        } catch (UnknownHostException e) {
            return Optional.of("the receiver's host " + host + " does not resolve");
        }
    }

    static boolean internal(InetAddress address) {
        return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()
                // IPv6 unique-local fc00::/7, which isSiteLocalAddress does not cover.
                || (address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc);
    }
}
