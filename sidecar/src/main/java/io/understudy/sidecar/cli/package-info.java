/**
 * The command line: {@code run}, the operator's commands ({@code status}, {@code list}, {@code history}, {@code
 * check-config}), {@code bench} and {@code zookeeper} (an embedded server for demos and tests).
 */
package io.understudy.sidecar.cli;
