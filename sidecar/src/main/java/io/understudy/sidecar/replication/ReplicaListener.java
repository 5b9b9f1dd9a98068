package io.understudy.sidecar.replication;

/** Hears what a partition replica does, e.g. to deliver committed entries or to tell the host app. */
public interface ReplicaListener {

    void roleChanged(int partition, ReplicaRole role, long epoch, String leader);

    void commitAdvanced(int partition, long commitIndex);
}
