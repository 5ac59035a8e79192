package dev.engagement.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.zaxxer.hikari.HikariDataSource;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedTimeLimiterMetrics;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.vertx.core.VertxOptions;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import dev.engagement.gateway.batch.BatchEnvelope;
import dev.engagement.gateway.batch.BatchResults;
import dev.engagement.gateway.config.KnownSettings;
import dev.engagement.gateway.connector.ConnectorServer;
import dev.engagement.gateway.connector.LiveConnectors;
import dev.engagement.gateway.config.Settings;
import dev.engagement.gateway.contract.ContractSchemas;
import dev.engagement.gateway.contract.ContractValidator;
import dev.engagement.gateway.contract.ContractViolations;
import dev.engagement.gateway.contract.Json;
import dev.engagement.gateway.contract.Vocabulary;
import dev.engagement.gateway.drafting.DraftChecker;
import dev.engagement.gateway.drafting.DraftPrompt;
import dev.engagement.gateway.drafting.LanguageModel;
import dev.engagement.gateway.engagement.EngagementState;
import dev.engagement.gateway.flow.EngagementLifecycle;
import dev.engagement.gateway.flow.FailureResponder;
import dev.engagement.gateway.flow.UnfinishedEngagements;
import dev.engagement.gateway.http.ConsoleAssets;
import dev.engagement.gateway.http.HttpFallback;
import dev.engagement.gateway.http.HttpReplies;
import dev.engagement.gateway.http.HttpServerErrors;
import dev.engagement.gateway.http.JsonBodies;
import dev.engagement.gateway.http.OpenApiDocument;
import dev.engagement.gateway.kafka.KafkaPolls;
import dev.engagement.gateway.observe.MetricsScrape;
import dev.engagement.gateway.kafka.KafkaRecords;
import dev.engagement.gateway.mcp.McpConnections;
import dev.engagement.gateway.mcp.McpEndpoint;
import dev.engagement.gateway.mcp.McpToolInvoker;
import dev.engagement.gateway.mcp.NetworkntSchemaValidator;
import dev.engagement.gateway.mcp.PlatformCalls;
import dev.engagement.gateway.mcpserver.AllowedHosts;
import dev.engagement.gateway.observe.EngagementMetrics;
import dev.engagement.gateway.observe.EngagementTracing;
import dev.engagement.gateway.platform.PlatformCatalog;
import dev.engagement.gateway.platform.PlatformDirectory;
import dev.engagement.gateway.platform.ReplyRestriction;
import dev.engagement.gateway.policy.DecisionRules;
import dev.engagement.gateway.policy.Policies;
import dev.engagement.gateway.resilience.PlatformBreakers;
import dev.engagement.gateway.resilience.RateBudgets;
import dev.engagement.gateway.notify.ApprovalNotices;
import dev.engagement.gateway.notify.ApprovalWebhook;
import dev.engagement.gateway.review.ApprovalDesk;
import dev.engagement.gateway.review.AuditTrail;
import dev.engagement.gateway.review.BulkDecisions;
import dev.engagement.gateway.review.DecisionRecorded;
import dev.engagement.gateway.review.ReviewerDecisions;
import dev.engagement.gateway.review.ReviewerEdits;
import dev.engagement.gateway.sandbox.Sandbox;
import dev.engagement.gateway.sandbox.SandboxFaults;
import dev.engagement.gateway.sandbox.SandboxLedger;
import dev.engagement.gateway.sandbox.SandboxServer;
import dev.engagement.gateway.security.AccessGuard;
import dev.engagement.gateway.store.Database;
import dev.engagement.gateway.store.DatabaseHealthCheck;
import dev.engagement.gateway.store.EmbeddedDatabaseHousekeeping;
import dev.engagement.gateway.store.EngagementReads;
import dev.engagement.gateway.store.EngagementRecords;
import dev.engagement.gateway.store.MaintenanceAwareDataSource;
import dev.engagement.gateway.target.TargetInspector;

/**
 * Wires the beans the routes call, from application.properties. The bean names are the ones the YAML
 * routes refer to. Every setting is read here or by the bean it configures, with its default in
 * application.properties only; a setting nobody reads fails the start (KnownSettings).
 */
