package dev.engagement.gateway.connector;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engagement.gateway.config.Settings;
import dev.engagement.gateway.mcpserver.AllowedHosts;

/**
 * The live connectors the gateway runs in-process: one for each platform set to
 * {@code engagement.platforms.<p>.connector = live} that has no MCP server of its own ({@code mcp.url},
 * {@code mcp.command}), served on loopback at {@code /mcp/<platform>}. Their credentials are environment variables
 * (X_USER_ACCESS_TOKEN...), read through the settings so that a -D or a test's override works too; a missing one
 * stops the start naming it.
 */
public final class LiveConnectors {

    private static final Logger LOG = LoggerFactory.getLogger(LiveConnectors.class);

    private LiveConnectors() {
    }

    /** The server of the live platforms' connectors, started; null when no platform is live. */
    public static ConnectorServer start(Settings settings, List<String> platforms, ObjectMapper mapper, McpJsonMapper mcpJson,
                                        JsonSchemaValidator validator, AllowedHosts allowed) throws Exception {
        Map<String, Connector> byPath = new LinkedHashMap<>();
        ConnectorSettings credentials = new ConnectorSettings(settings::variable);
        for (String platform : platforms) {
            if (!isLive(settings, platform)) {
                continue;
            }
            if (hasOwnServer(settings, platform)) {
                LOG.warn("Platform {}: engagement.platforms.{}.connector = live is ignored, its own MCP server is configured", platform, platform);
                continue;
            }
            byPath.put("/mcp/" + platform, Connectors.create(platform, credentials, mapper));
        }
        return byPath.isEmpty() ? null
                : ConnectorServer.start("127.0.0.1", 0, byPath, new ConnectorServers(mapper, mcpJson, validator), mcpJson, allowed);
    }

    /** True for {@code connector = live}, false for {@code sandbox}; anything else stops the start naming the key. */
    public static boolean isLive(Settings settings, String platform) {
        String key = "engagement.platforms." + platform + ".connector";
        String kind = settings.require(key);
        if (!kind.equals("live") && !kind.equals("sandbox")) {
            throw new IllegalArgumentException(key + " must be sandbox or live, not '" + kind + "'");
        }
        return kind.equals("live");
    }

    private static boolean hasOwnServer(Settings settings, String platform) {
        String prefix = "engagement.platforms." + platform + ".mcp.";
        return settings.get(prefix + "url").isPresent() || settings.get(prefix + "command").isPresent();
    }
}
