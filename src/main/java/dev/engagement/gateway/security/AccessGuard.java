package dev.engagement.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

import org.apache.camel.Exchange;

import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.ErrorCode;

/**
 * Bearer-token access with two roles: agents submit, reviewers decide. Tokens are kept only as
 * SHA-256 digests and compared in constant time against every configured token.
 */
public class AccessGuard {

    public enum Role { AGENT, REVIEWER }

    /** Header the guard sets with the first 8 hex digits of the caller token's SHA-256: who, without the secret. */
    public static final String TOKEN_HEADER = "EngagementCallerToken";

    private final List<byte[]> agentDigests;
    private final List<byte[]> reviewerDigests;
    private final List<byte[]> metricsDigests;

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
        String value = authorization == null ? "" : authorization.trim();
        boolean bearer = value.length() >= 7 && value.regionMatches(true, 0, "Bearer ", 0, 7);
        if (!bearer || !matchesAny(digest(value.substring(7).trim()), metricsDigests)) {
            throw new EngagementFailure(ErrorCode.UNAUTHORIZED,
                    "Missing or unknown bearer token: /observe/metrics needs one of engagement.auth.metrics-tokens");
        }
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
        Role role = roleOf(authorization);
        exchange.getMessage().removeHeader("Authorization");
        if (role == null) {
            throw new EngagementFailure(ErrorCode.UNAUTHORIZED,
                    "Missing or unknown bearer token: send 'Authorization: Bearer <token>'");
        }
        if (needed != null && role != needed) {
            throw new EngagementFailure(ErrorCode.FORBIDDEN,
                    "This endpoint needs a " + needed.name().toLowerCase() + " token; yours is a " + role.name().toLowerCase() + " token");
        }
        exchange.getMessage().setHeader(TOKEN_HEADER, fingerprint(authorization.trim().substring(7).trim()));
    }

    static String fingerprint(String token) {
        return java.util.HexFormat.of().formatHex(digest(token)).substring(0, 8);
    }

    Role roleOf(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.trim();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        byte[] presented = digest(value.substring(7).trim());
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
