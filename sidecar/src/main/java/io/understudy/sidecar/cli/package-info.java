/** The command line: {@code run}, {@code status}, {@code bench}, {@code zookeeper} (an embedded server for demos and tests). */
package io.understudy.sidecar.cli;
