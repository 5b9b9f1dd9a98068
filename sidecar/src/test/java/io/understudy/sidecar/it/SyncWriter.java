package io.understudy.sidecar.it;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A client writing {@code sync} through one member, one write at a time, until closed: the "writes continue" of a
 * membership change. Keeps the keys that were acknowledged and every answer that was not.
 */
final class SyncWriter implements AutoCloseable {
    private final LocalCluster cluster;
    private final int member;
    private final String prefix;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<String> acknowledged = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final Thread thread;

    SyncWriter(LocalCluster cluster, int member, String prefix) {
        this.cluster = cluster;
        this.member = member;
        this.prefix = prefix;
        this.thread = new Thread(this::run, "sync-writer-" + prefix);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        for (int i = 0; running.get(); i++) {
            String key = prefix + i;
            try {
                HttpResponse<String> answer = cluster.write(member, key, "v" + i, "sync");
                if (answer.statusCode() == 200) acknowledged.add(key);
                else failures.add(key + ": " + answer.statusCode() + " " + answer.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(key + ": interrupted");
                return;
            } catch (Exception e) {
                failures.add(key + ": " + e);
            }
        }
    }

    /** The keys acknowledged so far. */
    List<String> acknowledged() {
        return List.copyOf(acknowledged);
    }

    /** Every write that was not acknowledged, with its answer. */
    List<String> failures() {
        return List.copyOf(failures);
    }

    /** Stops after the write in flight and waits for it. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(30_000);
    }
}
