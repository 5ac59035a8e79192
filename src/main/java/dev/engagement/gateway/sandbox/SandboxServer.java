package dev.engagement.gateway.sandbox;

import java.io.IOException;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.modelcontextprotocol.json.McpJsonMapper;
import org.apache.catalina.LifecycleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engagement.gateway.mcpserver.AllowedHosts;
import dev.engagement.gateway.mcpserver.McpHttpHost;

/**
 * Serves the sandbox over real MCP Streamable HTTP: {@code /mcp/<platform>} for each platform and
 * the ledger at {@code GET /actions?platform=P}. Runs inside the gateway on loopback, or alone. The MCP paths
 * answer only requests whose Host (and Origin, when sent) is an allowed one ({@link AllowedHosts}).
 */
public class SandboxServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxServer.class);

    private final Sandbox sandbox;
    private final McpJsonMapper jsonMapper;
    private final AllowedHosts allowed;
    private McpHttpHost http;
    private String host;
    private int lastPort;

    /** A sandbox that answers requests for localhost, 127.0.0.1 and [::1] only (see {@link AllowedHosts}). */
    public SandboxServer(Sandbox sandbox, McpJsonMapper jsonMapper) {
        this(sandbox, jsonMapper, AllowedHosts.loopback());
    }

    public SandboxServer(Sandbox sandbox, McpJsonMapper jsonMapper, AllowedHosts allowed) {
        this.sandbox = sandbox;
        this.jsonMapper = jsonMapper;
        this.allowed = allowed;
    }

    /** Stops serving, as a crashed platform server would; {@link #restart()} serves again on the same port. */
    public synchronized void crash() {
        LOG.warn("Sandbox MCP servers stopped (crash injected)");
        close();
    }

    public synchronized void restart() throws IOException, LifecycleException {
        if (http == null) {
            start(host, lastPort);
        }
    }

    public synchronized boolean isRunning() {
        return http != null;
    }

    public synchronized void start(String host, int port) throws IOException, LifecycleException {
        this.host = host;
        McpHttpHost http = new McpHttpHost(host, port, jsonMapper, allowed);
        for (String platform : sandbox.platformNames()) {
            http.mcp("/mcp/" + platform, transport -> sandbox.streamableServer(platform, transport));
        }
        http.servlet("/actions", new LedgerServlet());
        http.servlet("/faults", new FaultServlet());
        http.start();
        this.http = http;
        lastPort = http.port();
        LOG.info("Sandbox MCP servers listening on {} ({})", baseUrl(), String.join(", ", sandbox.platformNames()));
    }

    public int port() {
        return lastPort;
    }

    public String baseUrl() {
        return McpHttpHost.baseUrl(host, port());
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    @Override
    public synchronized void close() {
        if (http != null) {
            http.stop();
            http = null;
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
