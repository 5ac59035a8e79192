package dev.engagement.gateway.connector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * A live connector as its own MCP server process, configured by its environment variables:
 * <pre>
 *   java -jar engagement-gateway.jar connector x --port 9191 [--host 127.0.0.1] [--allow-host NAME]...
 *   java -jar engagement-gateway.jar connector threads --stdio
 * </pre>
 * Over HTTP it answers at {@code http://127.0.0.1:N/mcp}, to requests for localhost, 127.0.0.1 and [::1] only
 * unless {@code --allow-host} names more.
 */
public final class ConnectorMain {

    private static final String USAGE = "usage: connector x|threads|instagram --port N [--host H] [--allow-host NAME]... | connector x|threads|instagram --stdio";

    private ConnectorMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].startsWith("-")) {
            System.err.println(USAGE);
            if (args.length == 0) {
                throw new IllegalArgumentException("Name the connector: x, threads or instagram");
            }
            return;
        }
        String name = args[0];
        Integer port = null;
        String host = "127.0.0.1";
        boolean stdio = false;
        List<String> allowed = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "--host" -> host = value(args, ++i, "--host");
                case "--allow-host" -> allowed.add(value(args, ++i, "--allow-host"));
                case "--stdio" -> stdio = true;
                default -> throw new IllegalArgumentException("Unknown connector option " + args[i] + " (" + USAGE + ")");
            }
        }
        if (stdio == (port != null)) {
            throw new IllegalArgumentException("Give either --port N or --stdio (" + USAGE + ")");
        }
        ObjectMapper mapper = Json.newObjectMapper();
        McpJsonMapper jsonMapper = new JacksonMcpJsonMapper(mapper);
        ConnectorServers servers = new ConnectorServers(mapper, jsonMapper, new NetworkntSchemaValidator(mapper));
        Connector connector = Connectors.create(name, ConnectorSettings.fromEnvironment(), mapper);
        CountDownLatch stop = new CountDownLatch(1);
        if (stdio) {
            McpSyncServer server = servers.stdio(connector, new StdioServerTransportProvider(jsonMapper));
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            stop.await(); // the transport ends the process when stdin closes
            return;
        }
        ConnectorServer server = ConnectorServer.start(host, port, Map.of("/mcp", connector), servers, jsonMapper,
                AllowedHosts.loopbackAnd(allowed));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stop.countDown();
        }));
        System.err.println("Connector " + connector.platform() + " (MCP): " + server.baseUrl() + "/mcp");
        stop.await();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
