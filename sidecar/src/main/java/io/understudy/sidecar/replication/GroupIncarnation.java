package io.understudy.sidecar.replication;

import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.log.DurableLong;
import java.io.IOException;
import java.util.function.LongSupplier;

/**
 * Tells whether the partition state ZooKeeper holds is the one this member's data came from (docs/design.md,
 * "When ZooKeeper forgets the group"). Epochs alone cannot tell: a group that ZooKeeper starts afresh (a wiped
 * ensemble, a new one at the same address) counts epochs from 1 again, and a member holding epoch-1 entries would
 * take another leader's epoch-1 entries for its own. The state znode carries a random incarnation drawn when it
 * was created; a member records the incarnation it joined in its data dir, and one that holds data never joins
 * another.
 */
final class GroupIncarnation {
    static final String ADVICE = "ZooKeeper lost this group's state: this member keeps every entry and takes no "
            + "part until an operator acts. Either run `understudy-sidecar.jar recover-zookeeper --config FILE` on "
            + "the stopped member with the most complete log (then restart the members); a member that holds no "
            + "entries may instead be restarted with an empty data dir";

    enum Verdict {
        /** The state belongs to the group this member recorded (or predates incarnations). */
        SAME,
        /** A member without data met its group for the first time and recorded its incarnation. */
        JOINED,
        /** This member holds data of another incarnation, or entries without a recorded incarnation. */
        FORGOTTEN
    }

    private final DurableLong recorded;
    private final LongSupplier logEnd;
    private final LongSupplier knownEpoch;

    GroupIncarnation(DurableLong recorded, LongSupplier logEnd, LongSupplier knownEpoch) {
        this.recorded = recorded;
        this.logEnd = logEnd;
        this.knownEpoch = knownEpoch;
    }

    /** Compares the state's incarnation with the recorded one; records it when a member without data joins. */
    Verdict check(PartitionState seen) throws IOException {
        long theirs = seen.incarnation();
        if (theirs == 0) return Verdict.SAME; // written before incarnations existed: nothing to compare
        long mine = recorded.get();
        if (mine == theirs) return Verdict.SAME;
        if (mine == 0 && logEnd.getAsLong() == 0 && knownEpoch.getAsLong() == 0) {
            recorded.set(theirs);
            return Verdict.JOINED;
        }
        return Verdict.FORGOTTEN;
    }

    /** Why a {@link Verdict#FORGOTTEN} state is refused, in words for the log and the status. */
    String forgotten(PartitionState seen) {
        return "ZooKeeper holds partition state of incarnation " + seen.incarnation() + " (epoch " + seen.epoch()
                + ") but this member's data belongs to "
                + (recorded.get() == 0 ? "an earlier group" : "incarnation " + recorded.get()) + " (log end "
                + logEnd.getAsLong() + ", epoch " + knownEpoch.getAsLong()
                + "): ZooKeeper lost the group's state";
    }
}
