package io.understudy.sidecar.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's error table is the enum's: a code added or changed in one place only fails here. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ErrorCodesDocTest {

    @Test
    void readmeHoldsTheErrorTableOfEveryCode() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String table = ErrorCode.markdownTable();
        assertTrue(
                readme.contains(table),
                "README.md must contain ErrorCode.markdownTable() verbatim; regenerate it:\n" + table);
        for (ErrorCode code : ErrorCode.values()) {
            assertTrue(readme.contains("| `" + code.name() + "` | " + code.status() + " |"), code.name());
        }
    }
}
