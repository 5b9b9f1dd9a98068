package io.understudy.sidecar.cli;

import java.net.URI;
import picocli.CommandLine.Option;

/** {@code --api URL}: the member's local API an operator command talks to (a picocli mixin). */
final class ApiOption {
    @Option(
            names = "--api",
            defaultValue = "http://127.0.0.1:7001",
            description = "A member's local API, its api.listen (default: ${DEFAULT-VALUE}).")
    URI api;

    SidecarApi client() {
        return new SidecarApi(api);
    }
}
