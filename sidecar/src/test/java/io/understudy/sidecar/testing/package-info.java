/** Test fixtures shared by the integration and fault suites: the recording host app. */
package io.understudy.sidecar.testing;
