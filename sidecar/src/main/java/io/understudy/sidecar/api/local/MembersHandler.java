package io.understudy.sidecar.api.local;

import io.understudy.sidecar.api.BadRequestException;
import io.understudy.sidecar.api.Params;
import io.understudy.sidecar.api.Responses;
import io.understudy.sidecar.replication.MemberRemoval;
import io.understudy.sidecar.replication.ReplicaStatus;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/members/remove?member=ID[&timeoutMs=N]} and {@code POST /v1/members/add?member=ID}, on any member
 * (see {@link MemberRemoval}). A removal answers {@code {"member", "removed": true, "switchedOver": [{partition,
 * from, to, epoch}], "partitions": [{partition, leader, isr}]}} once no partition counts the member; adding back
 * answers {@code {"member", "removed": false, "wasRemoved"}}.
 */
public final class MembersHandler implements HttpHandler {
    /** The time-out of a removal when the request names none. */
    public static final long DEFAULT_TIMEOUT_MS = 30_000;

    private static final long MAX_TIMEOUT_MS = 300_000;

    private final MemberRemoval removal;
    private final Responses responses;
    private final boolean remove;

    /** @param remove true for {@code /v1/members/remove}, false for {@code /v1/members/add} */
    public MembersHandler(MemberRemoval removal, Responses responses, boolean remove) {
        this.removal = removal;
        this.responses = responses;
        this.remove = remove;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        String member = Params.string(exchange, "member", "");
        if (member.isBlank()) throw new BadRequestException("query parameter 'member' (the member id) is missing");
        if (!remove) {
            responses.sendWhenDone(exchange, removal.add(member), done -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("member", done.member());
                body.put("removed", false);
                body.put("wasRemoved", done.wasRemoved());
                return body;
            });
            return;
        }
        long timeoutMs = Params.optionalLong(exchange, "timeoutMs", DEFAULT_TIMEOUT_MS, 1);
        if (timeoutMs > MAX_TIMEOUT_MS) {
            throw new BadRequestException("timeoutMs is " + timeoutMs + "; at most " + MAX_TIMEOUT_MS);
        }
        responses.sendWhenDone(exchange, removal.remove(member, Duration.ofMillis(timeoutMs)), done -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("member", done.member());
            body.put("removed", true);
            body.put(
                    "switchedOver",
                    done.switchedOver().stream()
                            .map(s -> Map.of(
                                    "partition", s.partition(), "from", s.from(), "to", s.to(), "epoch", s.epoch()))
                            .toList());
            body.put(
                    "partitions",
                    done.partitions().stream().map(MembersHandler::partition).toList());
            return body;
        });
    }

    private static Map<String, Object> partition(ReplicaStatus s) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("partition", s.partition());
        p.put("leader", s.leader());
        p.put("isr", List.copyOf(s.isr()));
        return p;
    }
}
