/** Test fixtures shared by the unit, integration and fault suites: the recording host app, a failing disk. */
package io.understudy.sidecar.testing;
