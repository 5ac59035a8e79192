package dev.engagement.gateway.mcpserver;

import java.util.ArrayList;
import java.util.List;

import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityValidator;

/**
 * Which {@code Host} and {@code Origin} headers an MCP server of this project answers over HTTP. A server on
 * loopback that holds real tokens must not be reachable from a web page through DNS rebinding (a page of
 * evil.example whose name now resolves to 127.0.0.1): by default only localhost, 127.0.0.1 and [::1] (any
 * port) are accepted, anything else is answered 421 (Host) or 403 (Origin) by the MCP SDK's own validator.
 * A request without Origin (not from a browser) is judged by its Host alone.
 */
public record AllowedHosts(List<String> hosts) {

    /** The loopback names; what a server answers unless configured otherwise. */
    public static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "[::1]");

    public static AllowedHosts loopback() {
        return new AllowedHosts(LOOPBACK);
    }

    /** The loopback names plus the given ones (host names or addresses, without port; {@code [..]} for IPv6). */
    public static AllowedHosts loopbackAnd(List<String> more) {
        List<String> all = new ArrayList<>(LOOPBACK);
        more.stream().map(String::trim).filter(h -> !h.isEmpty() && !all.contains(h)).forEach(all::add);
        return new AllowedHosts(List.copyOf(all));
    }

    /** The SDK's validator for these hosts, on any port, and for http/https origins of these hosts. */
    public ServerTransportSecurityValidator validator() {
        DefaultServerTransportSecurityValidator.Builder b = DefaultServerTransportSecurityValidator.builder();
        for (String host : hosts) {
            b.allowedHost(host + ":*")
                    .allowedOrigin("http://" + host + ":*").allowedOrigin("https://" + host + ":*");
        }
        return b.build();
    }
}
