package io.understudy.sidecar;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.understudy.sidecar.api.BatchCodec;
import io.understudy.sidecar.api.BatchWriteHandler;
import io.understudy.sidecar.api.BodyBudget;
import io.understudy.sidecar.api.ErrorMapper;
import io.understudy.sidecar.api.HttpApi;
import io.understudy.sidecar.api.ListenerBindException;
import io.understudy.sidecar.api.OnWorker;
import io.understudy.sidecar.api.Responses;
import io.understudy.sidecar.api.SwitchoverHandler;
import io.understudy.sidecar.api.WriteHandler;
import io.understudy.sidecar.api.local.BackupOfferHandler;
import io.understudy.sidecar.api.local.BackupRecordsHandler;
import io.understudy.sidecar.api.local.BackupSnapshotHandler;
import io.understudy.sidecar.api.local.EventsHandler;
import io.understudy.sidecar.api.local.HealthChecks;
import io.understudy.sidecar.api.local.HealthHandler;
import io.understudy.sidecar.api.local.LeaderProbeHandler;
import io.understudy.sidecar.api.local.MembersHandler;
import io.understudy.sidecar.api.local.MetricsHandler;
import io.understudy.sidecar.api.local.PauseHandler;
import io.understudy.sidecar.api.local.ReadyHandler;
import io.understudy.sidecar.api.local.RedeliverHandler;
import io.understudy.sidecar.api.local.ReplicaProbeHandler;
import io.understudy.sidecar.api.local.StatusHandler;
import io.understudy.sidecar.api.local.StatusPageHandler;
import io.understudy.sidecar.api.local.WaitHandler;
import io.understudy.sidecar.api.peer.AppendHandler;
import io.understudy.sidecar.api.peer.HttpPeerClient;
import io.understudy.sidecar.api.peer.SnapshotHandler;
import io.understudy.sidecar.api.peer.TokenCheck;
import io.understudy.sidecar.config.ConfigException;
import io.understudy.sidecar.config.ConfigKey;
import io.understudy.sidecar.config.Fsync;
import io.understudy.sidecar.config.LogConfig;
import io.understudy.sidecar.config.SidecarConfig;
import io.understudy.sidecar.coordination.ActiveMembership;
import io.understudy.sidecar.coordination.ConnectionListener;
import io.understudy.sidecar.coordination.CuratorLeaderElection;
import io.understudy.sidecar.coordination.GroupSettings;
import io.understudy.sidecar.coordination.MemberInfo;
import io.understudy.sidecar.coordination.MemberRoster;
import io.understudy.sidecar.coordination.Membership;
import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.coordination.ZkGroupPause;
import io.understudy.sidecar.coordination.ZkGroupRegistry;
import io.understudy.sidecar.coordination.ZkMembership;
import io.understudy.sidecar.coordination.ZkPartitionStateStore;
import io.understudy.sidecar.coordination.ZkPaths;
import io.understudy.sidecar.coordination.ZkRemovedMembers;
import io.understudy.sidecar.coordination.ZooKeeperConnection;
import io.understudy.sidecar.delivery.AppSnapshots;
import io.understudy.sidecar.delivery.DeliveryLoop;
import io.understudy.sidecar.delivery.HostAppClient;
import io.understudy.sidecar.delivery.HttpHostAppClient;
import io.understudy.sidecar.delivery.NoHostApp;
import io.understudy.sidecar.delivery.RoleNotice;
import io.understudy.sidecar.delivery.SnapshotSchedule;
import io.understudy.sidecar.log.BootId;
import io.understudy.sidecar.log.ChannelForce;
import io.understudy.sidecar.log.DataDirectory;
import io.understudy.sidecar.log.FsyncPolicy;
import io.understudy.sidecar.log.LogRetention;
import io.understudy.sidecar.log.RetentionSettings;
import io.understudy.sidecar.log.SegmentedLog;
import io.understudy.sidecar.metrics.GroupSource;
import io.understudy.sidecar.metrics.PartitionSource;
import io.understudy.sidecar.metrics.SidecarMetrics;
import io.understudy.sidecar.replication.IdempotencySettings;
import io.understudy.sidecar.replication.LeaderSettings;
import io.understudy.sidecar.replication.LeaderWait;
import io.understudy.sidecar.replication.MemberRemoval;
import io.understudy.sidecar.replication.PartitionReplica;
import io.understudy.sidecar.replication.PeerClient;
import io.understudy.sidecar.replication.PrioritizingPeerClient;
import io.understudy.sidecar.replication.ReplicaListener;
import io.understudy.sidecar.replication.ReplicaRole;
import io.understudy.sidecar.replication.ReplicaSet;
import io.understudy.sidecar.replication.ReplicaSettings;
import io.understudy.sidecar.replication.ReplicaSnapshots;
import io.understudy.sidecar.replication.SenderSettings;
import io.understudy.sidecar.replication.Ticker;
import io.understudy.sidecar.snapshot.FileSnapshotStore;
import io.understudy.sidecar.snapshot.SnapshotStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.SessionConnectionStateErrorPolicy;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every part of one agent from its configuration, wires them, starts them and
 * closes them in order. No replication logic lives here.
 */
