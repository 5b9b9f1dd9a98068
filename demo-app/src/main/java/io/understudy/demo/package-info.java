/**
 * The reference host app: an in-memory catalog that sends its writes through its Understudy sidecar
 * and applies what the sidecar delivers (the app side of DELIVERY.md).
 */
package io.understudy.demo;
