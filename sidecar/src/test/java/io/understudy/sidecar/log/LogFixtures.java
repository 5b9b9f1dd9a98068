package io.understudy.sidecar.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Entries for log tests. */
final class LogFixtures {
    private LogFixtures() {}

    static Entry entry(long epoch, long index) {
        return new Entry(
                0,
                epoch,
                index,
                1_700_000_000_000L + index,
                "key-" + index,
                "text/plain",
                ("payload " + index).getBytes(StandardCharsets.UTF_8));
    }

    /** Entries {@code from..to} inclusive, all of {@code epoch}, for partition 0. */
    static List<Entry> entries(long epoch, long from, long to) {
        List<Entry> list = new ArrayList<>();
        for (long i = from; i <= to; i++) list.add(entry(epoch, i));
        return list;
    }

    static String text(Entry e) {
        return new String(e.payload(), StandardCharsets.UTF_8);
    }
}
