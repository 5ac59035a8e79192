package dev.engagement.gateway.mcp;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import dev.engagement.gateway.platform.ToolDirectory;

/**
 * One MCP client per platform server, connected, listed ({@code tools/list}) and kept in the background,
 * never on a request's path: a request finds its platform's session ready, or waits a short while for
 * a connection attempt already under way ({@code connect-wait}), or fails at once as unavailable. No
 * lock is held across a network call: a session is an immutable value swapped atomically.
 *
 * <p>A call whose transport failed or that timed out makes its session suspect: a background ping
 * decides whether to keep it or to drop it and connect again (a stdio server's dead process shows
 * only as silence; a restarted HTTP server needs a new session). A platform that cannot be reached
 * is tried again with a growing pause, and its tool list is refreshed on a timer and whenever the
 * server says it changed.
 */
public class McpConnections implements ToolDirectory, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(McpConnections.class);

    /** How long the background work may take and how often it runs. */
    public record Timing(Duration initialization, Duration request, Duration connectWait, Duration catalogueRefresh,
                         Duration reconnectMaxBackoff) {
    }

    /** A connected server: its client, the tools it lists and what it says of itself. Immutable; replaced as a whole. */
    private record Session(McpAsyncClient client, Set<String> tools, String instructions) {
    }

    private final Map<String, Link> links = new LinkedHashMap<>();
    private final McpJsonMapper jsonMapper;
    private final JsonSchemaValidator schemaValidator;
    private final Timing timing;
    private volatile boolean closed;
    private Disposable refresher;
    /** Until then (start + connect wait), a request may wait for a platform's first connection attempt. */
    private volatile long firstWaitDeadline;

    public McpConnections(List<String> platforms, Function<String, McpEndpoint> endpoints, McpJsonMapper jsonMapper,
                          JsonSchemaValidator schemaValidator, Timing timing) {
        this.jsonMapper = jsonMapper;
        this.schemaValidator = schemaValidator;
        this.timing = timing;
        platforms.forEach(p -> {
            McpEndpoint endpoint = endpoints.apply(p);
            if (endpoint != null) {
                links.put(p, new Link(p, endpoint));
            }
        });
    }

    /** False for a platform no server serves (none configured, and the bundled sandbox off). */
    @Override
    public boolean isServed(String platform) {
        return links.containsKey(platform);
    }

    /** Starts connecting to every platform's server, and the catalogue refresh timer. Returns at once. */
    public void start() {
        firstWaitDeadline = System.nanoTime() + timing.connectWait().toNanos();
        links.values().forEach(l -> l.connectAfter(Duration.ZERO));
        refresher = Flux.interval(timing.catalogueRefresh(), timing.catalogueRefresh(), Schedulers.parallel())
                .subscribe(tick -> links.values().forEach(Link::refreshCatalogue));
    }

    /**
     * Calls one tool. The platform's session must be ready, or become ready within the connect wait
     * (bounded by the timeout); the call itself is cut off after what is left of the timeout.
     */
    public McpSchema.CallToolResult callTool(String platform, McpSchema.CallToolRequest request, Duration timeout) {
        Link link = link(platform);
        long deadline = System.nanoTime() + timeout.toNanos();
        Session session = link.awaitSession(timeout);
        Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
        try {
            return session.client().callTool(request).timeout(left).block();
        } catch (RuntimeException e) {
            if (!(e instanceof io.modelcontextprotocol.spec.McpError)) {
                link.suspect(session);
            }
            throw e;
        }
    }

    /**
     * The tools the platform's server listed when last asked; empty while it is not connected (right
     * after start, once the first connection attempt ended or the connect wait passed).
     */
    @Override
    public Optional<Set<String>> listedTools(String platform) {
        if (!isServed(platform)) {
            return Optional.empty();
        }
        Link link = link(platform);
        link.awaitFirstAttempt(timing.connectWait());
        Session s = link.session;
        return s == null ? Optional.empty() : Optional.of(s.tools());
    }

    @Override
    public Optional<String> instructions(String platform) {
        Session s = isServed(platform) ? link(platform).session : null;
        return s == null || s.instructions() == null || s.instructions().isBlank() ? Optional.empty() : Optional.of(s.instructions());
    }

    public boolean isConnected(String platform) {
        return isServed(platform) && link(platform).session != null;
    }

    /**
     * Where the platform's server is, safe to show an agent: an http URL without user info or query, or the
     * program a stdio server is started with (its arguments may hold secrets); null when none serves it.
     */
    public String publicAddress(String platform) {
        if (!isServed(platform)) {
            return null;
        }
        return link(platform).endpoint.describe();
    }

    private Link link(String platform) {
        Link link = links.get(platform);
        if (link == null) {
            throw new IllegalArgumentException("No MCP server configured for platform '" + platform + "'");
        }
        return link;
    }

    @Override
    public void close() {
        closed = true;
        if (refresher != null) {
            refresher.dispose();
        }
        links.values().forEach(Link::close);
    }

    /** One platform's server: its current session (or none), and the connection attempt under way. */
    private final class Link {
        private final String platform;
        private final McpEndpoint endpoint;
        private volatile Session session;
        private volatile String lastFailure = "not connected yet";
        /** Done when the first connection attempt ended, either way: until then a request may wait for it. */
        private final CompletableFuture<Session> firstAttempt = new CompletableFuture<>();
        private final AtomicBoolean connecting = new AtomicBoolean();
        private final AtomicBoolean probing = new AtomicBoolean();
        private int failedAttempts;

        Link(String platform, McpEndpoint endpoint) {
            this.platform = platform;
            this.endpoint = endpoint;
        }

        /** The ready session; or, right after start, the one the first connection attempt makes (see awaitFirstAttempt). */
        Session awaitSession(Duration wait) {
            Session s = session;
            if (s != null) {
                return s;
            }
            awaitFirstAttempt(wait);
            s = session;
            if (s == null) {
                throw new McpUnavailableException(platform, endpoint.describe(), firstAttempt.isDone()
                        ? "not connected (" + lastFailure + "; trying again in the background)"
                        : "not connected yet (connecting in the background)");
            }
            return s;
        }

        /**
         * Right after start (within the connect wait), while the first connection attempt is under way,
         * waits for it, at most {@code wait}; later a platform that is not connected is unavailable at once.
         */
        void awaitFirstAttempt(Duration wait) {
            long nanos = Math.min(wait.toNanos(), firstWaitDeadline - System.nanoTime());
            if (session != null || firstAttempt.isDone() || nanos <= 0) {
                return;
            }
            try {
                firstAttempt.get(nanos, TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // the caller sees no session
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void connectAfter(Duration delay) {
            if (closed || !connecting.compareAndSet(false, true)) {
                return;
            }
            Mono.delay(delay, Schedulers.parallel())
                    .then(Mono.defer(this::connectOnce))
                    .subscribe(this::connected, this::failed);
        }

        private Mono<Session> connectOnce() {
            AtomicReference<McpAsyncClient> self = new AtomicReference<>();
            McpAsyncClient client = McpClient.async(transport(endpoint))
                    .clientInfo(new McpSchema.Implementation("engagement-gateway", "0.1.0"))
                    .requestTimeout(max(timing.initialization(), timing.request()))
                    .initializationTimeout(timing.initialization())
                    .jsonSchemaValidator(schemaValidator)
                    // the server says its tools changed: take the new list
                    .toolsChangeConsumer(tools -> Mono.fromRunnable(() -> replaceTools(self.get(), names(tools))))
                    .build();
            self.set(client);
            return client.initialize()
                    .then(listTools(client))
                    .timeout(timing.initialization())
                    .map(tools -> new Session(client, tools, client.getServerInstructions()))
                    .doOnError(e -> closeQuietly(client));
        }

        private void connected(Session s) {
            if (closed) {
                closeQuietly(s.client());
                return;
            }
            session = s;
            failedAttempts = 0;
            connecting.set(false);
            firstAttempt.complete(s);
            LOG.info("Connected to the {} MCP server at {}: tools {}", platform, endpoint.describe(), s.tools());
        }

        private void failed(Throwable e) {
            lastFailure = rootMessage(e);
            failedAttempts++;
            long backoff = Math.min(timing.reconnectMaxBackoff().toMillis(), 500L << Math.min(10, failedAttempts - 1));
            LOG.warn("Cannot connect to the {} MCP server at {} (attempt {}): {}; trying again in {} ms",
                    platform, endpoint.describe(), failedAttempts, lastFailure, backoff);
            connecting.set(false);
            firstAttempt.completeExceptionally(e);
            connectAfter(Duration.ofMillis(backoff));
        }

        /** A call on this session failed in transport or timed out: ping in the background, reconnect if silent. */
        void suspect(Session s) {
            if (closed || session != s || !probing.compareAndSet(false, true)) {
                return;
            }
            s.client().ping().timeout(timing.request())
                    .doFinally(signal -> probing.set(false))
                    .subscribe(ok -> { }, e -> drop(s, "did not answer a ping: " + rootMessage(e)));
        }

        private void drop(Session s, String why) {
            if (session != s) {
                return;
            }
            session = null;
            lastFailure = why;
            LOG.warn("The {} MCP server {}: reconnecting", platform, why);
            closeQuietly(s.client());
            connectAfter(Duration.ZERO);
        }

        void refreshCatalogue() {
            Session s = session;
            if (s == null || closed) {
                return;
            }
            listTools(s.client()).timeout(timing.request())
                    .subscribe(tools -> replaceTools(s.client(), tools), e -> suspect(s));
        }

        private void replaceTools(McpAsyncClient client, Set<String> tools) {
            Session s = session;
            if (s != null && s.client() == client && !s.tools().equals(tools)) {
                session = new Session(client, tools, s.instructions());
                LOG.info("The {} MCP server now lists tools {}", platform, tools);
            }
        }

        void close() {
            Session s = session;
            session = null;
            if (s != null) {
                try {
                    s.client().closeGracefully().timeout(timing.request()).block();
                } catch (RuntimeException e) {
                    LOG.debug("Closing the {} MCP client failed: {}", platform, e.getMessage());
                }
            }
        }
    }

    /** Every tool name the server lists, over all pages. */
    private Mono<Set<String>> listTools(McpAsyncClient client) {
        return client.listTools()
                .expand(page -> page.nextCursor() == null ? Mono.empty() : client.listTools(page.nextCursor()))
                .flatMapIterable(McpSchema.ListToolsResult::tools)
                .map(McpSchema.Tool::name)
                .collect(TreeSet<String>::new, Set::add)
                .map(Set::copyOf);
    }

    private static Set<String> names(List<McpSchema.Tool> tools) {
        Set<String> names = new TreeSet<>();
        tools.forEach(t -> names.add(t.name()));
        return Set.copyOf(names);
    }

    private static void closeQuietly(McpAsyncClient client) {
        client.closeGracefully().timeout(Duration.ofSeconds(2)).subscribe(ok -> { }, e -> client.close());
    }

    private McpClientTransport transport(McpEndpoint endpoint) {
        if (endpoint.isHttp()) {
            String base = endpoint.url().getScheme() + "://" + endpoint.url().getRawAuthority();
            String path = endpoint.url().getRawPath() == null || endpoint.url().getRawPath().isEmpty() ? "/mcp" : endpoint.url().getRawPath();
            if (endpoint.url().getRawQuery() != null) {
                path += "?" + endpoint.url().getRawQuery();
            }
            return HttpClientStreamableHttpTransport.builder(base).endpoint(path).jsonMapper(jsonMapper)
                    .connectTimeout(timing.request()).build();
        }
        ServerParameters params = ServerParameters.builder(endpoint.command().get(0))
                .args(endpoint.command().subList(1, endpoint.command().size())).build();
        return new StdioClientTransport(params, jsonMapper);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) > 0 ? a : b;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        if (t instanceof TimeoutException || m != null && m.startsWith("Did not observe any item")) {
            return "no answer in time";
        }
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
