package io.understudy.sidecar.fault;

import java.nio.file.Files;
import java.nio.file.Path;

/** The sidecar jar under test, built by {@code package} before failsafe runs (the working dir is the module). */
final class FaultJar {
    private static final Path JAR = Path.of("target/understudy-sidecar.jar").toAbsolutePath();

    private FaultJar() {}

    static Path path() {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(
                    JAR + " is missing: build it first (mvn -B -pl sidecar package -DskipTests) "
                            + "or run the suite through `mvn verify`, which packages before the integration tests");
        }
        return JAR;
    }
}
