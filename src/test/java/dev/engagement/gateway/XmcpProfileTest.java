package dev.engagement.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.contract.Json;
import dev.engagement.gateway.mcp.NetworkntSchemaValidator;
import dev.engagement.gateway.mcpserver.AllowedHosts;
import dev.engagement.gateway.mcpserver.McpHttpHost;
import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.RunningGateway.Answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's ready profile for the official X MCP server (xdevplatform/xmcp, FastMCP over X's OpenAPI document:
 * path, query and body parameters as one flat argument object, bodies' objects nested), read from the README itself,
 * against a fake MCP server exposing xmcp's tool names and input schemas.
 */
class XmcpProfileTest {

    private static final ObjectMapper MAPPER = Json.newObjectMapper();
    private static final String ID = "{\"type\": \"string\", \"pattern\": \"^[0-9]{1,19}$\"}";

    private final List<McpSchema.CallToolRequest> calls = new CopyOnWriteArrayList<>();

    @Test
    void theReadmesXmcpProfileRepliesLikesRepostsAndFollowsWithXmcpsArguments() throws Exception {
        JacksonMcpJsonMapper json = new JacksonMcpJsonMapper(MAPPER);
        McpHttpHost xmcp = new McpHttpHost("127.0.0.1", 0, json, AllowedHosts.loopback());
        xmcp.mcp("/mcp", transport -> McpServer.sync(transport).serverInfo("fake-xmcp", "1")
                .jsonMapper(json).jsonSchemaValidator(new NetworkntSchemaValidator(MAPPER))
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(tool("createPosts", """
                        {"type": "object", "properties": {"text": {"type": "string"},
                          "reply": {"type": "object", "properties": {"in_reply_to_tweet_id": %s,
                                    "exclude_reply_user_ids": {"type": "array", "items": %s}}, "required": ["in_reply_to_tweet_id"]}}}"""
                        .formatted(ID, ID), "{\"data\": {\"id\": \"1860000000000000042\", \"text\": \"Thanks, noted!\"}}"),
                        tool("likePost", twoIds("tweet_id"), "{\"data\": {\"liked\": true}}"),
                        tool("repostPost", twoIds("tweet_id"), "{\"data\": {\"retweeted\": true}}"),
                        tool("followUser", twoIds("target_user_id"), "{\"data\": {\"following\": true, \"pending_follow\": false}}"),
                        tool("getPostsById", "{\"type\": \"object\", \"properties\": {\"id\": " + ID + "}, \"required\": [\"id\"]}",
                                "{\"data\": {\"id\": \"1500\", \"text\": \"Loving the new release\", \"author_id\": \"783214\"}}"))
                .build());
        xmcp.start();
        try {
            Map<String, String> overrides = new HashMap<>(readmeProfile());
            overrides.put("engagement.platforms.twitter.mcp.url", xmcp.baseUrl() + "/mcp");
            overrides.put("X_USER_ID", "2244994945");
            try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("gw-xmcp"), overrides)) {
                Answer reply = gateway.submit("""
                        {"action": "reply", "platform": "twitter", "target": "1500", "content": "Thanks, noted!"}""").assertContract();
                assertEquals(200, reply.status(), reply.raw());
                assertEquals("1860000000000000042", reply.text("/platform_response/data/id"));
                assertEquals(200, gateway.submit("{\"action\": \"like\", \"platform\": \"twitter\", \"target\": \"1500\"}").status());
                assertEquals(200, gateway.submit("{\"action\": \"share\", \"platform\": \"twitter\", \"target\": \"1500\"}").status());
                Answer follow = gateway.submit("{\"action\": \"follow\", \"platform\": \"twitter\", \"target\": \"783214\"}");
                assertEquals(202, follow.status(), follow.raw());
                Answer approved = gateway.post("/approvals/" + follow.text("/engagement_id") + "/approve", RunningGateway.REVIEWER, "{}");
                assertEquals(200, approved.status(), approved.raw());
            }
        } finally {
            xmcp.stop();
        }
        assertEquals(Map.of("text", "Thanks, noted!", "reply", Map.of("in_reply_to_tweet_id", "1500")), argumentsOf("createPosts"));
        assertEquals(Map.of("id", "2244994945", "tweet_id", "1500"), argumentsOf("likePost"));
        assertEquals(Map.of("id", "2244994945", "tweet_id", "1500"), argumentsOf("repostPost"));
        assertEquals(Map.of("id", "2244994945", "target_user_id", "783214"), argumentsOf("followUser"));
        assertEquals(Map.of("id", "1500"), argumentsOf("getPostsById"), "the lookup");
    }

    private Map<String, Object> argumentsOf(String tool) {
        return calls.stream().filter(c -> c.name().equals(tool)).findFirst().orElseThrow(() -> new AssertionError(tool + " not called: " + calls))
                .arguments();
    }

    private static String twoIds(String second) {
        return "{\"type\": \"object\", \"properties\": {\"id\": " + ID + ", \"" + second + "\": " + ID + "}, \"required\": [\"id\", \"" + second + "\"]}";
    }

    private McpServerFeatures.SyncToolSpecification tool(String name, String schema, String answer) {
        return McpServerFeatures.SyncToolSpecification.builder()
                .tool(McpSchema.Tool.builder().name(name).description(name).inputSchema(new JacksonMcpJsonMapper(MAPPER), schema).build())
                .callHandler((exchange, request) -> {
                    calls.add(request);
                    return McpSchema.CallToolResult.builder().addTextContent(answer).isError(false).build();
                })
                .build();
    }

    /** The properties of the README's xmcp profile (the fenced block that starts with "# xmcp profile"). */
    static Map<String, String> readmeProfile() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int start = lines.indexOf("# xmcp profile");
        assertTrue(start > 0, "the README has an xmcp profile");
        Map<String, String> profile = new HashMap<>();
        List<String> block = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("```")) {
                break;
            }
            block.add(line);
        }
        for (String line : block) {
            int eq = line.indexOf('=');
            if (!line.isBlank() && !line.startsWith("#") && eq > 0) {
                profile.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        assertTrue(profile.containsKey("engagement.platforms.twitter.actions.reply"), profile.toString());
        return profile;
    }
}
