package dev.engagement.gateway.mcpserver;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import jakarta.servlet.http.HttpServlet;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded Tomcat serving this project's MCP servers over Streamable HTTP (the sandbox's platforms, a live
 * connector), each at its own path, plus any plain servlets beside them. Every MCP path checks Host and Origin
 * ({@link AllowedHosts}).
 */
public final class McpHttpHost {

    private static final Logger LOG = LoggerFactory.getLogger(McpHttpHost.class);
    /** Tomcat logs through java.util.logging; its start-up chatter is not useful here. Held so JUL keeps the level. */
    private static final java.util.logging.Logger TOMCAT_LOG = java.util.logging.Logger.getLogger("org.apache");

    static {
        TOMCAT_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final Tomcat tomcat = new Tomcat();
    private final Connector connector = new Connector("HTTP/1.1");
    private final Context context;
    private final McpJsonMapper jsonMapper;
    private final AllowedHosts allowed;
    private final String host;
    private final List<McpSyncServer> servers = new ArrayList<>();

    public McpHttpHost(String host, int port, McpJsonMapper jsonMapper, AllowedHosts allowed) throws IOException {
        this.host = host;
        this.jsonMapper = jsonMapper;
        this.allowed = allowed;
        tomcat.setBaseDir(Files.createTempDirectory("engagement-mcp").toString());
        connector.setPort(port);
        connector.setProperty("address", host);
        // Tomcat closes a keep-alive connection every 100 requests by default; the JDK client then
        // sometimes fails the next request. These servers keep connections open.
        connector.setProperty("maxKeepAliveRequests", "-1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        context = tomcat.addContext("", null);
    }

    /** Serves the MCP server {@code build} makes for its transport at {@code path}; returns that server. */
    public McpSyncServer mcp(String path, Function<HttpServletStreamableServerTransportProvider, McpSyncServer> build) {
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(jsonMapper).mcpEndpoint(path).securityValidator(allowed.validator()).build();
        McpSyncServer server = build.apply(transport);
        servers.add(server);
        String name = "mcp" + path.replace('/', '-');
        Wrapper wrapper = Tomcat.addServlet(context, name, transport);
        wrapper.setAsyncSupported(true);
        context.addServletMappingDecoded(path, name);
        return server;
    }

    /** A plain servlet at {@code path}. */
    public void servlet(String path, HttpServlet servlet) {
        String name = "servlet" + path.replace('/', '-');
        Tomcat.addServlet(context, name, servlet);
        context.addServletMappingDecoded(path, name);
    }

    public void start() throws LifecycleException {
        tomcat.start();
    }

    public int port() {
        return connector.getLocalPort();
    }

    public String baseUrl() {
        return baseUrl(host, port());
    }

    /** http://host:port, with a loopback address for a server on every interface. */
    public static String baseUrl(String host, int port) {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : h) + ":" + port;
    }

    /** Closes the MCP servers, then stops serving. */
    public void stop() {
        servers.forEach(s -> {
            try {
                s.closeGracefully();
            } catch (RuntimeException e) {
                LOG.debug("closing an MCP server: {}", e.getMessage());
            }
        });
        servers.clear();
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            LOG.warn("Stopping the MCP HTTP server on {} failed: {}", baseUrl(), e.getMessage());
        }
    }
}
