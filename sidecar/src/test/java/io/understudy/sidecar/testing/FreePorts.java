package io.understudy.sidecar.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for test servers, picked below Linux's ephemeral range (32768 and up). A port from "bind port 0"
 * lies inside that range, so between the test letting it go and a child process binding it, any outgoing
 * connection on the machine may take it (seen here: a sidecar failing with "Address already in use"). Ports are
 * also never handed out twice by one JVM.
 */
public final class FreePorts {
    private static final int LOW = 20_000;
    private static final int HIGH = 32_000;
    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

    private FreePorts() {}

    public static int next() {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
            if (GIVEN.contains(port) || !bindable(port)) continue;
            if (GIVEN.add(port)) return port;
        }
        throw new IllegalStateException("no free port between " + LOW + " and " + HIGH + " after 1000 tries");
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
