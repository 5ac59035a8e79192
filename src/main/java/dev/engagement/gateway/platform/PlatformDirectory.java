package dev.engagement.gateway.platform;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import dev.engagement.gateway.config.Settings;
import dev.engagement.gateway.mcp.McpConnections;

/**
 * GET /platforms: for each platform, what serves it (the bundled sandbox, the project's live connector, an MCP
 * server by URL or by command, or nothing), whether it is connected, the actions it supports now (configured, and listed
 * by its server's tools/list) and the state of its circuit breakers.
 */
public class PlatformDirectory {

    private final PlatformCatalog catalog;
    /** engagement.platforms.<p>.mcp.idempotency-keys as read at start; a platform absent left it unset */
    private final Map<String, Boolean> idempotencyKeysSaid = new HashMap<>();
    private final McpConnections connections;
    private final CircuitBreakerRegistry breakers;
    private final String sandboxAddress;
    private final String liveAddress;

    /**
     * @param sandboxAddress the bundled sandbox's base URL, or null when it is off
     * @param liveAddress the in-process live connectors' base URL, or null when no platform is live
     */
    public PlatformDirectory(Settings settings, PlatformCatalog catalog, McpConnections connections, CircuitBreakerRegistry breakers,
                             String sandboxAddress, String liveAddress) {
        this.catalog = catalog;
        this.connections = connections;
        this.breakers = breakers;
        this.sandboxAddress = sandboxAddress;
        this.liveAddress = liveAddress;
        // read once; a mistyped value fails the start, not an execution after a crash
        for (String platform : catalog.vocabulary().platforms()) {
            Boolean said = idempotencyKeysSetting(settings, platform);
            if (said != null) {
                idempotencyKeysSaid.put(platform, said);
            }
        }
    }

    public Map<String, Object> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String name : catalog.vocabulary().platforms()) {
            PlatformCatalog.Platform p = catalog.platform(name);
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("platform", name);
            item.put("display_name", p.displayName());
            // how its text is measured: the reviewer console counts an edit as the platform will
            item.put("max_content_length", p.maxContentLength());
            item.put("length_counting", p.counting() == ContentLength.TWITTER_WEIGHTED ? "twitter-weighted" : "code-points");
            String address = connections.publicAddress(name);
            item.put("backend", backend(address));
            item.put("idempotency_keys", honoursIdempotencyKeys(name) ? "honoured" : "ignored");
            item.put("server", address);
            item.put("connected", connections.isConnected(name));
            Optional<Set<String>> listed = connections.listedTools(name);
            item.put("tools_listed", listed.isPresent());
            item.put("actions", p.actions().entrySet().stream()
                    .filter(a -> listed.isEmpty() || listed.get().contains(a.getValue().tool()))
                    .map(Map.Entry::getKey).toList());
            Map<String, String> state = new LinkedHashMap<>();
            for (String call : List.of("lookup", "execute")) {
                state.put(call, breakers.find(name + "-" + call).map(CircuitBreaker::getState).map(Enum::name).orElse("CLOSED"));
            }
            item.put("breakers", state);
            out.add(item);
        }
        return Map.of("platforms", out);
    }

    /**
     * Whether the platform's server answers a call repeated under the same idempotency key without acting
     * again (engagement.platforms.<p>.mcp.idempotency-keys = honoured|ignored; unset: only the bundled sandbox
     * is known to): an execution a crash interrupted is then simply run again.
     */
    public boolean honoursIdempotencyKeys(String platform) {
        Boolean said = idempotencyKeysSaid.get(platform);
        return said != null ? said : "sandbox".equals(backend(connections.publicAddress(platform)));
    }

    /** What engagement.platforms.<p>.mcp.idempotency-keys says: true, false, or null when unset. */
    private static Boolean idempotencyKeysSetting(Settings settings, String platform) {
        String key = "engagement.platforms." + platform + ".mcp.idempotency-keys";
        String said = settings.get(key).orElse("");
        return switch (said) {
            case "honoured" -> Boolean.TRUE;
            case "ignored" -> Boolean.FALSE;
            case "" -> null;
            default -> throw new IllegalArgumentException(key + " must be honoured, ignored or empty, not '" + said + "'");
        };
    }

    private String backend(String address) {
        return address == null ? "none" : sandboxAddress != null && address.startsWith(sandboxAddress) ? "sandbox"
                : liveAddress != null && address.startsWith(liveAddress) ? "live" : address.startsWith("stdio:") ? "mcp-stdio" : "mcp-http";
    }
}
