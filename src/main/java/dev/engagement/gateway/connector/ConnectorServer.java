package dev.engagement.gateway.connector;

import java.io.IOException;
import java.util.Map;

import io.modelcontextprotocol.json.McpJsonMapper;
import org.apache.catalina.LifecycleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engagement.gateway.mcpserver.AllowedHosts;
import dev.engagement.gateway.mcpserver.McpHttpHost;

/**
 * Live connectors served over MCP Streamable HTTP, each at its path: {@code /mcp} for the standalone
 * {@code connector} command, {@code /mcp/<platform>} for those the gateway runs in-process. Host and Origin
 * are checked ({@link AllowedHosts}): these servers hold the platforms' tokens.
 */
public final class ConnectorServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorServer.class);

    private final McpHttpHost http;

    private ConnectorServer(McpHttpHost http) {
        this.http = http;
    }

    /** Starts serving every connector at its path ({@code byPath}: path → connector). */
    public static ConnectorServer start(String host, int port, Map<String, Connector> byPath, ConnectorServers mcp,
                                        McpJsonMapper jsonMapper, AllowedHosts allowed) throws IOException, LifecycleException {
        ConnectorServer server = new ConnectorServer(new McpHttpHost(host, port, jsonMapper, allowed));
        byPath.forEach((path, connector) -> server.http.mcp(path, transport -> mcp.streamable(connector, transport)));
        server.http.start();
        LOG.info("Live connector MCP servers listening on {} at {}", server.baseUrl(), byPath.keySet());
        return server;
    }

    public String baseUrl() {
        return http.baseUrl();
    }

    @Override
    public void close() {
        http.stop();
    }
}
