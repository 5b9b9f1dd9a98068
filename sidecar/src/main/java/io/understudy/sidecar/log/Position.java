package io.understudy.sidecar.log;

/**
 * A place in a partition's log: the entry at {@code index} written in {@code epoch}. {@link #ZERO} is the
 * empty log's position (before index 1).
 */
public record Position(long epoch, long index) implements Comparable<Position> {
    public static final Position ZERO = new Position(0, 0);

    @Override
    public int compareTo(Position other) {
        int byIndex = Long.compare(index, other.index);
        return byIndex != 0 ? byIndex : Long.compare(epoch, other.epoch);
    }

    @Override
    public String toString() {
        return "(e" + epoch + ", i" + index + ")";
    }
}
