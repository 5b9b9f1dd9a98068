package io.understudy.sidecar.coordination;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The members an operator removed from the group (docs/design.md, "Add and remove members"), as one group-wide set
 * every member watches. A removed member is no longer replicated to, is dropped from every ISR and never re-added,
 * and never leads, until it is added back.
 */
public interface RemovedMembers extends AutoCloseable {

    /** Loads the set; returns once the view is complete. */
    void start() throws CoordinationException;

    /** The removed members' ids, as last seen (a watch keeps it current). */
    Set<String> ids();

    default boolean contains(String id) {
        return ids().contains(id);
    }

    /** Marks {@code id} removed; completes with true when this call marked it, false when it was already. */
    CompletableFuture<Boolean> mark(String id);

    /** Adds {@code id} back; completes with true when it was removed, false when it was not. */
    CompletableFuture<Boolean> unmark(String id);

    /** Called (on a coordination thread) whenever the set changes. */
    void addListener(Runnable onChange);

    @Override
    void close();
}
