package dev.engagement.gateway.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.engagement.gateway.config.Settings;
import dev.engagement.gateway.engagement.Assessment;
import dev.engagement.gateway.engagement.Engagement;
import dev.engagement.gateway.engagement.Reason;
import dev.engagement.gateway.engagement.Routing;

/**
 * The routing rules of the decide route, per platform and action, from application.properties:
 * <pre>
 * engagement.policy.auto-execute-above = 0.90          the shared thresholds
 * engagement.policy.review-at-or-above = 0.70
 * engagement.policy.thresholds.threads.reply.auto-execute-above = 0.95     a platform and action,
 * engagement.policy.thresholds.threads.auto-execute-above = ...            a platform, or
 * engagement.policy.thresholds.follow.review-at-or-above = ...             an action (most specific wins)
 * engagement.policy.always-review = tiktok.follow, share    these wait for a reviewer whatever the confidence
 * engagement.policy.never = instagram.follow                these are refused whatever the confidence
 * </pre>
 * Every rule that applies to an engagement is recorded as a reason the reviewer sees.
 */
public class DecisionRules {

    private static final String THRESHOLDS = "engagement.policy.thresholds.";

    private record Rules(Routing routing, List<Reason> reasons) {
    }

    private final Map<String, Rules> byPlatformAndAction = new HashMap<>();

    public DecisionRules(Settings settings, List<String> platforms, List<String> actions) {
        double autoAbove = settings.getDouble("engagement.policy.auto-execute-above");
        double reviewAtOrAbove = settings.getDouble("engagement.policy.review-at-or-above");
        List<String> alwaysReview = pairs(settings, "engagement.policy.always-review", platforms, actions);
        List<String> never = pairs(settings, "engagement.policy.never", platforms, actions);
        for (String p : platforms) {
            for (String a : actions) {
                List<Reason> reasons = new ArrayList<>();
                double auto = threshold(settings, p, a, "auto-execute-above", autoAbove, reasons);
                double review = threshold(settings, p, a, "review-at-or-above", reviewAtOrAbove, reasons);
                if (review > auto) {
                    throw new IllegalArgumentException("The review threshold " + review + " of " + p + " " + a
                            + " is above its auto-execute threshold " + auto + " (" + THRESHOLDS + "*)");
                }
                boolean always = matches(alwaysReview, p, a);
                if (always) {
                    reasons.add(new Reason("rule.always_review", 0.0, "every " + p + " " + a
                            + " waits for a reviewer (engagement.policy.always-review)"));
                }
                boolean refused = matches(never, p, a);
                if (refused) {
                    reasons.add(new Reason("rule.never", 0.0, p + " " + a + " is never engaged (engagement.policy.never)"));
                }
                byPlatformAndAction.put(p + "." + a, new Rules(new Routing(auto, review, always, refused), List.copyOf(reasons)));
            }
        }
    }

    /** Sets the engagement's routing for its platform and action, and adds the reasons of the rules that apply. */
    public Engagement apply(Engagement engagement) {
        Rules rules = byPlatformAndAction.get(engagement.getPlatform() + "." + engagement.getAction());
        engagement.setRouting(rules.routing());
        if (!rules.reasons().isEmpty()) {
            withReasons(engagement, rules.reasons());
        }
        return engagement;
    }

    /**
     * Adds a reason of the integrator's own, from a route (e.g. a {@code when} that sends every TikTok
     * follow to review): {@code bean: {ref: decisionRules, method: "because(*, 'rule.tiktok_follows', 'why')"}}.
     */
    public Engagement because(Engagement engagement, String rule, String evidence) {
        return withReasons(engagement, List.of(new Reason(rule, 0.0, evidence)));
    }

    private static Engagement withReasons(Engagement engagement, List<Reason> more) {
        Assessment a = engagement.getAssessment();
        List<Reason> reasons = new ArrayList<>(a == null ? List.of() : a.reasons());
        reasons.addAll(more);
        engagement.setAssessment(a == null ? new Assessment(engagement.getConfidence(), engagement.getConfidence(), false, reasons)
                : new Assessment(a.confidence(), a.policyScore(), a.needsHuman(), List.copyOf(reasons)));
        return engagement;
    }

    /** The most specific of platform.action, platform, action, else the shared value; a specific one is a reason. */
    private static double threshold(Settings settings, String p, String a, String name, double shared, List<Reason> reasons) {
        for (String scope : List.of(p + "." + a, p, a)) {
            String key = THRESHOLDS + scope + "." + name;
            Optional<String> value = settings.get(key);
            if (value.isPresent()) {
                double v = settings.getDouble(key);
                if (v < 0 || v > 1) {
                    throw new IllegalArgumentException("Setting " + key + " must be between 0 and 1: " + v);
                }
                if (v != shared) {
                    reasons.add(new Reason("threshold." + name.replace('-', '_'), 0.0, p + " " + a + " "
                            + (name.startsWith("auto") ? "executes only above " : "waits for a reviewer only at or above ")
                            + fmt(v) + " (" + key + ")"));
                }
                return v;
            }
        }
        return shared;
    }

    /** A list of platform.action, platform or action entries, each checked against the contract's names. */
    private static List<String> pairs(Settings settings, String key, List<String> platforms, List<String> actions) {
        List<String> out = new ArrayList<>();
        for (String entry : settings.getList(key)) {
            String e = entry.toLowerCase(Locale.ROOT);
            String[] parts = e.split("\\.", -1);
            boolean ok = parts.length == 1 ? platforms.contains(e) || actions.contains(e)
                    : parts.length == 2 && platforms.contains(parts[0]) && actions.contains(parts[1]);
            if (!ok) {
                throw new IllegalArgumentException(key + ": '" + entry + "' is not a platform.action, a platform or an action"
                        + " (platforms " + platforms + ", actions " + actions + ")");
            }
            out.add(e);
        }
        return out;
    }

    private static boolean matches(List<String> entries, String p, String a) {
        return entries.contains(p + "." + a) || entries.contains(p) || entries.contains(a);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
