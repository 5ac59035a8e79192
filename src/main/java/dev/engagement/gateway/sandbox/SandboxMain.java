package dev.engagement.gateway.sandbox;

import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;

import dev.engagement.gateway.contract.Json;
import dev.engagement.gateway.mcp.NetworkntSchemaValidator;
import dev.engagement.gateway.mcpserver.AllowedHosts;

/**
 * The sandbox as its own process, for any MCP client (e.g. the MCP Inspector) and so that its
 * ledger outlives a gateway crash.
 * <pre>
 *   java -jar engagement-gateway.jar sandbox --port 9090 [--host 127.0.0.1] [--allow-host gw.example]
 *   java -jar engagement-gateway.jar sandbox --stdio --platform twitter
 * </pre>
 */
public final class SandboxMain {

    private SandboxMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = 9090;
        String host = "127.0.0.1";
        String platform = null;
        boolean stdio = false;
        java.util.List<String> allowedHosts = new java.util.ArrayList<>();
        // the packaged application.properties' engagement.sandbox.* settings, each overridable with -D
        Properties settings = shippedSettings();
        int rateLimit = Integer.parseInt(setting(settings, "engagement.sandbox.rate-limit"));
        long window = Long.parseLong(setting(settings, "engagement.sandbox.rate-window-seconds"));
        long latency = Long.parseLong(setting(settings, "engagement.sandbox.latency-ms"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "--host" -> host = value(args, ++i, "--host");
                case "--platform" -> platform = value(args, ++i, "--platform");
                case "--allow-host" -> allowedHosts.add(value(args, ++i, "--allow-host"));
                case "--stdio" -> stdio = true;
                case "--help", "-h" -> {
                    System.err.println("usage: sandbox [--port N] [--host H] [--allow-host NAME]... | sandbox --stdio --platform twitter|instagram|tiktok|threads");
                    return;
                }
                default -> throw new IllegalArgumentException("Unknown sandbox option " + args[i] + " (try --help)");
            }
        }
        ObjectMapper mapper = Json.newObjectMapper();
        McpJsonMapper jsonMapper = new JacksonMcpJsonMapper(mapper);
        Sandbox sandbox = new Sandbox(mapper, jsonMapper, new NetworkntSchemaValidator(mapper), rateLimit, window);
        double errorRate = Double.parseDouble(setting(settings, "engagement.sandbox.error-rate"));
        sandbox.inject(null, java.util.Map.of("latency_ms", latency, "error_rate", errorRate));
        CountDownLatch stop = new CountDownLatch(1);
        if (stdio) {
            if (platform == null) {
                throw new IllegalArgumentException("--stdio serves one platform: add --platform <name>");
            }
            McpSyncServer server = sandbox.stdioServer(platform, new StdioServerTransportProvider(jsonMapper));
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            stop.await(); // the transport ends the process when stdin closes
            return;
        }
        SandboxServer server = new SandboxServer(sandbox, jsonMapper, AllowedHosts.loopbackAnd(allowedHosts));
        // a crash injected over POST /faults is a hard crash of this process: no shutdown hooks, no goodbye
        server.onCrash(() -> Runtime.getRuntime().halt(137));
        server.start(host, port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stop.countDown();
        }));
        System.err.println("Sandbox MCP servers: " + server.baseUrl() + "/mcp/{" + String.join(",", sandbox.platformNames())
                + "}  ledger: " + server.baseUrl() + "/actions?platform=P");
        stop.await();
    }

    private static Properties shippedSettings() throws java.io.IOException {
        Properties p = new Properties();
        try (java.io.InputStream in = SandboxMain.class.getResourceAsStream("/application.properties")) {
            if (in == null) {
                throw new IllegalStateException("application.properties is missing from the classpath");
            }
            p.load(in);
        }
        return p;
    }

    private static String setting(Properties shipped, String key) {
        String value = System.getProperty(key, shipped.getProperty(key));
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Setting " + key + " is missing");
        }
        return value.trim();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
