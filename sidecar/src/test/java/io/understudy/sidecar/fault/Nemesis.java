package io.understudy.sidecar.fault;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Injects faults one after another, in an order drawn from {@code Random(seed)}: before each, waits for a steady
 * cluster; after each, heals everything. The seed is printed so that {@code -Dunderstudy.fault.seed=N} replays
 * the same order and the same targets.
 */
final class Nemesis {
    /** How long a fault on the leader may take to give way to a new acknowledged sync write before we move on. */
    private static final Duration RECOVERY_PATIENCE = Duration.ofSeconds(30);

    private final Cluster cluster;
    private final Workload workload;
    private final Random random;
    private final List<FaultRecord> injected = new ArrayList<>();

    Nemesis(Cluster cluster, Workload workload, long seed) {
        this.cluster = cluster;
        this.workload = workload;
        this.random = new Random(seed);
    }

    /** The seed for this run: {@code -Dunderstudy.fault.seed=N}, else a fresh one. Printed either way. */
    static long seed(String suite) {
        String fixed = System.getProperty("understudy.fault.seed", "");
        long seed = fixed.isBlank() ? new Random().nextLong() : Long.parseLong(fixed.trim());
        System.out.println(
                "[" + suite + "] fault seed " + seed + " (replay with -Dunderstudy.fault.seed=" + seed + ")");
        return seed;
    }

    /** Every fault kind once, in a random order. */
    List<FaultKind> shuffledRound() {
        List<FaultKind> kinds = new ArrayList<>(Arrays.asList(FaultKind.values()));
        Collections.shuffle(kinds, random);
        return kinds;
    }

    List<FaultRecord> injected() {
        return List.copyOf(injected);
    }

    void inject(FaultKind kind) {
        cluster.awaitSteady(Duration.ofSeconds(60));
        int p = random.nextInt(cluster.settings().partitions());
        String leader = cluster.leader(p).orElseThrow(() -> new AssertionError("no leader of p" + p + " to fault"));
        List<String> followers =
                cluster.ids().stream().filter(id -> !id.equals(leader)).toList();
        String follower = followers.get(random.nextInt(followers.size()));
        int zkA = 1 + random.nextInt(3);
        int zkB = 1 + (zkA + random.nextInt(2)) % 3; // a different server than zkA
        Duration session = cluster.settings().sessionTimeout();
        long t0 = System.nanoTime();
        String target;
        long isolatedFrom = 0;
        long isolatedUntil = 0;
        switch (kind) {
            case KILL_LEADER -> {
                target = leader + " (p" + p + ")";
                cluster.kill(leader);
                awaitSyncAck(t0, p);
                cluster.restart(leader);
            }
            case KILL_FOLLOWER -> {
                target = follower;
                cluster.kill(follower);
                hold(session.plusSeconds(1));
                cluster.restart(follower);
            }
            case PAUSE_LEADER -> {
                target = leader + " (p" + p + ")";
                cluster.pause(leader);
                hold(session.plusSeconds(2));
                cluster.resume(leader);
            }
            case ZK_SERVER_DOWN -> {
                target = "zk-" + zkA;
                cluster.stopZk(zkA);
                hold(Duration.ofSeconds(3));
                cluster.startZk(zkA);
            }
            case ZK_QUORUM_LOST -> {
                target = "zk-" + zkA + ", zk-" + zkB;
                cluster.stopZk(zkA);
                cluster.stopZk(zkB);
                hold(Duration.ofSeconds(4));
                cluster.startZk(zkA);
                cluster.startZk(zkB);
            }
            case ISOLATE_FOLLOWER -> {
                target = follower + " (from leader " + leader + " of p" + p + ")";
                cluster.isolatePeer(follower);
                hold(cluster.settings().replicaLagMax().plusSeconds(2));
            }
            case ISOLATE_LEADER -> {
                target = leader + " (p" + p + ", cut off from " + followers + ")";
                followers.forEach(cluster::isolatePeer);
                isolatedFrom = System.nanoTime();
                hold(cluster.settings().replicaLagMax().plusSeconds(2));
                isolatedUntil = System.nanoTime();
            }
            case TERM_LEADER -> {
                target = leader + " (p" + p + ")";
                cluster.stop(leader);
                awaitSyncAck(t0, p);
                cluster.restart(leader);
            }
            default -> throw new IllegalStateException("unknown fault " + kind);
        }
        cluster.heal();
        boolean zkFault = kind == FaultKind.ZK_SERVER_DOWN || kind == FaultKind.ZK_QUORUM_LOST;
        FaultRecord record =
                new FaultRecord(injected.size() + 1, kind, target, zkFault ? -1 : p, t0, isolatedFrom, isolatedUntil);
        injected.add(record);
        System.out.printf(
                "[nemesis] #%d %s on %s, healed after %d ms%n",
                record.number(), kind, target, (System.nanoTime() - t0) / 1_000_000);
    }

    private void awaitSyncAck(long sinceNanos, int partition) {
        try {
            await("a sync write acknowledged after the fault")
                    .atMost(RECOVERY_PATIENCE)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() ->
                            workload.firstAckedSyncEnd(sinceNanos, partition).isPresent());
        } catch (ConditionTimeoutException e) {
            // Not fatal here: the report shows the missing failover and the suite's failover assertion fails.
            System.out.println("[nemesis] no sync write acknowledged within " + RECOVERY_PATIENCE + " of the fault");
        }
    }

    private static void hold(Duration duration) {
        try {
            // Holding a fault for a fixed time is the fault itself (a pause longer than the session, a partition
            // longer than replicaLagMaxMs); there is no condition to wait for instead.
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while holding a fault", e);
        }
    }
}
