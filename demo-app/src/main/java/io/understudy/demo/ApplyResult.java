package io.understudy.demo;

/**
 * What applying one delivery did to a partition.
 *
 * @param outcome {@code APPLIED} when every entry was applied or skipped as a repeat; {@code GAP}
 *     when an entry skipped ahead of the next expected index (entries before it were applied)
 * @param appliedIndex the partition's applied index after this delivery
 * @param applied how many entries were newly applied
 * @param gapIndex the index of the entry that did not follow on, or 0 without a gap
 */
public record ApplyResult(Outcome outcome, long appliedIndex, int applied, long gapIndex) {

    public enum Outcome {
        APPLIED,
        GAP
    }

    public long expectedIndex() {
        return appliedIndex + 1;
    }
}
