package dev.engagement.gateway.sandbox;

import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;

import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.Violation;

/**
 * {@code POST /sandbox/faults?platform=P}: injects faults into the bundled sandbox at run time —
 * {@code latency_ms}, {@code error_rate}, {@code fail_next}, {@code rate_limited_for_seconds},
 * {@code crash} (the sandbox server stops) and {@code restart} (it serves again).
 */
public class SandboxFaults {

    private final SandboxServer server;

    /** @param server the in-process sandbox server, or null when it is disabled */
    public SandboxFaults(SandboxServer server) {
        this.server = server;
    }

    public Map<String, Object> inject(Exchange exchange) throws Exception {
        SandboxEndpoints.requireEnabled(server);
        String platform = exchange.getMessage().getHeader("platform", String.class);
        if (platform != null && !platform.isBlank() && !server.sandbox().platformNames().contains(platform)) {
            throw EngagementFailure.validation(List.of(new Violation("/platform", "unknown platform '" + platform + "'")));
        }
        Map<String, Object> body;
        try {
            body = server.sandbox().readFaults(exchange.getMessage().getBody(byte[].class));
            if (Boolean.TRUE.equals(body.get("crash"))) {
                server.crash();
                return Map.of("running", false);
            }
            if (Boolean.TRUE.equals(body.get("restart"))) {
                server.restart();
            }
            Map<String, Object> now = new java.util.LinkedHashMap<>(server.sandbox().inject(platform, body));
            now.put("running", server.isRunning());
            return now;
        } catch (IllegalArgumentException e) {
            throw EngagementFailure.validation(List.of(new Violation("", e.getMessage())));
        }
    }
}
