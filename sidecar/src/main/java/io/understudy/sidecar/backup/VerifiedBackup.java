package io.understudy.sidecar.backup;

import io.understudy.sidecar.log.Position;
import java.nio.file.Path;
import java.util.List;

/**
 * A backup whose every file matched its manifest ({@link BackupVerifier}), with the position of the last entry each
 * partition restores ({@code lastPositions.get(p)}; the snapshot's when the log part is empty).
 */
public record VerifiedBackup(Path dir, BackupManifest manifest, List<Position> lastPositions) {
    public VerifiedBackup {
        lastPositions = List.copyOf(lastPositions);
    }

    public Path file(String name) {
        return dir.resolve(name);
    }
}
