package dev.engagement.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.ErrorCode;

/**
 * Bearer-token access with two roles: agents submit, reviewers decide. Tokens are kept only as
 * SHA-256 digests and compared in constant time against every configured token.
 */
public class AccessGuard {

    public enum Role { AGENT, REVIEWER }

    /** The development tokens application.properties ships with: public, so for a loopback address only. */
    static final Set<String> SHIPPED_TOKENS = Set.of("dev-agent-token", "dev-reviewer-token");
    static final int MIN_TOKEN_LENGTH = 24;
    /** Failed authentications one client may make in a minute; past them it is answered 429 until the minute ends. */
    static final int MAX_FAILURES_PER_MINUTE = 20;
    private static final String REMOTE_ADDRESS = "CamelVertxPlatformHttpRemoteAddress";
    private static final Logger LOG = LoggerFactory.getLogger(AccessGuard.class);

    /** Header the guard sets with the first 8 hex digits of the caller token's SHA-256: who, without the secret. */
    public static final String TOKEN_HEADER = "EngagementCallerToken";

    private final List<byte[]> agentDigests;
    private final List<byte[]> reviewerDigests;
    private final List<byte[]> metricsDigests;
    private final Cache<String, FailureWindow> failures = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(1)).maximumSize(100_000).build();

    public AccessGuard(List<String> agentTokens, List<String> reviewerTokens, List<String> metricsTokens) {
        this.agentDigests = agentTokens.stream().map(AccessGuard::digest).toList();
        this.reviewerDigests = reviewerTokens.stream().map(AccessGuard::digest).toList();
        this.metricsDigests = metricsTokens.stream().map(AccessGuard::digest).toList();
    }

    /** GET /observe/metrics: open when no metrics token is configured, else one of them is needed. */
    public void requireMetricsReader(Exchange exchange) {
        String authorization = exchange.getMessage().getHeader("Authorization", String.class);
        exchange.getMessage().removeHeader("Authorization");
        if (metricsDigests.isEmpty()) {
            return;
        }
        String presented = bearerValue(authorization);
        if (presented == null || !matchesAny(digest(presented), metricsDigests)) {
            throw new EngagementFailure(ErrorCode.UNAUTHORIZED,
                    "Missing or unknown bearer token: /observe/metrics needs one of engagement.auth.metrics-tokens");
        }
    }

    /**
     * At start: a token shorter than MIN_TOKEN_LENGTH is refused, and the shipped development tokens (public in
     * the README) are allowed on a loopback address only; the message names the key to set.
     */
    public static void checkExposure(List<String> agentTokens, List<String> reviewerTokens, List<String> metricsTokens, String host) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        byKey.put("engagement.auth.agent-tokens", agentTokens);
        byKey.put("engagement.auth.reviewer-tokens", reviewerTokens);
        byKey.put("engagement.auth.metrics-tokens", metricsTokens);
        List<String> shipped = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : byKey.entrySet()) {
            for (String token : e.getValue()) {
                if (SHIPPED_TOKENS.contains(token)) {
                    shipped.add(e.getKey());
                } else if (token.length() < MIN_TOKEN_LENGTH) {
                    throw new IllegalArgumentException(e.getKey() + " holds a token of " + token.length() + " characters (fingerprint "
                            + fingerprint(token) + "): tokens need at least " + MIN_TOKEN_LENGTH + " (e.g. openssl rand -hex 24)");
                }
            }
        }
        if (!shipped.isEmpty()) {
            if (!isLoopback(host)) {
                throw new IllegalArgumentException("The shipped development tokens (public in the README) are in " + String.join(" and ", shipped)
                        + " while camel.server.host = " + host + " is reachable from other machines: set " + String.join(" and ", shipped)
                        + " to tokens of your own, or camel.server.host = 127.0.0.1");
            }
            LOG.warn("Using the shipped development tokens ({}): the gateway answers on {} only; set your own before exposing it",
                    String.join(", ", shipped), host);
        }
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.equals("::1") || host.equals("[::1]") || host.startsWith("127.");
    }

    public void requireAgent(Exchange exchange) {
        require(exchange, Role.AGENT);
    }

    public void requireReviewer(Exchange exchange) {
        require(exchange, Role.REVIEWER);
    }

    public void requireAgentOrReviewer(Exchange exchange) {
        require(exchange, null);
    }

    private void require(Exchange exchange, Role needed) {
        String authorization = exchange.getMessage().getHeader("Authorization", String.class);
        exchange.getMessage().removeHeader("Authorization");
        String client = clientOf(exchange);
        FailureWindow window = failures.getIfPresent(client);
        if (window != null && window.count.get() >= MAX_FAILURES_PER_MINUTE) {
            // not even compared: a client guessing tokens gets MAX_FAILURES_PER_MINUTE tries a minute
            throw new EngagementFailure(ErrorCode.RATE_LIMIT_EXCEEDED, "Too many failed authentications from this client; try again in "
                    + window.secondsLeft() + " s", true, window.secondsLeft(), null, null, null, null);
        }
        Role role = roleOf(authorization);
        if (role == null) {
            failures.get(client, c -> new FailureWindow(System.nanoTime(), new AtomicInteger())).count.incrementAndGet();
            String presented = bearerValue(authorization);
            LOG.warn("Refused {} {} from {}: {}", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_PATH), client,
                    presented == null ? "no bearer token" : "unknown token (fingerprint " + fingerprint(presented) + ")");
            throw new EngagementFailure(ErrorCode.UNAUTHORIZED,
                    "Missing or unknown bearer token: send 'Authorization: Bearer <token>'");
        }
        if (needed != null && role != needed) {
            throw new EngagementFailure(ErrorCode.FORBIDDEN,
                    "This endpoint needs a " + needed.name().toLowerCase() + " token; yours is a " + role.name().toLowerCase() + " token");
        }
        exchange.getMessage().setHeader(TOKEN_HEADER, fingerprint(bearerValue(authorization)));
    }

    /** Failed authentications of one client (its address) in the minute since its first. */
    private record FailureWindow(long startNanos, AtomicInteger count) {
        long secondsLeft() {
            return Math.max(1, 60 - (System.nanoTime() - startNanos) / 1_000_000_000L);
        }
    }

    private static String clientOf(Exchange exchange) {
        Object remote = exchange.getMessage().getHeader(REMOTE_ADDRESS);
        if (remote instanceof io.vertx.core.net.SocketAddress address) {
            return address.hostAddress() != null ? address.hostAddress() : String.valueOf(address.host());
        }
        return remote == null ? "unknown" : remote.toString();
    }

    /** The token of an {@code Authorization: Bearer <token>} header; null when there is none. */
    private static String bearerValue(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.trim();
        return value.length() > 7 && value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).trim() : null;
    }

    static String fingerprint(String token) {
        return java.util.HexFormat.of().formatHex(digest(token)).substring(0, 8);
    }

    Role roleOf(String authorization) {
        String token = bearerValue(authorization);
        if (token == null) {
            return null;
        }
        byte[] presented = digest(token);
        boolean agent = matchesAny(presented, agentDigests);
        boolean reviewer = matchesAny(presented, reviewerDigests);
        return reviewer ? Role.REVIEWER : agent ? Role.AGENT : null;
    }

    /** Looks at every token, whatever matches, so timing says nothing about which one did. */
    private static boolean matchesAny(byte[] presented, List<byte[]> digests) {
        boolean found = false;
        for (byte[] d : digests) {
            found |= MessageDigest.isEqual(presented, d);
        }
        return found;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
