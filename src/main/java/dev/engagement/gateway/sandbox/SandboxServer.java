package dev.engagement.gateway.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

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
 * Serves the sandbox over real MCP Streamable HTTP: {@code /mcp/<platform>} for each platform and
 * the ledger at {@code GET /actions?platform=P}. Runs inside the gateway on loopback, or alone.
 */
public class SandboxServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxServer.class);
    /** Tomcat logs through java.util.logging; its start-up chatter is not useful here. Held so JUL keeps the level. */
    private static final java.util.logging.Logger TOMCAT_LOG = java.util.logging.Logger.getLogger("org.apache");

    static {
        TOMCAT_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final Sandbox sandbox;
    private final McpJsonMapper jsonMapper;
    private final List<McpSyncServer> servers = new ArrayList<>();
    private Tomcat tomcat;
    private Connector connector;
    private String host;
    private int lastPort;

    public SandboxServer(Sandbox sandbox, McpJsonMapper jsonMapper) {
        this.sandbox = sandbox;
        this.jsonMapper = jsonMapper;
    }

    /** Stops serving, as a crashed platform server would; {@link #restart()} serves again on the same port. */
    public synchronized void crash() {
        LOG.warn("Sandbox MCP servers stopped (crash injected)");
        close();
    }

    public synchronized void restart() throws IOException, LifecycleException {
        if (tomcat == null) {
            start(host, lastPort);
        }
    }

    public synchronized boolean isRunning() {
        return tomcat != null;
    }

    public synchronized void start(String host, int port) throws IOException, LifecycleException {
        this.host = host;
        tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("engagement-sandbox").toString());
        connector = new Connector("HTTP/1.1");
        connector.setPort(port);
        connector.setProperty("address", host);
        // Tomcat closes a keep-alive connection every 100 requests by default; the JDK client then
        // sometimes fails the next request. The sandbox keeps connections open.
        connector.setProperty("maxKeepAliveRequests", "-1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", null);
        for (String platform : sandbox.platformNames()) {
            String path = "/mcp/" + platform;
            HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                    .jsonMapper(jsonMapper).mcpEndpoint(path).build();
            servers.add(sandbox.streamableServer(platform, transport));
            Wrapper wrapper = Tomcat.addServlet(context, "mcp-" + platform, transport);
            wrapper.setAsyncSupported(true);
            context.addServletMappingDecoded(path, "mcp-" + platform);
        }
        Tomcat.addServlet(context, "actions", new LedgerServlet());
        context.addServletMappingDecoded("/actions", "actions");
        Tomcat.addServlet(context, "faults", new FaultServlet());
        context.addServletMappingDecoded("/faults", "faults");
        tomcat.start();
        lastPort = connector.getLocalPort();
        LOG.info("Sandbox MCP servers listening on {} ({})", baseUrl(), String.join(", ", sandbox.platformNames()));
    }

    public int port() {
        return lastPort;
    }

    public String baseUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : h) + ":" + port();
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    @Override
    public synchronized void close() {
        servers.forEach(s -> {
            try {
                s.closeGracefully();
            } catch (RuntimeException e) {
                LOG.debug("closing sandbox MCP server: {}", e.getMessage());
            }
        });
        servers.clear();
        if (tomcat != null) {
            try {
                tomcat.stop();
                tomcat.destroy();
            } catch (LifecycleException e) {
                LOG.warn("Stopping the sandbox server failed: {}", e.getMessage());
            }
            tomcat = null;
        }
    }

    /**
     * {@code POST /faults?platform=P} with {@code {"latency_ms", "error_rate", "fail_next", "rate_limited_for_seconds", "crash"}};
     * {@code GET /faults}: what is injected now. A crash of the standalone process ends it at once.
     */
    private final class FaultServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("application/json");
            java.util.Map<String, Object> all = new java.util.LinkedHashMap<>();
            sandbox.platformNames().forEach(p -> all.put(p, sandbox.platform(p).faults()));
            resp.getWriter().write(sandbox.json(all));
        }

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("application/json");
            try {
                java.util.Map<String, Object> body = sandbox.readFaults(req.getInputStream().readAllBytes());
                if (Boolean.TRUE.equals(body.get("crash"))) {
                    resp.getWriter().write("{\"crashing\": true}");
                    resp.flushBuffer();
                    if (onCrash != null) {
                        onCrash.run();
                    }
                    return;
                }
                resp.getWriter().write(sandbox.json(sandbox.inject(req.getParameter("platform"), body)));
            } catch (IllegalArgumentException e) {
                resp.setStatus(400);
                resp.getWriter().write(sandbox.json(java.util.Map.of("error", e.getMessage())));
            }
        }
    }

    private Runnable onCrash;

    /** What a POST /faults with "crash" does: the standalone process halts; in the gateway the server stops. */
    public void onCrash(Runnable action) {
        this.onCrash = action;
    }

    /** {@code GET /actions?platform=P}: the ledger as a JSON array. */
    private final class LedgerServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String platform = req.getParameter("platform");
            resp.setContentType("application/json");
            resp.setCharacterEncoding("UTF-8");
            if (platform != null && !platform.isBlank() && !sandbox.platformNames().contains(platform)) {
                resp.setStatus(400);
                resp.getWriter().write(sandbox.json(java.util.Map.of("error", "unknown platform '" + platform
                        + "'; known: " + sandbox.platformNames())));
                return;
            }
            resp.getWriter().write(sandbox.json(sandbox.ledger(platform == null || platform.isBlank() ? null : platform)));
        }
    }
}
