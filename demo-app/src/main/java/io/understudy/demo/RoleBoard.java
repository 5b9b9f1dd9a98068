package io.understudy.demo;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The last role the sidecar reported for each partition, for the status page. */
public final class RoleBoard {

    /** One role report: this member's role in a partition, the epoch and the leader it names. */
    public record Role(String role, long epoch, String leader) {}

    private final Map<Integer, Role> roles = new ConcurrentHashMap<>();

    public void record(int partition, Role role) {
        roles.put(partition, role);
    }

    public SortedMap<Integer, Role> snapshot() {
        return new TreeMap<>(roles);
    }
}
