package io.understudy.sidecar.config;

/** Config texts shared by the tests. */
final class ConfigFixtures {
    /** The example config of the README (docs/design.md), as written there. */
    static final String DESIGN_EXAMPLE = """
            group: catalog
            member: node-1
            zookeeper: { connect: "127.0.0.1:2181", sessionTimeoutMs: 4000 }
            api:  { listen: "127.0.0.1:7001" }                                   # local API, for the host app only
            peer: { listen: "127.0.0.1:7101", advertise: "http://127.0.0.1:7101", token: "..." }
            app:  { url: "http://127.0.0.1:8001" }                               # optional: where committed entries go
            dataDir: "/var/lib/understudy/node-1"
            partitions: 1
            replication: { minInSync: 2, defaultDurability: sync, fsync: always, replicaLagMaxMs: 10000 }
            """;

    /** Only the required keys. */
    static final String MINIMAL = """
            group: catalog
            member: node-1
            zookeeper:
              connect: 127.0.0.1:2181
            peer:
              listen: 127.0.0.1:7101
              token: secret
            dataDir: /tmp/understudy
            """;

    private ConfigFixtures() {}
}