public final class Sidecar implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sidecar.class);
    private static final Duration HAND_OVER_GRACE = Duration.ofSeconds(2);
    /**
     * How long a write that entered here is routed again while its partition has no leader taking writes (a
     * switchover, a graceful stop, leader balancing, an election): longer than a planned hand-over takes.
     */
    private static final Duration LEADER_WAIT = Duration.ofSeconds(10);

    private static final long PEER_MAX_BODY_BYTES = 256L << 20;
    /** Payload bytes in one append to a follower (at least one entry): each sender holds one batch, twice encoded. */
    private static final long PEER_BATCH_BYTES = 2L << 20;

    private final SidecarConfig config;
    private final Clock clock;
    private final BuildInfo build = BuildInfo.current();
    private final ObjectMapper json =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final DataDirectory dataDir;
    private final List<SegmentedLog> logs = new ArrayList<>();
    private final CuratorFramework curator;
    private final ExecutorService zkIo;
    private final ScheduledExecutorService timer;
    private final Membership membership;
    private final ZkRemovedMembers removedMembers;
    private final MemberRemoval memberRemoval;
    private final ZkPartitionStateStore stateStore;
    private final ZkGroupPause pause;
    private final PeerClient peers;
    private final HostAppClient app;
    private final List<PartitionReplica> replicas = new ArrayList<>();
    private final List<DeliveryLoop> deliveries = new ArrayList<>();
    private final SnapshotStore snapshots;
    /** Where snapshots are taken from the app: off the partition loops and the delivery threads. */
    private final ExecutorService snapshotTaking;
    /** Where followers fetch a leader's snapshot: off the partition loops. */
    private final ExecutorService snapshotFetching;

    private final ReplicaSet replicaSet;
    private final MemberRoster roster;
    private final ZooKeeperConnection zooKeeperConnection = new ZooKeeperConnection();
    private final SidecarMetrics metrics;
    private final HttpApi http;
    private final long started;
    private final FatalErrors fatal;
    private ScheduledFuture<?> heartbeat;
    private boolean closed;

    /** @param fatal what stops this member when one of its threads dies of an Error */
    public Sidecar(SidecarConfig config, Clock clock, FatalErrors fatal) throws IOException {
        this(config, clock, fatal, ChannelForce.SYSTEM, BootId.kernel());
    }

    /**
     * With the seams tests use: {@code force} forces the logs (a test injects disk faults), {@code bootId} reads the
     * kernel boot id (a test simulates a reboot with another id).
     */
    public Sidecar(SidecarConfig config, Clock clock, FatalErrors fatal, ChannelForce force, BootId bootId)
            throws IOException {
        this.config = config;
        this.fatal = fatal;
        this.clock = clock;
        this.started = clock.millis();
        this.dataDir = DataDirectory.open(config.dataDir(), bootId);
        this.metrics = new SidecarMetrics(config.group(), config.member(), config.partitions(), clock);
        openLogs(metrics.timed(force));
        this.curator = CuratorFrameworkFactory.builder()
                .connectString(config.zookeeper().connect())
                .sessionTimeoutMs((int) config.zookeeper().sessionTimeout().toMillis())
                .connectionTimeoutMs(
                        (int) config.zookeeper().connectionTimeout().toMillis())
                .retryPolicy(new ExponentialBackoffRetry(100, 3))
                // SUSPENDED is handled by the replicas themselves (stop acknowledging, verify on reconnect);
                // only a lost session takes the latch away.
                .connectionStateErrorPolicy(new SessionConnectionStateErrorPolicy())
                .build();
        ZkPaths paths = new ZkPaths(config.group());
        this.zkIo = Executors.newFixedThreadPool(4, fatal.threads("zk-io"));
        this.timer = fatal.scheduler("timer", 1);
        Duration loadWait = config.zookeeper().sessionTimeout().multipliedBy(2);
        this.removedMembers = new ZkRemovedMembers(config.member(), curator, paths, clock, zkIo, loadWait);
        this.membership = new ActiveMembership(new ZkMembership(curator, paths, json, loadWait), removedMembers);
        this.roster = new MemberRoster(membership);
        this.stateStore = new ZkPartitionStateStore(curator, paths, json, zkIo);
        this.pause = new ZkGroupPause(curator, paths, clock, zkIo);
        Duration requestTimeout = config.replication().requestTimeout();
        this.peers = peerClient(json, requestTimeout);
        this.app = config.app()
                .url()
                .<HostAppClient>map(url -> new HttpHostAppClient(
                        url, config.group(), config.member(), json, config.app().requestTimeout()))
                .orElseGet(NoHostApp::new);
        ReplicaSettings settings = replicaSettings();
        ReplicaListener listener = new Listener();
        this.snapshots = new FileSnapshotStore(dataDir);
        this.snapshotTaking = Executors.newSingleThreadExecutor(fatal.threads("snapshot"));
        this.snapshotFetching = Executors.newSingleThreadExecutor(fatal.threads("snapshot-fetch"));
        LogConfig logConfig = config.log();
        LogRetention retention = new LogRetention(
                new RetentionSettings(logConfig.segmentBytes(), logConfig.retainBytes(), logConfig.retain()), clock);
        for (int p = 0; p < config.partitions(); p++) {
            SegmentedLog partitionLog = logs.get(p);
            AppSnapshots appSnapshots = new AppSnapshots(
                    config.member(),
                    p,
                    app,
                    snapshots,
                    partitionLog,
                    new SnapshotSchedule(
                            config.app().snapshotIntervalEntries(), logConfig.retainBytes(), logConfig.segmentBytes()),
                    snapshotTaking);
            var applied = dataDir.durableLong("partition-" + p + "/applied");
            int partition = p;
            PartitionReplica replica = new PartitionReplica(
                    p,
                    config.member(),
                    dataDir.id(),
                    partitionLog,
                    dataDir.durableLong("partition-" + p + "/known-epoch"),
                    dataDir.durableLong("partition-" + p + "/incarnation"),
                    applied.get(),
                    stateStore,
                    membership,
                    events -> new CuratorLeaderElection(curator, paths.latch(partition), config.member(), events),
                    peers,
                    settings,
                    clock,
                    Ticker.system(),
                    listener,
                    timer,
                    pause::paused,
                    new ReplicaSnapshots(
                            snapshots,
                            () -> appSnapshots.support() == AppSnapshots.Support.UNSUPPORTED,
                            retention::trimIndex,
                            snapshotFetching));
            replicas.add(replica);
            deliveries.add(new DeliveryLoop(
                    config.member(),
                    p,
                    partitionLog,
                    replica::commitIndex,
                    applied,
                    app,
                    () -> roleNotice(replica),
                    config.app(),
                    Optional.of(appSnapshots)));
        }
        this.replicaSet =
                new ReplicaSet(replicas, membership, peers, new LeaderWait(timer, Ticker.system(), LEADER_WAIT));
        this.memberRemoval = new MemberRemoval(
                config.member(),
                replicaSet,
                membership,
                roster,
                removedMembers,
                config.replication().minInSync(),
                Ticker.system());
        metrics.watch(groupSource());
        metrics.buildInfo(build);
        this.http = buildHttp();
    }

    private GroupSource groupSource() {
        List<PartitionSource> partitions = new ArrayList<>();
        for (int p = 0; p < replicas.size(); p++) {
            PartitionReplica replica = replicas.get(p);
            DeliveryLoop delivery = deliveries.get(p);
            partitions.add(new PartitionSource(
                    replica::status, replica::followerMatches, delivery::appliedIndex, delivery::failures));
        }
        return new GroupSource(
                partitions,
                membership::live,
                config.replication().minInSync(),
                () -> curator.getZookeeperClient().isConnected());
    }

    /** Over HTTP; through a per-follower link scheduler when some partitions replicate first. */
    private PeerClient peerClient(ObjectMapper json, Duration requestTimeout) {
        var r = config.replication();
        PeerClient http = new HttpPeerClient(
                json, config.peer().token(), requestTimeout, Duration.ofSeconds(30), r.compression());
        if (r.highPriorityPartitions().isEmpty()) return http;
        return new PrioritizingPeerClient(http, r.highPriorityPartitions(), r.linkWindowBytes(), requestTimeout);
    }

    private RoleNotice roleNotice(PartitionReplica replica) {
        var status = replica.status();
        return RoleNotice.of(status.role(), status.epoch(), status.leader(), config.member());
    }

    private void openLogs(ChannelForce force) throws IOException {
        FsyncPolicy policy = FsyncPolicy.valueOf(config.replication().fsync().name());
        boolean suspect = false;
        for (int p = 0; p < config.partitions(); p++) {
            SegmentedLog partitionLog = SegmentedLog.open(
                    dataDir.partitionDir(p),
                    p,
                    policy,
                    config.replication().fsyncInterval(),
                    config.log().segmentBytes(),
                    force);
            logs.add(partitionLog);
            if (partitionLog.recovery().corruptionFound()) {
                log.warn("[{} p{}] log damaged on disk: {}", config.member(), p, partitionLog.recovery());
                suspect = true;
            }
        }
        boolean crashed = !dataDir.isNew() && !dataDir.wasCleanShutdown();
        String fsync = config.replication().fsync().name().toLowerCase(Locale.ROOT);
        if (crashed && config.replication().fsync() != Fsync.ALWAYS) {
            if (dataDir.sameBootAsPreviousRun()) {
                log.info(
                        "[{}] restarting after a crash with fsync: {}, but the machine did not reboot since (same "
                                + "boot id): the page cache kept every write, so this member keeps its data dir id",
                        config.member(),
                        fsync);
            } else {
                log.warn(
                        "[{}] restarting after a crash and a reboot with fsync: {}: acknowledged entries may be "
                                + "missing",
                        config.member(),
                        fsync);
                suspect = true;
            }
        }
        if (suspect) {
            dataDir.rotateId();
            log.warn(
                    "[{}] this member rejoins as a new replica (data dir id {}): it must catch up before it may "
                            + "lead again",
                    config.member(),
                    dataDir.id());
        }
    }

    private ReplicaSettings replicaSettings() {
        var r = config.replication();
        SenderSettings sender = new SenderSettings(
                r.maxBatchEntries(),
                PEER_BATCH_BYTES,
                r.heartbeatInterval(),
                r.requestTimeout(),
                r.maxInFlightBatches());
        Duration balance = config.partitions() > 1 ? r.leaderBalanceDelay() : Duration.ZERO;
        LeaderSettings leader = new LeaderSettings(
                r.minInSync(),
                r.replicaLagMax(),
                sender,
                balance,
                r.maxPendingWrites(),
                new IdempotencySettings(r.idempotencyWindow(), r.idempotencyMaxKeys()));
        return new ReplicaSettings(
                leader,
                r.heartbeatInterval(),
                r.uncleanElection(),
                config.zookeeper().sessionTimeout().multipliedBy(2));
    }

    private HttpApi buildHttp() {
        Responses responses = new Responses(json, new ErrorMapper(fatal::checkFatal));
        var r = config.replication();
        BatchCodec batches = new BatchCodec(json);
        BodyBudget bodies = BodyBudget.forHeap(
                Runtime.getRuntime().maxMemory(), config.api().maxBodyBytes());
        HealthChecks checks = new HealthChecks(
                config.member(),
                replicaSet,
                deliveries,
                membership,
                () -> curator.getZookeeperClient().isConnected());
        StatusHandler status = new StatusHandler(
                config.group(),
                config.member(),
                build,
                replicaSet,
                roster,
                deliveries,
                zooKeeperConnection,
                config.zookeeper().connect(),
                responses,
                pause);
        HttpApi.LocalHandlers local = new HttpApi.LocalHandlers(
                new WriteHandler(
                        replicaSet,
                        responses,
                        r.defaultDurability(),
                        config.api().maxBodyBytes(),
                        false,
                        metrics,
                        bodies),
                new BatchWriteHandler(
                        replicaSet,
                        responses,
                        batches,
                        r.defaultDurability(),
                        config.api().maxBodyBytes(),
                        false,
                        metrics,
                        bodies),
                status,
                StatusPageHandler.fromClasspath(),
                new WaitHandler(replicaSet, deliveries, responses),
                new HealthHandler(responses, checks),
                new ReadyHandler(responses, checks),
                new LeaderProbeHandler(responses, checks),
                new ReplicaProbeHandler(responses, checks),
                new MetricsHandler(metrics::scrape),
                new RedeliverHandler(replicaSet, deliveries, responses),
                new EventsHandler(config.member(), metrics.events(), responses),
                new SwitchoverHandler(replicaSet, responses, true),
                new PauseHandler(pause, responses, true),
                new PauseHandler(pause, responses, false),
                new MembersHandler(memberRemoval, responses, true),
                new MembersHandler(memberRemoval, responses, false),
                new OnWorker(
                        new BackupOfferHandler(
                                config.group(), config.member(), build, replicaSet, snapshots, responses),
                        responses),
                new OnWorker(new BackupSnapshotHandler(replicaSet, snapshots), responses),
                new OnWorker(new BackupRecordsHandler(replicaSet), responses));
        HttpApi.PeerHandlers peer = new HttpApi.PeerHandlers(
                new AppendHandler(replicaSet, responses, PEER_MAX_BODY_BYTES),
                new WriteHandler(
                        replicaSet,
                        responses,
                        r.defaultDurability(),
                        config.api().maxBodyBytes(),
                        true,
                        metrics,
                        bodies),
                new BatchWriteHandler(
                        replicaSet,
                        responses,
                        batches,
                        r.defaultDurability(),
                        // the forwarded form carries the payloads in base64 and every field explicit
                        2 * config.api().maxBodyBytes() + BatchCodec.MAX_ENTRIES * 256L,
                        true,
                        metrics,
                        bodies),
                new HealthHandler(responses, checks),
                new SwitchoverHandler(replicaSet, responses, false),
                new SnapshotHandler(snapshots, config.partitions(), responses));
        return new HttpApi(
                config.api().listen().host(),
                config.api().listen().port(),
                local,
                config.peer().listen().host(),
                config.peer().listen().port(),
                peer,
                next -> new TokenCheck(config.peer().token(), responses, next),
                responses);
    }

    /** Connects to ZooKeeper, registers, and starts serving and replicating. */
    public void start() throws Exception {
        curator.start();
        Duration wait = config.zookeeper().connectionTimeout().multipliedBy(3);
        if (!curator.blockUntilConnected((int) wait.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IOException("cannot reach ZooKeeper at "
                    + config.zookeeper().connect() + " within " + wait.toMillis() + " ms (zookeeper.connect)");
        }
        zooKeeperConnection.connectionChanged(ConnectionListener.Change.CONNECTED);
        new ZkGroupRegistry(curator, new ZkPaths(config.group()), json)
                .agree(new GroupSettings(
                        config.partitions(), config.replication().minInSync()));
        curator.getConnectionStateListenable().addListener((client, state) -> connectionChanged(state));
        try {
            http.start();
        } catch (ListenerBindException e) {
            String key = (e.listener() == HttpApi.Listener.LOCAL ? ConfigKey.API_LISTEN : ConfigKey.PEER_LISTEN).path();
            throw new ConfigException(key, "config key '" + key + "': " + e.getMessage(), e);
        }
        pause.start();
        removedMembers.start();
        membership.addListener(() -> replicas.forEach(PartitionReplica::membersChanged));
        membership.addListener(roster::refresh);
        membership.start(memberInfo());
        deliveries.forEach(DeliveryLoop::start);
        replicas.forEach(PartitionReplica::start);
        long every = config.zookeeper().heartbeatInterval().toMillis();
        heartbeat = timer.scheduleWithFixedDelay(
                () -> membership.update(memberInfo()), every, every, TimeUnit.MILLISECONDS);
        log.info(
                "[{}] started in group {} with {} partition(s), data dir {} (id {})",
                config.member(),
                config.group(),
                config.partitions(),
                config.dataDir(),
                dataDir.id());
    }

    private void connectionChanged(ConnectionState state) {
        ConnectionListener.Change change = switch (state) {
            case CONNECTED -> ConnectionListener.Change.CONNECTED;
            case SUSPENDED -> ConnectionListener.Change.SUSPENDED;
            case RECONNECTED -> ConnectionListener.Change.RECONNECTED;
            case LOST -> ConnectionListener.Change.LOST;
            case READ_ONLY -> ConnectionListener.Change.SUSPENDED;
        };
        log.info("[{}] ZooKeeper connection {}", config.member(), state);
        zooKeeperConnection.connectionChanged(change);
        replicas.forEach(r -> r.connectionChanged(change));
    }

    private MemberInfo memberInfo() {
        Map<Integer, MemberInfo.PartitionProgress> progress = new HashMap<>();
        boolean healthy = true;
        for (int p = 0; p < replicas.size(); p++) {
            PartitionReplica replica = replicas.get(p);
            progress.put(
                    p,
                    new MemberInfo.PartitionProgress(
                            logs.get(p).logEnd(),
                            deliveries.get(p).appliedIndex(),
                            logs.get(p).lastPosition().epoch(),
                            replica.leadingEpoch()));
            healthy &= deliveries.get(p).appHealthy();
        }
        return new MemberInfo(
                config.member(),
                config.peer().advertise().toString(),
                build.version(),
                started,
                dataDir.id(),
                clock.millis(),
                progress,
                healthy);
    }

    public int apiPort() {
        return http.localPort();
    }

    public int peerPort() {
        return http.peerPort();
    }

    public ReplicaSet replicas() {
        return replicaSet;
    }

    /** This member's ZooKeeper client: for fault injection in tests (expiring its session). */
    public CuratorFramework zookeeperClient() {
        return curator;
    }

    /**
     * Graceful stop: every partition this member leads is handed over (in-flight writes get a short grace), the
     * member leaves ZooKeeper at once so the next leader need not wait for a session to expire, then everything
     * closes and the clean-shutdown marker is written.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        log.info("[{}] stopping", config.member());
        CompletableFuture.allOf(
                        replicas.stream().map(r -> r.handOver(HAND_OVER_GRACE)).toArray(CompletableFuture[]::new))
                .orTimeout(HAND_OVER_GRACE.toMillis() + 3_000, TimeUnit.MILLISECONDS)
                .exceptionally(e -> null)
                .join();
        if (heartbeat != null) heartbeat.cancel(false);
        memberRemoval.close();
        membership.close();
        removedMembers.close();
        deliveries.forEach(DeliveryLoop::close);
        snapshotTaking.shutdownNow();
        snapshotFetching.shutdownNow();
        replicas.forEach(PartitionReplica::close);
        http.close();
        stateStore.close();
        pause.close();
        curator.close();
        peers.close();
        app.close();
        timer.shutdownNow();
        zkIo.shutdownNow();
        for (SegmentedLog partitionLog : logs) closeQuietly(partitionLog);
        closeQuietly(dataDir);
        metrics.close();
        log.info("[{}] stopped", config.member());
    }

    private void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("[{}] closing {}: {}", config.member(), closeable, e.toString());
        }
    }

    /** Replica events: wake delivery on commits and on role changes (it tells the host app). */
    private final class Listener implements ReplicaListener {
        @Override
        public void roleChanged(int partition, ReplicaRole role, long epoch, String leader) {
            deliveries.get(partition).roleChanged();
            // The heartbeat says whom this member leads for: publish a change of role at once, off the loop.
            try {
                timer.execute(() -> membership.update(memberInfo()));
            } catch (RejectedExecutionException closing) {
                log.debug("[{}] closing: role change of p{} not published", config.member(), partition);
            }
        }

        @Override
        public void commitAdvanced(int partition, long commitIndex) {
            deliveries.get(partition).commitAdvanced();
        }

        @Override
        public void elected(int partition, PartitionState claimed) {
            metrics.events().elected(partition, claimed);
        }

        @Override
        public void isrChanged(int partition, PartitionState written, String why) {
            metrics.events().isrChanged(partition, written, why);
        }
    }
}
