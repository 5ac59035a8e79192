package dev.engagement.gateway.sandbox;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.engagement.gateway.platform.ContentLength;

/**
 * One sandbox platform: its known targets, its state (likes are idempotent, follows are
 * remembered), its text limit and rate limit, and a ledger of every action it executed.
 * Thread-safe; every tool call is one synchronized step so the ledger order is the truth.
 */
public class SandboxPlatform {

    /** A failed tool call, with a platform-style error code. */
    public static class ToolError extends dev.engagement.gateway.mcpserver.ToolError {
        ToolError(String code, String message, Long retryAfter) {
            super(code, message, retryAfter);
        }
    }

    /** One executed action. */
    public record LedgerEntry(long seq, String platform, String tool, Map<String, Object> arguments,
                              Map<String, Object> result, boolean changed, String at,
                              @com.fasterxml.jackson.annotation.JsonProperty("idempotency_key") String idempotencyKey) {
    }

    private final String name;
    private final String displayName;
    private final int textLimit;
    private final ContentLength counting;
    private final Map<String, Pattern> kinds = new LinkedHashMap<>();
    private final Map<String, JsonNode> items = new LinkedHashMap<>();
    private final Set<String> users = new HashSet<>();
    private final List<String> notFoundMarkers;
    private final Map<String, SandboxTool> tools = new LinkedHashMap<>();

    private final int rateLimit;
    private final long rateWindowSeconds;
    private long windowStart = Instant.now().getEpochSecond();
    private int windowCount;
    private volatile long latencyMs;
    private volatile double errorRate;
    private final java.util.concurrent.atomic.AtomicInteger failNext = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Instant rateLimitedUntil = Instant.EPOCH;
    private volatile long answerDelayMs;

    private final Set<String> liked = new HashSet<>();
    private final Set<String> followed = new HashSet<>();
    private final Set<String> shared = new HashSet<>();
    private final List<LedgerEntry> ledger = new ArrayList<>();
    // results by the caller's idempotency key: a call repeated with its key is answered, not executed again
    private final Map<String, Map<String, Object>> byKey = new HashMap<>();
    private final AtomicLong ids = new AtomicLong(1_860_000_000_000_000_000L);

    public SandboxPlatform(String name, JsonNode data, List<String> notFoundMarkers, int rateLimit, long rateWindowSeconds) {
        this.name = name;
        this.displayName = data.path("display_name").asText(name);
        this.textLimit = data.path("text_limit").asInt(500);
        this.counting = ContentLength.named(data.path("counting").asText("code-points"));
        data.path("kinds").fields().forEachRemaining(e -> kinds.put(e.getKey(), Pattern.compile(e.getValue().asText())));
        data.path("items").fields().forEachRemaining(e -> items.put(e.getKey(), e.getValue()));
        data.path("users").forEach(u -> users.add(u.asText()));
        this.notFoundMarkers = List.copyOf(notFoundMarkers);
        this.rateLimit = rateLimit;
        this.rateWindowSeconds = rateWindowSeconds;
        SandboxTool.BY_PLATFORM.get(name).forEach(t -> tools.put(t.name(), t));
    }

    public String name() {
        return name;
    }

    public List<SandboxTool> tools() {
        return List.copyOf(tools.values());
    }

    /** Faults to inject, for tests and demos. Null fields leave that fault as it is. */
    public record Faults(Long latencyMs, Double errorRate, Integer failNext, Long rateLimitedForSeconds) {
    }

    public void inject(Faults f) {
        if (f.latencyMs() != null) {
            latencyMs = Math.max(0, f.latencyMs());
        }
        if (f.errorRate() != null) {
            errorRate = Math.max(0, Math.min(1, f.errorRate()));
        }
        if (f.failNext() != null) {
            failNext.set(Math.max(0, f.failNext()));
        }
        if (f.rateLimitedForSeconds() != null) {
            rateLimitedUntil = Instant.now().plusSeconds(Math.max(0, f.rateLimitedForSeconds()));
        }
    }

