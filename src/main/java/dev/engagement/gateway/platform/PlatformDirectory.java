package dev.engagement.gateway.platform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import dev.engagement.gateway.mcp.McpConnections;

/**
 * GET /platforms: for each platform, what serves it (the bundled sandbox, the project's live connector, an MCP
 * server by URL or by command, or nothing), whether it is connected, the actions it supports now (configured, and listed
 * by its server's tools/list) and the state of its circuit breakers.
 */
public class PlatformDirectory {

    private final PlatformCatalog catalog;
    private final McpConnections connections;
    private final CircuitBreakerRegistry breakers;
    private final String sandboxAddress;
    private final String liveAddress;

    /**
     * @param sandboxAddress the bundled sandbox's base URL, or null when it is off
     * @param liveAddress the in-process live connectors' base URL, or null when no platform is live
     */
    public PlatformDirectory(PlatformCatalog catalog, McpConnections connections, CircuitBreakerRegistry breakers, String sandboxAddress,
                             String liveAddress) {
        this.catalog = catalog;
        this.connections = connections;
        this.breakers = breakers;
        this.sandboxAddress = sandboxAddress;
        this.liveAddress = liveAddress;
    }

    public Map<String, Object> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String name : catalog.vocabulary().platforms()) {
            PlatformCatalog.Platform p = catalog.platform(name);
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("platform", name);
            item.put("display_name", p.displayName());
            String address = connections.publicAddress(name);
            item.put("backend", address == null ? "none" : sandboxAddress != null && address.startsWith(sandboxAddress) ? "sandbox"
                    : liveAddress != null && address.startsWith(liveAddress) ? "live" : address.startsWith("stdio:") ? "mcp-stdio" : "mcp-http");
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
}
