package dev.engagement.gateway.mcp;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;

import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.ErrorCode;
import dev.engagement.gateway.platform.ToolDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MCP client per platform server, built and initialised once and shared by all calls. A
 * client whose transport failed is dropped and rebuilt on the next call, so a server that comes
 * back (or a stdio process that is started again) is used without restarting the gateway.
 * Every request has its own timeout; connecting has a longer one (a stdio server's process has to
 * start first), which is why the clients are the SDK's async ones, waited on with a timeout each.
 */
public class McpConnections implements ToolDirectory, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(McpConnections.class);

    private final Function<String, McpEndpoint> endpoints;
    private final McpJsonMapper jsonMapper;
    private final JsonSchemaValidator schemaValidator;
    private final Duration requestTimeout;
    private final Duration initializationTimeout;
    private final Map<String, Connection> connections = new LinkedHashMap<>();

    public McpConnections(Function<String, McpEndpoint> endpoints, McpJsonMapper jsonMapper,
                          JsonSchemaValidator schemaValidator, Duration requestTimeout, Duration initializationTimeout) {
        this.initializationTimeout = initializationTimeout;
        this.endpoints = endpoints;
        this.jsonMapper = jsonMapper;
        this.schemaValidator = schemaValidator;
        this.requestTimeout = requestTimeout;
    }

    /** Calls one tool on a platform's server, connecting first if needed; fails after the request timeout. */
    public McpSchema.CallToolResult callTool(String platform, McpSchema.CallToolRequest request) {
        return connection(platform).client().callTool(request).timeout(requestTimeout).block();
    }

    @Override
    public Optional<Set<String>> listedTools(String platform) {
        try {
            return Optional.of(connection(platform).tools());
        } catch (RuntimeException e) {
            LOG.warn("Cannot list the tools of the {} MCP server: {}", platform, e.getMessage());
            return Optional.empty();
        }
    }

    /** Drops a client whose transport failed; the next call connects again. */
    public void reset(String platform) {
        connection(platform).reset();
    }

    public String describe(String platform) {
        return endpoints.apply(platform).describe();
    }

    private synchronized Connection connection(String platform) {
        return connections.computeIfAbsent(platform, p -> new Connection(p));
    }

    @Override
    public synchronized void close() {
        connections.values().forEach(Connection::reset);
        connections.clear();
    }

    private final class Connection {
        private final String platform;
        private McpAsyncClient client;
        private Set<String> tools;

        Connection(String platform) {
            this.platform = platform;
        }

        synchronized McpAsyncClient client() {
            if (client == null) {
                McpEndpoint endpoint = endpoints.apply(platform);
                McpAsyncClient built = McpClient.async(transport(endpoint))
                        .clientInfo(new McpSchema.Implementation("engagement-gateway", "0.1.0"))
                        // the SDK's own limit is the longest wait; each call below has its own, shorter one
                        .requestTimeout(initializationTimeout.compareTo(requestTimeout) > 0 ? initializationTimeout : requestTimeout)
                        .initializationTimeout(initializationTimeout)
                        .jsonSchemaValidator(schemaValidator)
                        .build();
                try {
                    built.initialize().timeout(initializationTimeout).block();
                } catch (RuntimeException e) {
                    built.close();
                    throw new EngagementFailure(ErrorCode.PLATFORM_UNAVAILABLE,
                            "The " + platform + " MCP server (" + endpoint.describe() + ") is unavailable: " + rootMessage(e),
                            true, null, platform, null, null, e);
                }
                LOG.info("Connected to the {} MCP server at {}", platform, endpoint.describe());
                client = built;
            }
            return client;
        }

        synchronized Set<String> tools() {
            if (tools == null) {
                McpAsyncClient c = client();
                Set<String> names = new HashSet<>();
                String cursor = null;
                do {
                    McpSchema.ListToolsResult page = (cursor == null ? c.listTools() : c.listTools(cursor)).timeout(requestTimeout).block();
                    page.tools().forEach(t -> names.add(t.name()));
                    cursor = page.nextCursor();
                } while (cursor != null);
                tools = Set.copyOf(names);
            }
            return tools;
        }

        synchronized void reset() {
            if (client != null) {
                try {
                    client.closeGracefully().timeout(requestTimeout).block();
                } catch (RuntimeException e) {
                    LOG.debug("Closing the {} MCP client failed: {}", platform, e.getMessage());
                }
            }
            client = null;
            tools = null;
        }
    }

    private McpClientTransport transport(McpEndpoint endpoint) {
        if (endpoint.isHttp()) {
            String base = endpoint.url().getScheme() + "://" + endpoint.url().getRawAuthority();
            String path = endpoint.url().getRawPath() == null || endpoint.url().getRawPath().isEmpty() ? "/mcp" : endpoint.url().getRawPath();
            if (endpoint.url().getRawQuery() != null) {
                path += "?" + endpoint.url().getRawQuery();
            }
            return HttpClientStreamableHttpTransport.builder(base).endpoint(path).jsonMapper(jsonMapper)
                    .connectTimeout(requestTimeout).build();
        }
        ServerParameters params = ServerParameters.builder(endpoint.command().get(0))
                .args(endpoint.command().subList(1, endpoint.command().size())).build();
        return new StdioClientTransport(params, jsonMapper);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
