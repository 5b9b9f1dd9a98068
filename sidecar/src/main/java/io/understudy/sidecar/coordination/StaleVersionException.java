package io.understudy.sidecar.coordination;

/**
 * A conditional write on a partition's state znode lost: someone changed the znode since it was read (or, for
 * an epoch claim, the claimant's latch node is gone).
 */
public final class StaleVersionException extends CoordinationException {
    public StaleVersionException(String message) {
        super(message);
    }
}
