/** The peer API between members: appends from the leader, forwarded writes, the token check, and its client. */
package io.understudy.sidecar.api.peer;
