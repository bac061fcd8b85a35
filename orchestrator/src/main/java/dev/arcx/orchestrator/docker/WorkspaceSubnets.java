package dev.arcx.orchestrator.docker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The subnets workspace networks are given: fixed-size blocks of one configured range, each handed out only while no
 * network of the engine overlaps it. Pure arithmetic over IPv4 addresses; {@link DockerEngine} asks the engine which
 * subnets are taken.
 */
public final class WorkspaceSubnets {
    private final long base;
    private final int poolPrefix;
    private final int prefix;

    /**
     * @param pool   the range, {@code a.b.c.d/n}
     * @param prefix each workspace subnet's prefix length, at least the pool's and at most 29 (a gateway, a container
     *               and room for a helper)
     */
    public WorkspaceSubnets(String pool, int prefix) {
        Cidr range = Cidr.parse(pool);
        if (prefix < range.prefix() || prefix > 29) {
            throw new IllegalArgumentException("arcx.workspaces.subnet-prefix " + prefix + " must lie between the pool's "
                    + range.prefix() + " and 29");
        }
        this.base = range.network();
        this.poolPrefix = range.prefix();
        this.prefix = prefix;
    }

    /** How many subnets the pool holds. */
    public long size() {
        return 1L << (prefix - poolPrefix);
    }

    /**
     * Free subnets to try, in order: starting at a place that depends on {@code name} (so workspaces created at the
     * same moment seldom reach for the same block), skipping every block that overlaps one of {@code taken}.
     */
    public List<String> candidates(String name, Collection<String> taken, int max) {
        List<Cidr> used = new ArrayList<>();
        for (String subnet : taken) {
            try {
                used.add(Cidr.parse(subnet));
            } catch (IllegalArgumentException notIpv4) {
                // IPv6 subnets cannot overlap an IPv4 pool.
            }
        }
        long count = size();
        long start = Math.floorMod(name.hashCode(), count);
        List<String> free = new ArrayList<>();
        for (long i = 0; i < count && free.size() < max; i++) {
            Cidr block = new Cidr(base + (((start + i) % count) << (32 - prefix)), prefix);
            if (used.stream().noneMatch(block::overlaps)) {
                free.add(block.toString());
            }
        }
        return free;
    }

    record Cidr(long network, int prefix) {
        static Cidr parse(String text) {
            String[] parts = text.trim().split("/");
            if (parts.length != 2) {
                throw new IllegalArgumentException("not an IPv4 CIDR: " + text);
            }
            String[] octets = parts[0].split("\\.");
            if (octets.length != 4) {
                throw new IllegalArgumentException("not an IPv4 CIDR: " + text);
            }
            long address = 0;
            for (String octet : octets) {
                int value = Integer.parseInt(octet);
                if (value < 0 || value > 255) {
                    throw new IllegalArgumentException("not an IPv4 CIDR: " + text);
                }
                address = (address << 8) | value;
            }
            int length = Integer.parseInt(parts[1]);
            if (length < 8 || length > 32) {
                throw new IllegalArgumentException("not an IPv4 CIDR: " + text);
            }
            long mask = length == 0 ? 0 : (0xffffffffL << (32 - length)) & 0xffffffffL;
            return new Cidr(address & mask, length);
        }

        long last() {
            return network + (1L << (32 - prefix)) - 1;
        }

        boolean overlaps(Cidr other) {
            return network <= other.last() && other.network <= last();
        }

        @Override
        public String toString() {
            return ((network >> 24) & 255) + "." + ((network >> 16) & 255) + "." + ((network >> 8) & 255) + "."
                    + (network & 255) + "/" + prefix;
        }
    }
}
