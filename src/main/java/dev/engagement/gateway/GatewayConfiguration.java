package dev.engagement.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engagement.gateway.contract.ContractValidator;
import dev.engagement.gateway.flow.EngagementLifecycle;
import dev.engagement.gateway.http.FailureResponder;
import dev.engagement.gateway.http.HttpFallback;
import dev.engagement.gateway.http.HttpReplies;
import dev.engagement.gateway.http.JsonBodies;
import dev.engagement.gateway.kafka.KafkaRecords;
import dev.engagement.gateway.mcp.McpConnections;
import dev.engagement.gateway.mcp.McpEndpoint;
import dev.engagement.gateway.mcp.McpToolInvoker;
import dev.engagement.gateway.mcp.NetworkntSchemaValidator;
import dev.engagement.gateway.mcp.PlatformExecutor;
import dev.engagement.gateway.platform.PlatformCatalog;
import dev.engagement.gateway.policy.ConfidencePolicy;
import dev.engagement.gateway.policy.SensitiveLexicon;
import dev.engagement.gateway.review.ApprovalDesk;
import dev.engagement.gateway.sandbox.Sandbox;
import dev.engagement.gateway.sandbox.SandboxLedger;
import dev.engagement.gateway.sandbox.SandboxServer;
import dev.engagement.gateway.security.AccessGuard;
import dev.engagement.gateway.store.Database;
import dev.engagement.gateway.store.EngagementStore;

/**
 * Wires the beans the routes call, from application.properties. The bean names are the ones
 * the YAML routes refer to.
 */
public class GatewayConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayConfiguration.class);

    public static ObjectMapper newObjectMapper() {
        ObjectMapper mapper = new ObjectMapper();
        // A hostile body with a key twice, or with trailing garbage, is malformed, not "last one wins".
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        return mapper;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context.getPropertiesComponent());
        ObjectMapper mapper = newObjectMapper();
        McpJsonMapper mcpJson = new JacksonMcpJsonMapper(mapper);
        NetworkntSchemaValidator schemaValidator = new NetworkntSchemaValidator(mapper);

        SandboxServer sandboxServer = startSandbox(settings, mapper, mcpJson, schemaValidator);
        McpConnections connections = new McpConnections(platform -> endpointOf(settings, sandboxServer, platform),
                mcpJson, schemaValidator, Duration.ofMillis(settings.getLong("engagement.mcp.request-timeout-ms", 10_000)));

        HikariDataSource dataSource = Database.open(settings);
        EngagementStore store = new EngagementStore(dataSource, mapper);
        EngagementLifecycle lifecycle = new EngagementLifecycle(store);
        ContractValidator contract = new ContractValidator(mapper);
        PlatformCatalog catalog = new PlatformCatalog(settings, connections);
        SensitiveLexicon lexicon = loadLexicon(context, settings.get("engagement.policy.sensitive-lexicon",
                "classpath:policy/sensitive-lexicon.txt"));

        bind(context, "jsonMapper", mapper);
        bind(context, "contractValidator", contract);
        bind(context, "platformCatalog", catalog);
        bind(context, "confidencePolicy", new ConfidencePolicy(settings, lexicon, catalog));
        bind(context, "engagementStore", store);
        bind(context, "engagementLifecycle", lifecycle);
        bind(context, "platformExecutor", new PlatformExecutor(catalog, new McpToolInvoker(connections, mapper)));
        bind(context, "approvalDesk", new ApprovalDesk(store, lifecycle, contract, settings.getInt("engagement.approvals.list-limit", 500)));
        bind(context, "accessGuard", new AccessGuard(settings.getList("engagement.auth.agent-tokens"),
                settings.getList("engagement.auth.reviewer-tokens")));
        bind(context, "httpReplies", new HttpReplies(mapper, lifecycle));
        bind(context, "failureResponder", new FailureResponder(lifecycle));
        bind(context, "jsonBodies", new JsonBodies());
        bind(context, "httpFallback", new HttpFallback());
        bind(context, "sandboxLedger", new SandboxLedger(sandboxServer == null ? null : sandboxServer.sandbox()));

        configureKafkaIntake(context, settings, mapper, lifecycle, store);

        if (settings.getList("engagement.auth.agent-tokens").contains("dev-agent-token")) {
            LOG.warn("Using the shipped development tokens: set engagement.auth.agent-tokens and "
                    + "engagement.auth.reviewer-tokens before exposing the gateway");
        }

        // Closed when Camel stops, after the routes: MCP clients, then the sandbox, then the pool.
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                connections.close();
                if (sandboxServer != null) {
                    sandboxServer.close();
                }
                dataSource.close();
            }
        });
    }

    private static SandboxServer startSandbox(Settings settings, ObjectMapper mapper, McpJsonMapper mcpJson,
                                              NetworkntSchemaValidator validator) throws Exception {
        if (!settings.getBoolean("engagement.sandbox.enabled", true)) {
            return null;
        }
        Sandbox sandbox = new Sandbox(mapper, mcpJson, validator,
                settings.getInt("engagement.sandbox.rate-limit", 600),
                settings.getLong("engagement.sandbox.rate-window-seconds", 60));
        for (String p : sandbox.platformNames()) {
            sandbox.platform(p).setLatencyMs(settings.getLong("engagement.sandbox.latency-ms", 0));
        }
        SandboxServer server = new SandboxServer(sandbox, mcpJson);
        server.start(settings.get("engagement.sandbox.host", "127.0.0.1"), settings.getInt("engagement.sandbox.port", 0));
        return server;
    }

    /** The platform's own MCP server when configured (url or stdio command), else the bundled sandbox. */
    static McpEndpoint endpointOf(Settings settings, SandboxServer sandbox, String platform) {
        String prefix = "engagement.platforms." + platform + ".mcp.";
        var url = settings.get(prefix + "url");
        if (url.isPresent()) {
            return McpEndpoint.http(platform, url.get());
        }
        var command = settings.get(prefix + "command");
        if (command.isPresent()) {
            return McpEndpoint.stdio(platform, command.get());
        }
        if (sandbox == null) {
            throw new IllegalStateException("No MCP server for " + platform + ": set " + prefix + "url or " + prefix
                    + "command, or enable the bundled sandbox (engagement.sandbox.enabled=true)");
        }
        return McpEndpoint.http(platform, sandbox.baseUrl() + "/mcp/" + platform);
    }

    // ======== Kafka intake (issue 3) ========

    /**
     * Kafka intake is on exactly when {@code engagement.kafka.brokers} is set: routes/kafka-intake.yaml
     * starts its routes on the derived {@code engagement.kafka.enabled}.
     */
    private static void configureKafkaIntake(CamelContext context, Settings settings, ObjectMapper mapper,
                                             EngagementLifecycle lifecycle, EngagementStore store) {
        boolean enabled = settings.get("engagement.kafka.brokers").isPresent();
        context.getPropertiesComponent().addOverrideProperty("engagement.kafka.enabled", String.valueOf(enabled));
        bind(context, "kafkaRecords", new KafkaRecords(mapper, lifecycle, store, new FailureResponder(lifecycle)));
        if (enabled) {
            LOG.info("Kafka intake on: brokers {}", settings.get("engagement.kafka.brokers").get());
        }
    }

    private static SensitiveLexicon loadLexicon(CamelContext context, String location) throws IOException {
        try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(context, location)) {
            return SensitiveLexicon.load(in, location);
        }
    }

    private static void bind(CamelContext context, String name, Object bean) {
        context.getRegistry().bind(name, bean);
    }
}
