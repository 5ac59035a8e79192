package dev.engagement.gateway.support;

import dev.engagement.gateway.contract.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;

import dev.engagement.gateway.mcp.NetworkntSchemaValidator;
import dev.engagement.gateway.sandbox.Sandbox;
import dev.engagement.gateway.sandbox.SandboxPlatform;
import dev.engagement.gateway.sandbox.SandboxServer;

/**
 * The sandbox platforms outside any gateway (as {@code java -jar … sandbox} runs them), so that
 * their ledger outlives a gateway crash and is shared by several gateway instances.
 */
public final class StandaloneSandbox implements AutoCloseable {

    private final Sandbox sandbox;
    private final SandboxServer server;

    public StandaloneSandbox() throws Exception {
        ObjectMapper mapper = Json.newObjectMapper();
        JacksonMcpJsonMapper mcpJson = new JacksonMcpJsonMapper(mapper);
        this.sandbox = new Sandbox(mapper, mcpJson, new NetworkntSchemaValidator(mapper), 100_000, 60);
        this.server = new SandboxServer(sandbox, mcpJson);
        server.start("127.0.0.1", 0);
    }

    /** Gateway properties that point every platform at this sandbox instead of a bundled one. */
    public Map<String, String> gatewayOverrides() {
        Map<String, String> p = new HashMap<>();
        p.put("engagement.sandbox.enabled", "false");
        for (String platform : sandbox.platformNames()) {
            p.put("engagement.platforms." + platform + ".mcp.url", server.baseUrl() + "/mcp/" + platform);
            // the sandbox answers a call repeated under its idempotency key without acting again
            p.put("engagement.platforms." + platform + ".mcp.idempotency-keys", "honoured");
        }
        return p;
    }

    /** Each platform with the prefix of its likeable targets' ids (the sandbox's id patterns). */
    public static final String[][] LIKE_TARGETS = {{"twitter", "tweet_"}, {"instagram", "post_"}, {"tiktok", "video_"}, {"threads", "thread_"}};

    /** i in the letters a-j, for target ids: an id with digits could contain "404", which the sandbox does not find. */
    public static String letters(int i) {
        StringBuilder out = new StringBuilder();
        for (char c : Integer.toString(i).toCharArray()) {
            out.append((char) ('a' + (c - '0')));
        }
        return out.toString();
    }

    /**
     * Gateway properties that lift the platforms' budgets and the lookups' read budget, for runs that measure
     * or stress the gateway rather than the budgets.
     */
    public static Map<String, String> liftedBudgets() {
        String many = "1000000000 per PT1S";
        Map<String, String> p = new HashMap<>();
        for (String[] platform : LIKE_TARGETS) {
            p.put("engagement.platforms." + platform[0] + ".rate-limit.likes", many + " for like");
        }
        p.put("engagement.platforms.instagram.rate-limit.calls", many + " for comment,reply,follow");
        p.put("engagement.platforms.tiktok.rate-limit.calls", many + " for comment,follow,share");
        p.put("engagement.targets.read-limit", many);
        return p;
    }

    public SandboxPlatform platform(String name) {
        return sandbox.platform(name);
    }

    public List<SandboxPlatform.LedgerEntry> ledger(String platform) {
        return sandbox.ledger(platform);
    }

    @Override
    public void close() {
        server.close();
    }
}
