package dev.engagement.gateway.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.engagement.gateway.Settings;
import dev.engagement.gateway.contract.EngagementRequest;
import dev.engagement.gateway.flow.Engagement;
import dev.engagement.gateway.platform.PlatformCatalog;

/**
 * Scores a request: a base per action (a follow is a strategic act and waits for a reviewer by
 * default), minus configured penalties for sensitive content and persona-constraint violations;
 * the effective confidence is the minimum of that score and the agent's own. Sensitive content is
 * never auto-executed: its confidence is capped at the auto-execute threshold.
 */
public class ConfidencePolicy {

    private final Settings settings;
    private final SensitiveLexicon lexicon;
    private final PlatformCatalog catalog;
    private final double autoExecuteAbove;
    private final Set<String> knownConstraints;

    public ConfidencePolicy(Settings settings, SensitiveLexicon lexicon, PlatformCatalog catalog) {
        this.settings = settings;
        this.lexicon = lexicon;
        this.catalog = catalog;
        this.autoExecuteAbove = settings.getDouble("engagement.policy.auto-execute-above", 0.90);
        this.knownConstraints = Set.copyOf(settings.getList("engagement.policy.persona.known"));
    }

    /** Scores the engagement and keeps the assessment on it, for the decision that follows. */
    public Engagement assess(Engagement engagement) {
        engagement.setAssessment(score(engagement.getRequest()));
        return engagement;
    }

    public Assessment score(EngagementRequest request) {
        List<Reason> reasons = new ArrayList<>();
        double base = settings.getDouble("engagement.policy.base." + request.action(), 0.80);
        if (base < 1.0) {
            reasons.add(new Reason("base." + request.action(), round(1.0 - base),
                    settings.get("engagement.policy.base-reason." + request.action(),
                            "every " + request.action() + " starts at " + fmt(base))));
        }
        double score = base;
        boolean needsHuman = false;

        for (SensitiveLexicon.Match m : lexicon.find(request.content())) {
            reasons.add(new Reason("sensitive." + m.category(), m.penalty(), "content contains '" + m.phrase() + "'"));
            score -= m.penalty();
            needsHuman = true;
        }
        score -= personaPenalties(request, reasons);

        double policyScore = clamp(score);
        double effective = policyScore;
        if (request.confidence() != null && request.confidence() < effective) {
            reasons.add(new Reason("agent_confidence", round(effective - request.confidence()),
                    "the agent's own confidence is " + fmt(request.confidence())));
            effective = request.confidence();
        }
        if (needsHuman && effective > autoExecuteAbove) {
            effective = autoExecuteAbove;
        }
        return new Assessment(round(effective), round(policyScore), needsHuman, List.copyOf(reasons));
    }

    private double personaPenalties(EngagementRequest request, List<Reason> reasons) {
        double total = 0;
        List<String> constraints = request.constraints().stream().map(c -> c.toLowerCase(Locale.ROOT).trim()).toList();
        for (String c : constraints) {
            if (!knownConstraints.isEmpty() && !knownConstraints.contains(c)) {
                reasons.add(new Reason("persona.unknown", 0, "constraint '" + c + "' is not known and was ignored"));
            }
        }
        if (constraints.contains("concise") && request.hasContent()) {
            int max = settings.getInt("engagement.policy.persona.concise.max-length", 200);
            int length = catalog.platform(request.platform()).counting().count(request.content());
            if (length > max) {
                double p = settings.getDouble("engagement.policy.persona.concise.penalty", 0.10);
                reasons.add(new Reason("persona.concise", p, "content is " + length + " characters; concise means at most " + max));
                total += p;
            }
        }
        if (constraints.contains("casual") && constraints.contains("professional")) {
            double p = settings.getDouble("engagement.policy.persona.conflict.penalty", 0.10);
            reasons.add(new Reason("persona.conflict", p, "'casual' and 'professional' pull in opposite directions"));
            total += p;
        }
        return total;
    }

    private static double clamp(double v) {
        return Math.max(0.0, Math.min(1.0, v));
    }

    static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