public class GatewayConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayConfiguration.class);

    /** Worker threads kept free of platform calls whatever the platforms do: health, reviewers, the console. */
    static final int RESERVED_WORKERS = 8;

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context.getPropertiesComponent());
        ObjectMapper mapper = Json.newObjectMapper();
        Vocabulary vocabulary = Vocabulary.fromContract(mapper);
        KnownSettings.check(settings.keysUnder("engagement."), KnownSettings.shipped(), vocabulary.platforms(), vocabulary.actions());
        McpJsonMapper mcpJson = new JacksonMcpJsonMapper(mapper);
        NetworkntSchemaValidator schemaValidator = new NetworkntSchemaValidator(mapper);
        MeterRegistry meters = meterRegistry(context);

        // The sandbox servers and the database start side by side: both are mostly waiting on I/O and
        // class loading, and start-up time is what a user of `java -jar` feels first.
        CompletableFuture<SandboxServer> sandboxStart = CompletableFuture.supplyAsync(() -> {
            try {
                return startSandbox(settings, mapper, mcpJson, schemaValidator);
            } catch (Exception e) {
                throw new CompletionException(e);
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
            throw e instanceof CompletionException && e.getCause() instanceof Exception cause ? cause : e;
        }
        ConnectorServer liveConnectors;
        try {
            liveConnectors = LiveConnectors.start(settings, vocabulary.platforms(), mapper, mcpJson, schemaValidator,
                    allowedHosts(settings));
        } catch (Exception e) {
            if (sandboxServer != null) {
                sandboxServer.close();
            }
            dataSource.close();
            throw e;
        }
        McpConnections connections = new McpConnections(vocabulary.platforms(), p -> endpointOf(settings, sandboxServer, liveConnectors, p),
                mcpJson, schemaValidator, new McpConnections.Timing(
                        Duration.ofMillis(settings.getLong("engagement.mcp.initialization-timeout-ms")),
                        Duration.ofMillis(settings.getLong("engagement.mcp.request-timeout-ms")),
                        Duration.ofMillis(settings.getLong("engagement.mcp.connect-wait-ms")),
                        Duration.ofMillis(settings.getLong("engagement.mcp.catalogue-refresh-ms")),
                        Duration.ofMillis(settings.getLong("engagement.mcp.reconnect-max-backoff-ms"))));
        // in the background: a request never waits on connecting or on tools/list (McpConnections)
        connections.start();

        ReadWriteLock maintenance = new ReentrantReadWriteLock();
        configureEmbeddedDatabaseHousekeeping(context, settings, dataSource, maintenance);

        // the pool as the engagements' records and reads and the routes' sql: steps (routes/approvals.yaml,
        // routes/http-api.yaml, by camel.component.sql.data-source) use it; a reviewer's decision and its event
        // commit in one transaction
        MaintenanceAwareDataSource engagements = new MaintenanceAwareDataSource(dataSource, maintenance);
        bind(context, "engagementsDataSource", engagements);
        // readiness: GET /observe/health is DOWN, naming the database, while it cannot be reached
        HealthCheckRegistry.get(context).register(new DatabaseHealthCheck(engagements));
        EngagementReads reads = new EngagementReads(engagements, mapper);
        EngagementRecords records = new EngagementRecords(engagements, mapper, reads);
        SpringTransactionPolicy decisionTransaction = new SpringTransactionPolicy(new DataSourceTransactionManager(engagements));
        decisionTransaction.setPropagationBehaviorName("PROPAGATION_REQUIRED");
        bind(context, "decisionTransaction", decisionTransaction);
        EngagementLifecycle lifecycle = new EngagementLifecycle(records, reads, settings.getInt("engagement.approvals.max-pending-per-agent"));
        ContractValidator contract = new ContractValidator(mapper);
        PlatformCatalog catalog = new PlatformCatalog(settings, vocabulary, connections);

        bind(context, "jsonMapper", mapper);
        bind(context, "contractValidator", contract);
        bind(context, "contractSchemas", new ContractSchemas(mapper));
        bind(context, "contractViolations", new ContractViolations());
        bind(context, "platformCatalog", catalog);
        bind(context, "engagementRecords", records);
        bind(context, "engagementLifecycle", lifecycle);

        PlatformCalls calls = configurePlatformCalls(context, settings, vocabulary, connections, mapper, meters, catalog, lifecycle);
        TargetInspector targets = new TargetInspector(settings, vocabulary.platforms(), vocabulary.actions(), connections, calls);
        bind(context, "targetInspector", targets);
        bind(context, "replyRestriction", new ReplyRestriction(settings, vocabulary.platforms()));
        bind(context, "confidencePolicy", Policies.confidencePolicy(context, settings, catalog));
        bind(context, "decisionRules", new DecisionRules(settings, vocabulary.platforms(), vocabulary.actions()));
        configureDrafting(context, settings, catalog, contract, lifecycle, mapper);
        registerJudgementMetrics(meters, targets);

        Duration expireAfter = settings.getDuration("engagement.approvals.expire-after");
        bind(context, "approvalDesk", new ApprovalDesk(reads, lifecycle, mapper, vocabulary, settings.getInt("engagement.approvals.list-limit"),
                expireAfter, settings.getInt("engagement.approvals.context.recent-per-author")));
        bind(context, "reviewerDecisions", new ReviewerDecisions(reads, lifecycle, contract, mapper, expireAfter));
        bind(context, "reviewerEdits", new ReviewerEdits(contract, catalog, mapper));
        // approval events are made only when someone listens: the Kafka topic (Kafka on) or the webhook
        boolean listened = settings.get("engagement.kafka.brokers").isPresent() || settings.get("engagement.approvals.webhook-url").isPresent();
        context.getPropertiesComponent().addOverrideProperty("engagement.approvals.notifications-enabled", String.valueOf(listened));
        bind(context, "approvalNotices", new ApprovalNotices(reads, mapper, expireAfter,
                settings.getDuration("engagement.approvals.expiry-warning")));
        bind(context, "approvalWebhook", new ApprovalWebhook(settings.get("engagement.approvals.webhook-url").orElse(null),
                settings.get("engagement.approvals.webhook-secret").orElse(null),
                Duration.ofMillis(settings.getLong("engagement.approvals.webhook.timeout-ms"))));
        bind(context, "bulkDecisions", new BulkDecisions(contract, mapper, settings.getInt("engagement.approvals.bulk-max-size")));
        bind(context, "decisionRecorded", new DecisionRecorded());
        bind(context, "auditTrail", new AuditTrail(reads, lifecycle, mapper, vocabulary));
        bind(context, "openApi", new OpenApiDocument(mapper));
        bind(context, "accessGuard", new AccessGuard(settings.getList("engagement.auth.agent-tokens"),
                settings.getList("engagement.auth.reviewer-tokens"), settings.getList("engagement.auth.metrics-tokens")));
        bind(context, "httpReplies", new HttpReplies(mapper, lifecycle));
        bind(context, "metricsScrape", new MetricsScrape((PrometheusMeterRegistry) meters));
        bind(context, "jsonBodies", new JsonBodies());
        bind(context, "httpFallback", new HttpFallback());
        // Reviewer console (routes/console.yaml): static page, script and stylesheet from the jar
        bind(context, "consoleAssets", new ConsoleAssets());
        context.getManagementStrategy().addEventNotifier(new HttpServerErrors(mapper, settings.getInt("camel.server.port")));
        bind(context, "sandboxLedger", new SandboxLedger(sandboxServer == null ? null : sandboxServer.sandbox()));
        bind(context, "sandboxFaults", new SandboxFaults(sandboxServer));
        PlatformDirectory directory = new PlatformDirectory(settings, catalog, connections,
                context.getRegistry().lookupByNameAndType("circuitBreakerRegistry", CircuitBreakerRegistry.class),
                sandboxServer == null ? null : sandboxServer.baseUrl(), liveConnectors == null ? null : liveConnectors.baseUrl());
        bind(context, "platformDirectory", directory);
        UnfinishedEngagements unfinished = new UnfinishedEngagements(reads, lifecycle, directory::honoursIdempotencyKeys,
                recoveryIdleAfter(settings, vocabulary.platforms()), settings.getInt("engagement.recovery.batch"));
        bind(context, "unfinishedEngagements", unfinished);
        FailureResponder failures = new FailureResponder(lifecycle, unfinished);
        bind(context, "failureResponder", failures);

        configureBatchAndObservability(context, settings, contract, mapper, meters, reads, lifecycle, vocabulary);
        configureKafkaIntake(context, settings, mapper, meters, lifecycle, reads, failures);

        AccessGuard.checkExposure(settings.getList("engagement.auth.agent-tokens"), settings.getList("engagement.auth.reviewer-tokens"),
                settings.getList("engagement.auth.metrics-tokens"), settings.require("camel.server.host"));

        // Closed when Camel stops, after the routes: MCP clients, then the sandbox, then the pool.
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                connections.close();
                if (liveConnectors != null) {
                    liveConnectors.close();
                }
                if (sandboxServer != null) {
                    sandboxServer.close();
                }
                dataSource.close();
            }
        });
    }

    /**
     * engagement.recovery.idle-after-ms: longer than the longest an execution can take (every attempt of the
     * call waiting for its bulkhead and timing out, with the backoffs between), so a slow execution still under
     * way is never taken for one a crash left. Unset: twice that, and at least two minutes; set shorter: refused.
     */
    private static Duration recoveryIdleAfter(Settings settings, List<String> platforms) {
        int redeliveries = settings.getInt("engagement.resilience.retry.max-redeliveries");
        long longest = 0;
        for (String platform : platforms) {
            long attempt = settings.getIntForPlatform(platform, "resilience.call-timeout-ms")
                    + settings.getIntForPlatform(platform, "resilience.bulkhead-wait-ms");
            longest = Math.max(longest, attempt * (1 + redeliveries)
                    + settings.getLong("engagement.resilience.retry.max-backoff-ms") * redeliveries);
        }
        if (settings.get("engagement.recovery.idle-after-ms").isEmpty()) {
            return Duration.ofMillis(Math.max(Duration.ofMinutes(2).toMillis(), 2 * longest));
        }
        long idleAfter = settings.getLong("engagement.recovery.idle-after-ms");
        if (idleAfter <= longest) {
            throw new IllegalArgumentException("engagement.recovery.idle-after-ms is " + idleAfter + " but an execution may take "
                    + longest + " ms (call timeout and bulkhead wait per attempt, retries and their backoff): set it above that,"
                    + " or leave it empty");
        }
        return Duration.ofMillis(idleAfter);
    }

    /**
     * What routes/platforms.yaml needs around each platform call: the Resilience4j registries its
     * circuitBreaker EIPs create their breaker, bulkhead and time limiter in (so they are metrics, named
     * after the EIP), a thread pool per platform for its calls (the EIP's timeout runs the call there),
     * the budgets, and the beans of the call's steps. The HTTP server gets enough worker threads that
     * every platform's bulkheads together cannot take them all.
     */
    private static PlatformCalls configurePlatformCalls(CamelContext context, Settings settings, Vocabulary vocabulary,
                                               McpConnections connections, ObjectMapper mapper, MeterRegistry meters,
                                               PlatformCatalog catalog, EngagementLifecycle lifecycle) throws Exception {
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
        BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
        TimeLimiterRegistry timeLimiters = TimeLimiterRegistry.ofDefaults();
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(meters);
        TaggedTimeLimiterMetrics.ofTimeLimiterRegistry(timeLimiters).bindTo(meters);
        bind(context, "circuitBreakerRegistry", breakers);
        bind(context, "bulkheadRegistry", bulkheads);
        bind(context, "timeLimiterRegistry", timeLimiters);
        PlatformBreakers.create(settings, vocabulary.platforms(), breakers).forEach((name, breaker) -> bind(context, name, breaker));

        int platformThreads = 0;
        for (String platform : vocabulary.platforms()) {
            int bulkhead = settings.getIntForPlatform(platform, "resilience.bulkhead");
            // a lookup and an action bulkhead each; a call cut off by the timeout may hold its thread a little longer
            platformThreads += 2 * bulkhead;
            bind(context, "platformCalls-" + platform, callPool(context, "platform-calls-" + platform, bulkhead));
        }
        // the language model's drafts (routes/drafting.yaml) hold a request's thread too, at most its bulkhead's worth
        int draftingThreads = settings.getBoolean("engagement.drafting.enabled") ? settings.getInt("engagement.drafting.bulkhead") : 0;
        int workers = settings.getInt("engagement.http.worker-threads");
        if (workers < platformThreads + draftingThreads + RESERVED_WORKERS) {
            throw new IllegalArgumentException("engagement.http.worker-threads = " + workers + " is too few: the platforms'"
                    + " bulkheads (engagement.resilience.bulkhead, twice per platform) can hold " + platformThreads
                    + " threads, drafting (engagement.drafting.bulkhead) " + draftingThreads + ", and " + RESERVED_WORKERS
                    + " more must stay free for health and reviewers; raise it to at least "
                    + (platformThreads + draftingThreads + RESERVED_WORKERS) + " or lower the bulkheads");
        }
        bind(context, "vertxOptions", new VertxOptions().setWorkerPoolSize(workers));

        // every platform of the contract needs its two guarded routes (routes/platforms.yaml, one templatedRoute each)
        context.addStartupListener((camel, alreadyStarted) -> {
            List<String> missing = vocabulary.platforms().stream().flatMap(p -> java.util.stream.Stream.of("lookup-" + p, "execute-" + p))
                    .filter(id -> camel.getRoute(id) == null).toList();
            if (!missing.isEmpty()) {
                throw new IllegalStateException("No route " + String.join(", ", missing) + ": every platform of contract.json needs a"
                        + " templatedRoute of the platform-call template per call (routes/platforms.yaml)");
            }
        });
        RateBudgets budgets = new RateBudgets(settings, vocabulary.platforms(), vocabulary.actions(), meters);
        bind(context, "rateBudgets", budgets);
        McpToolInvoker invoker = new McpToolInvoker(connections, mapper, meters, settings.getInt("engagement.mcp.max-answer-chars"),
                settings.getLong("engagement.mcp.max-retry-after-seconds"));
        Set<String> dryRun = vocabulary.platforms().stream().filter(p -> settings.getBoolean("engagement.platforms." + p + ".dry-run"))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        dryRun.forEach(p -> LOG.warn("Platform {}: DRY RUN (engagement.platforms.{}.dry-run): its actions are checked and recorded, never sent", p, p));
        PlatformCalls calls = new PlatformCalls(invoker, catalog, budgets, lifecycle, breakers, dryRun);
        bind(context, "platformCalls", calls);
        bind(context, "platformCallAttempts", calls.attempts());
        return calls;
    }

    /**
     * The threads a circuitBreaker's timeout runs its guarded calls on: none idle, a few more than its bulkhead (a
     * call cut off by the timeout may hold its thread a little longer), no queue.
     */
    private static java.util.concurrent.ExecutorService callPool(CamelContext context, String name, int bulkhead) {
        ThreadPoolProfile profile = new ThreadPoolProfile(name);
        profile.setPoolSize(0);
        profile.setMaxPoolSize(4 * bulkhead);
        profile.setMaxQueueSize(0);
        profile.setKeepAliveTime(60L);
        return context.getExecutorServiceManager().newThreadPool(GatewayConfiguration.class, name, profile);
    }

    /**
     * What routes/drafting.yaml needs to draft a reply or comment that came without content: the language model
     * (engagement.drafting.*; enabled without base-url or model fails here, naming the key), the prompt builder, the
     * answer's checker, its circuit breaker and the thread pool its timeout runs the call on. Bound when drafting is
     * off too (the route refers to them), but then nothing reaches them: a reply without content is a 400.
     */
    private static void configureDrafting(CamelContext context, Settings settings, PlatformCatalog catalog, ContractValidator contract,
                                          EngagementLifecycle lifecycle, ObjectMapper mapper) {
        LanguageModel model = LanguageModel.fromSettings(settings);
        // which of contract.json's request schemas the validate route checks: a reply may leave content out only here
        context.getPropertiesComponent().addOverrideProperty("engagement.drafting.request-schema",
                model != null ? "draftable-engagement-request" : "engagement-request");
        CircuitBreaker breaker = PlatformBreakers.drafting(settings,
                context.getRegistry().lookupByNameAndType("circuitBreakerRegistry", CircuitBreakerRegistry.class));
        bind(context, "drafting-breaker", breaker);
        bind(context, "draftingCalls", callPool(context, "drafting-calls", settings.getInt("engagement.drafting.bulkhead")));
        bind(context, "draftPrompt", new DraftPrompt(model, catalog, mapper));
        bind(context, "draftChecker", new DraftChecker(model, catalog, contract, lifecycle, mapper,
                breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1) / 1000));
        if (model != null) {
            LOG.info("Drafting on: a reply or comment without content is drafted by {}, and waits for a reviewer", model);
        }
    }

    /**
     * routes/maintenance.yaml compacts and syncs an H2 file database on timers; their routes start only
     * for one (derived engagement.datasource.h2-compact-enabled / h2-sync-enabled) and a positive interval.
     */
    private static void configureEmbeddedDatabaseHousekeeping(CamelContext context, Settings settings, HikariDataSource dataSource,
                                                              ReadWriteLock maintenance) {
        boolean h2File = Database.isEmbeddedFile(dataSource);
        for (String task : List.of("compact", "sync")) {
            long interval = settings.getLong("engagement.datasource.h2-" + task + "-interval-ms");
            context.getPropertiesComponent().addOverrideProperty("engagement.datasource.h2-" + task + "-enabled", String.valueOf(h2File && interval > 0));
        }
        bind(context, "embeddedDatabase", new EmbeddedDatabaseHousekeeping(dataSource, maintenance,
                settings.getInt("engagement.datasource.h2-compact-fill-rate"),
                settings.getInt("engagement.datasource.h2-compact-max-write-bytes")));
    }

    private static SandboxServer startSandbox(Settings settings, ObjectMapper mapper, McpJsonMapper mcpJson,
                                              NetworkntSchemaValidator validator) throws Exception {
        if (!settings.getBoolean("engagement.sandbox.enabled")) {
            return null;
        }
        Sandbox sandbox = new Sandbox(mapper, mcpJson, validator,
                settings.getInt("engagement.sandbox.rate-limit"),
                settings.getLong("engagement.sandbox.rate-window-seconds"));
        sandbox.inject(null, java.util.Map.of("latency_ms", settings.getLong("engagement.sandbox.latency-ms"),
                "error_rate", settings.getDouble("engagement.sandbox.error-rate")));
        SandboxServer server = new SandboxServer(sandbox, mcpJson, allowedHosts(settings));
        // a crash asked for over the sandbox's own /faults stops it from another thread (we are on one of its own)
        server.onCrash(() -> new Thread(server::crash, "sandbox-crash").start());
        server.start(settings.require("engagement.sandbox.host"), settings.getInt("engagement.sandbox.port"));
        return server;
    }

    /** Names the in-process MCP servers answer to besides localhost, 127.0.0.1 and [::1]. */
    private static AllowedHosts allowedHosts(Settings settings) {
        return AllowedHosts.loopbackAnd(settings.getList("engagement.local-mcp.allowed-hosts"));
    }

    /**
     * The platform's own MCP server when configured (url or stdio command), else its live connector, else the
     * bundled sandbox, else none (null); logged once per platform at start, so nobody mistakes the sandbox for the
     * platform.
     */
    static McpEndpoint endpointOf(Settings settings, SandboxServer sandbox, ConnectorServer live, String platform) {
        String prefix = "engagement.platforms." + platform + ".mcp.";
        var url = settings.get(prefix + "url");
        if (url.isPresent()) {
            McpEndpoint endpoint = McpEndpoint.http(platform, url.get());
            LOG.info("Platform {}: its MCP server at {}", platform, endpoint.describe());
            return endpoint;
        }
        var command = settings.get(prefix + "command");
        if (command.isPresent()) {
            McpEndpoint endpoint = McpEndpoint.stdio(platform, command.get());
            LOG.info("Platform {}: its MCP server over stdio, started as {}", platform, endpoint.describe());
            return endpoint;
        }
        if (live != null && LiveConnectors.isLive(settings, platform)) {
            String liveUrl = live.baseUrl() + "/mcp/" + platform;
            LOG.info("Platform {}: the LIVE connector at {} posts to the real platform as the configured account", platform, liveUrl);
            return McpEndpoint.http(platform, liveUrl);
        }
        if (sandbox == null) {
            // its requests are answered PLATFORM_UNAVAILABLE, naming the key (PlatformCatalog.check)
            LOG.warn("Platform {}: no MCP server; set {}url or {}command (the bundled sandbox is off): its requests fail",
                    platform, prefix, prefix);
            return null;
        }
        LOG.warn("Platform {}: the bundled SANDBOX ({}) answers for it; nothing is posted anywhere. Set {}url or {}command "
                + "for the real platform", platform, sandbox.baseUrl() + "/mcp/" + platform, prefix, prefix);
        return McpEndpoint.http(platform, sandbox.baseUrl() + "/mcp/" + platform);
    }

    /**
     * Kafka intake is on exactly when {@code engagement.kafka.brokers} is set: routes/kafka-intake.yaml
     * starts its routes on the derived {@code engagement.kafka.enabled}.
     */
    private static void configureKafkaIntake(CamelContext context, Settings settings, ObjectMapper mapper, MeterRegistry meters,
                                             EngagementLifecycle lifecycle, EngagementReads reads, FailureResponder failures) {
        boolean enabled = settings.get("engagement.kafka.brokers").isPresent();
        context.getPropertiesComponent().addOverrideProperty("engagement.kafka.enabled", String.valueOf(enabled));
        bind(context, "kafkaRecords", new KafkaRecords(mapper, lifecycle, reads, failures, meters));
        bind(context, "kafkaPolls", new KafkaPolls(context, context.createProducerTemplate(),
                settings.getLong("engagement.kafka.retry-backoff-ms"), settings.getLong("engagement.kafka.retry-max-backoff-ms")));
        // the accounts of a batch side by side, shared by the consumer threads
        bind(context, "kafkaWorkers", context.getExecutorServiceManager()
                .newFixedThreadPool(GatewayConfiguration.class, "engagement-kafka", settings.getInt("engagement.kafka.workers")));
        if (enabled) {
            LOG.info("Kafka intake on: brokers {}", settings.get("engagement.kafka.brokers").get());
        }
    }

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

    private static void registerJudgementMetrics(MeterRegistry registry, TargetInspector targets) {
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

    /**
     * The batch endpoint's beans (envelope, in-order results, the pool its items run on), the
     * engagement meters, and the engagement id in every log line of the flow.
     */
    private static void configureBatchAndObservability(CamelContext context, Settings settings, ContractValidator contract,
                                                       ObjectMapper mapper, MeterRegistry meters, EngagementReads reads,
                                                       EngagementLifecycle lifecycle, Vocabulary vocabulary) {
        bind(context, "batchEnvelope", new BatchEnvelope(contract, mapper, settings.getInt("engagement.batch.max-size")));
        bind(context, "batchResults", new BatchResults());
        // shared by all batches: items beyond it wait in the queue, so batches cannot flood the MCP clients
        bind(context, "batchExecutor", context.getExecutorServiceManager()
                .newFixedThreadPool(GatewayConfiguration.class, "engagement-batch", settings.getInt("engagement.batch.parallelism")));
        bind(context, "engagementMetrics", new EngagementMetrics(meters, lifecycle, vocabulary,
                () -> reads.countInState(EngagementState.PENDING_APPROVAL),
                Duration.ofMillis(settings.getLong("engagement.metrics.pending-count-cache-ms"))));
        context.getCamelContextExtension().addInterceptStrategy(new EngagementTracing());
    }

    private static void bind(CamelContext context, String name, Object bean) {
        context.getRegistry().bind(name, bean);
    }
}
