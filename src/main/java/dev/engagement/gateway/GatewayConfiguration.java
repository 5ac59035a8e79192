package dev.engagement.gateway;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engagement.gateway.batch.BatchEnvelope;
import dev.engagement.gateway.batch.BatchResults;
import dev.engagement.gateway.contract.ContractValidator;
import dev.engagement.gateway.flow.EngagementState;
import dev.engagement.gateway.observe.EngagementMetrics;
import dev.engagement.gateway.observe.EngagementTracing;
import dev.engagement.gateway.flow.EngagementLifecycle;
import dev.engagement.gateway.http.FailureResponder;
import dev.engagement.gateway.http.HttpFallback;
import dev.engagement.gateway.http.HttpReplies;
import dev.engagement.gateway.http.HttpServerErrors;
import dev.engagement.gateway.http.OpenApiDocument;
import dev.engagement.gateway.http.JsonBodies;
import dev.engagement.gateway.kafka.KafkaRecords;
import dev.engagement.gateway.mcp.McpConnections;
import dev.engagement.gateway.mcp.McpEndpoint;
import dev.engagement.gateway.mcp.McpToolInvoker;
import dev.engagement.gateway.mcp.NetworkntSchemaValidator;
import dev.engagement.gateway.mcp.PlatformExecutor;
import dev.engagement.gateway.platform.PlatformCatalog;
import dev.engagement.gateway.policy.Policies;
import dev.engagement.gateway.resilience.PlatformGuard;
import dev.engagement.gateway.review.ApprovalDesk;
import dev.engagement.gateway.review.AuditTrail;
import dev.engagement.gateway.sandbox.Sandbox;
import dev.engagement.gateway.sandbox.SandboxFaults;
import dev.engagement.gateway.sandbox.SandboxLedger;
import dev.engagement.gateway.sandbox.SandboxServer;
import dev.engagement.gateway.security.AccessGuard;
import dev.engagement.gateway.store.Database;
import dev.engagement.gateway.store.EmbeddedDatabaseHousekeeping;
import dev.engagement.gateway.store.EngagementStore;
import dev.engagement.gateway.target.TargetInspector;

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

        // The sandbox servers and the database start side by side: both are mostly waiting on I/O and
        // class loading, and start-up time is what a user of `java -jar` feels first.
        java.util.concurrent.CompletableFuture<SandboxServer> sandboxStart = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return startSandbox(settings, mapper, mcpJson, schemaValidator);
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        HikariDataSource dataSource;
        SandboxServer sandboxServer;
        try {
            dataSource = Database.open(settings);
            sandboxServer = sandboxStart.join();
        } catch (RuntimeException e) {
            sandboxStart.thenAccept(server -> {
                if (server != null) {
                    server.close();
                }
            });
            throw e instanceof java.util.concurrent.CompletionException && e.getCause() instanceof Exception cause ? cause : e;
        }
        McpConnections connections = new McpConnections(platform -> endpointOf(settings, sandboxServer, platform),
                mcpJson, schemaValidator, Duration.ofMillis(settings.getLong("engagement.mcp.request-timeout-ms", 10_000)),
                Duration.ofMillis(settings.getLong("engagement.mcp.initialization-timeout-ms", 20_000)));

        ReadWriteLock maintenance = new ReentrantReadWriteLock();
        configureEmbeddedDatabaseHousekeeping(context, settings, dataSource, maintenance);

        EngagementStore store = new EngagementStore(dataSource, mapper, maintenance);
        EngagementLifecycle lifecycle = new EngagementLifecycle(store);
        ContractValidator contract = new ContractValidator(mapper);
        PlatformCatalog catalog = new PlatformCatalog(settings, connections);

        bind(context, "jsonMapper", mapper);
        bind(context, "contractValidator", contract);
        bind(context, "platformCatalog", catalog);
        McpToolInvoker invoker = new McpToolInvoker(connections, mapper);
        PlatformGuard guard = new PlatformGuard(settings);
        guard.bindMetrics(meterRegistry(context));
        bind(context, "platformGuard", guard);
        TargetInspector targets = new TargetInspector(settings, invoker, connections, guard, store);
        bind(context, "targetInspector", targets);
        bind(context, "confidencePolicy", Policies.confidencePolicy(context, settings, catalog));
        registerJudgementMetrics(context, targets);
        bind(context, "engagementStore", store);
        bind(context, "engagementLifecycle", lifecycle);
        bind(context, "platformExecutor", new PlatformExecutor(catalog, invoker, guard, store));
        ApprovalDesk approvalDesk = new ApprovalDesk(store, lifecycle, contract, settings.getInt("engagement.approvals.list-limit", 500),
                java.time.Duration.parse(settings.get("engagement.approvals.expire-after", "PT24H")));
        bind(context, "approvalDesk", approvalDesk);
        bind(context, "auditTrail", new AuditTrail(store, lifecycle, approvalDesk));
        bind(context, "openApi", new OpenApiDocument(mapper));
        bind(context, "accessGuard", new AccessGuard(settings.getList("engagement.auth.agent-tokens"),
                settings.getList("engagement.auth.reviewer-tokens")));
        bind(context, "httpReplies", new HttpReplies(mapper, lifecycle));
        bind(context, "failureResponder", new FailureResponder(lifecycle));
        bind(context, "jsonBodies", new JsonBodies());
        bind(context, "httpFallback", new HttpFallback());
        // Reviewer console (routes/console.yaml): static page, script and stylesheet from the jar
        bind(context, "consoleAssets", new dev.engagement.gateway.http.ConsoleAssets());
        context.getManagementStrategy().addEventNotifier(new HttpServerErrors(mapper, settings.getInt("camel.server.port", 8080)));
        bind(context, "sandboxLedger", new SandboxLedger(sandboxServer == null ? null : sandboxServer.sandbox()));
        bind(context, "sandboxFaults", new SandboxFaults(sandboxServer));

        configureBatchAndObservability(context, settings, contract, mapper, invoker, store, lifecycle);

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

    /**
     * routes/maintenance.yaml compacts and syncs an H2 file database on timers; their routes start only
     * for one (derived engagement.datasource.h2-compact-enabled / h2-sync-enabled) and a positive interval
     * (Database.housekeepingIntervalMs: the one reading of it, defaults included).
     */
    private static void configureEmbeddedDatabaseHousekeeping(CamelContext context, Settings settings, HikariDataSource dataSource,
                                                              ReadWriteLock maintenance) {
        boolean h2File = Database.isEmbeddedFile(dataSource);
        for (String task : List.of("compact", "sync")) {
            long interval = Database.housekeepingIntervalMs(settings, task);
            // the timers read the interval as resolved here, so a properties file without it gets the same default
            context.getPropertiesComponent().addOverrideProperty("engagement.datasource.h2-" + task + "-interval-ms", String.valueOf(interval));
            context.getPropertiesComponent().addOverrideProperty("engagement.datasource.h2-" + task + "-enabled", String.valueOf(h2File && interval > 0));
        }
        bind(context, "embeddedDatabase", new EmbeddedDatabaseHousekeeping(dataSource, maintenance,
                settings.getInt("engagement.datasource.h2-compact-fill-rate", 60),
                settings.getInt("engagement.datasource.h2-compact-max-write-bytes", 512 * 1024)));
    }

    private static SandboxServer startSandbox(Settings settings, ObjectMapper mapper, McpJsonMapper mcpJson,
                                              NetworkntSchemaValidator validator) throws Exception {
        if (!settings.getBoolean("engagement.sandbox.enabled", true)) {
            return null;
        }
        Sandbox sandbox = new Sandbox(mapper, mcpJson, validator,
                settings.getInt("engagement.sandbox.rate-limit", 600),
                settings.getLong("engagement.sandbox.rate-window-seconds", 60));
        sandbox.inject(null, java.util.Map.of("latency_ms", settings.getLong("engagement.sandbox.latency-ms", 0),
                "error_rate", settings.getDouble("engagement.sandbox.error-rate", 0)));
        SandboxServer server = new SandboxServer(sandbox, mcpJson);
        // a crash asked for over the sandbox's own /faults stops it from another thread (we are on one of its own)
        server.onCrash(() -> new Thread(server::crash, "sandbox-crash").start());
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

    // ------------------------------------------------------------ judgement (policy rules, target checks, metrics)

    /**
     * The gateway's own meters, in the registry camel-micrometer-prometheus scrapes at /observe/metrics:
     * Camel looks the registry up as "metricsRegistry" and creates one only when none is bound, so
     * binding it here (once, for everybody) puts Camel's meters and ours in one scrape.
     */
    public static MeterRegistry meterRegistry(CamelContext context) {
        MeterRegistry registry = context.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        if (registry == null) {
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            bind(context, "metricsRegistry", registry);
        }
        return registry;
    }

    private static void registerJudgementMetrics(CamelContext context, TargetInspector targets) {
        MeterRegistry registry = meterRegistry(context);
        Cache<String, ?> cache = targets.cache();
        FunctionCounter.builder("engagement.target.cache.hits", cache, c -> c.stats().hitCount())
                .description("Target lookups answered from the cache").register(registry);
        FunctionCounter.builder("engagement.target.cache.misses", cache, c -> c.stats().missCount())
                .description("Target lookups that called the platform's lookup tool").register(registry);
        Gauge.builder("engagement.target.cache.hit.ratio", cache, c -> c.stats().requestCount() == 0 ? 0 : c.stats().hitRate())
                .description("Share of target lookups answered from the cache").register(registry);
        Gauge.builder("engagement.target.cache.size", cache, Cache::estimatedSize)
                .description("Targets in the lookup cache").register(registry);
    }

    // ------------------------------------------------------------ batch submission and observability

    /**
     * The batch endpoint's beans (envelope, in-order results, the pool its items run on), the
     * engagement and MCP-call meters, and the engagement id in every log line of the flow.
     */
    private static void configureBatchAndObservability(CamelContext context, Settings settings, ContractValidator contract,
                                                       ObjectMapper mapper, McpToolInvoker invoker, EngagementStore store,
                                                       EngagementLifecycle lifecycle) {
        bind(context, "batchEnvelope", new BatchEnvelope(contract, mapper, settings.getInt("engagement.batch.max-size", 100)));
        bind(context, "batchResults", new BatchResults());
        int parallelism = settings.getInt("engagement.batch.parallelism", 8);
        // shared by all batches: items beyond it wait in the queue, so batches cannot flood the MCP clients
        bind(context, "batchExecutor", context.getExecutorServiceManager()
                .newFixedThreadPool(GatewayConfiguration.class, "engagement-batch", parallelism));
        MeterRegistry registry = meterRegistry(context);
        invoker.bindMetrics(registry);
        bind(context, "engagementMetrics", new EngagementMetrics(registry, lifecycle,
                () -> store.countInState(EngagementState.PENDING_APPROVAL),
                Duration.ofMillis(settings.getLong("engagement.metrics.pending-count-cache-ms", 5_000))));
        context.getCamelContextExtension().addInterceptStrategy(new EngagementTracing());
    }

    private static void bind(CamelContext context, String name, Object bean) {
        context.getRegistry().bind(name, bean);
    }
}