    public Map<String, Object> faults() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("latency_ms", latencyMs);
        out.put("error_rate", errorRate);
        out.put("fail_next", failNext.get());
        long limited = Math.max(0, rateLimitedUntil.getEpochSecond() - Instant.now().getEpochSecond());
        out.put("rate_limited_for_seconds", limited);
        return out;
    }

    /**
     * Delays every answer after the action took effect (fault injection: the platform acted but the
     * caller does not hear it in time, e.g. to crash a gateway between the effect and its record).
     */
    public void setAnswerDelayMs(long answerDelayMs) {
        this.answerDelayMs = answerDelayMs;
    }

    /** Runs one tool call; returns its structured result or throws a {@link ToolError}. */
    public Map<String, Object> call(String toolName, Map<String, Object> arguments) {
        return call(toolName, arguments, null);
    }

    /**
     * Runs one tool call under the caller's idempotency key (MCP {@code _meta.idempotency_key}), like
     * real platform APIs that take one: a key seen before answers its first result again and executes
     * nothing, so a caller that lost the answer (crash, timeout) may safely ask again.
     */
    public Map<String, Object> call(String toolName, Map<String, Object> arguments, String idempotencyKey) {
        pause(latencyMs);
        injectedFailure();
        Map<String, Object> result = execute(toolName, arguments, idempotencyKey);
        SandboxTool tool = tools.get(toolName);
        if (tool != null && tool.effect() != SandboxTool.Effect.LOOKUP) {
            // only an action's answer is held back: a read has no effect to lose
            pause(answerDelayMs);
        }
        return result;
    }

    private Map<String, Object> execute(String toolName, Map<String, Object> arguments, String idempotencyKey) {
        synchronized (this) {
            if (idempotencyKey != null && byKey.containsKey(idempotencyKey)) {
                return byKey.get(idempotencyKey);
            }
            SandboxTool tool = tools.get(toolName);
            if (tool == null) {
                throw new ToolError("INVALID_ARGUMENT", "Unknown tool " + toolName, null);
            }
            if (tool.effect() != SandboxTool.Effect.LOOKUP) {
                // the rate limit is the platform's action budget; reads (lookups) have their own, not modelled here
                chargeRateLimit();
            }
            String id = stringArg(arguments, tool.idArgument());
            if (!exists(tool.targetKind(), id)) {
                throw new ToolError("NOT_FOUND", displayName + " " + tool.targetKind() + " '" + id + "' not found or inaccessible", null);
            }
            String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            Map<String, Object> result = new LinkedHashMap<>();
            boolean changed = true;
            switch (tool.effect()) {
                case POST -> {
                    String text = stringArg(arguments, "text");
                    int length = counting.count(text);
                    if (length > textLimit) {
                        throw new ToolError("CONTENT_TOO_LONG", "Text is " + length + " characters; " + displayName
                                + " allows " + textLimit, null);
                    }
                    result.put("id", newId());
                    result.put("created_at", now);
                    result.put("text", text);
                    result.put("in_reply_to", id);
                }
                case LIKE -> {
                    changed = liked.add(id);
                    result.put("liked", true);
                    result.put("timestamp", now);
                    result.put(tool.idArgument(), id);
                    if (!changed) {
                        result.put("already_liked", true);
                    }
                }
                case FOLLOW -> {
                    changed = followed.add(id);
                    result.put("following", true);
                    result.put("user_id", id);
                    result.put("timestamp", now);
                    if (!changed) {
                        result.put("already_following", true);
                    }
                }
                case SHARE -> {
                    changed = shared.add(id);
                    result.put(name.equals("twitter") ? "retweeted" : "shared", true);
                    result.put("id", newId());
                    result.put(tool.idArgument(), id);
                    result.put("timestamp", now);
                }
                case LOOKUP -> {
                    JsonNode item = items.get(id);
                    result.put("id", id);
                    result.put("author", item == null ? "user_unknown_author" : item.path("author").asText());
                    result.put("text", item == null ? "A post on " + displayName + "." : item.path("text").asText());
                    result.put("like_count", liked.contains(id) ? 1 : 0);
                    if (item != null && item.hasNonNull("created_at")) {
                        result.put("created_at", item.get("created_at").asText());
                    }
                    return result; // a read is not an action: not in the ledger
                }
                default -> throw new IllegalStateException();
            }
            // nothing was posted anywhere: an agent (and its logs) can tell
            result.put("sandbox", true);
            ledger.add(new LedgerEntry(ledger.size() + 1L, name, toolName, Map.copyOf(arguments), Map.copyOf(result), changed, now,
                    idempotencyKey));
            if (idempotencyKey != null) {
                byKey.put(idempotencyKey, result);
            }
            return result;
        }
    }

    public synchronized List<LedgerEntry> ledger() {
        return List.copyOf(ledger);
    }

    public boolean exists(String kind, String id) {
        if (id == null || id.isBlank()) {
            return false;
        }
        if ("user".equals(kind) && users.contains(id) || !"user".equals(kind) && items.containsKey(id)) {
            return true;
        }
        String lower = id.toLowerCase(Locale.ROOT);
        for (String marker : notFoundMarkers) {
            if (lower.contains(marker)) {
                return false;
            }
        }
        Pattern p = kinds.get(kind);
        return p != null && p.matcher(id).matches();
    }

    private void injectedFailure() {
        long limited = rateLimitedUntil.getEpochSecond() - Instant.now().getEpochSecond();
        if (limited > 0) {
            throw new ToolError("RATE_LIMITED", displayName + " API rate limit exceeded (injected). Retry after "
                    + limited + " seconds.", limited);
        }
        if (failNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0
                || errorRate > 0 && java.util.concurrent.ThreadLocalRandom.current().nextDouble() < errorRate) {
            throw new ToolError("INTERNAL", displayName + " had an internal error (injected fault)", null);
        }
    }

    private void chargeRateLimit() {
        long now = Instant.now().getEpochSecond();
        if (now - windowStart >= rateWindowSeconds) {
            windowStart = now;
            windowCount = 0;
        }
        if (windowCount >= rateLimit) {
            long wait = Math.max(1, windowStart + rateWindowSeconds - now);
            throw new ToolError("RATE_LIMITED", displayName + " API rate limit exceeded (" + rateLimit + " calls per "
                    + rateWindowSeconds + " s). Retry after " + wait + " seconds.", wait);
        }
        windowCount++;
    }

    private String newId() {
        long n = ids.incrementAndGet();
        return name.equals("twitter") ? Long.toString(n) : name + "_" + Long.toString(n % 1_000_000_000L);
    }

    private static void pause(long ms) {
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String stringArg(Map<String, Object> args, String key) {
        Object v = args == null ? null : args.get(key);
        if (v == null || String.valueOf(v).isBlank()) {
            throw new ToolError("INVALID_ARGUMENT", "Missing argument " + key, null);
        }
        return String.valueOf(v);
    }
}
