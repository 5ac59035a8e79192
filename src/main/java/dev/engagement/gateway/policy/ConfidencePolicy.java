package dev.engagement.gateway.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.engagement.gateway.config.Settings;
import dev.engagement.gateway.contract.EngagementRequest;
import dev.engagement.gateway.engagement.Assessment;
import dev.engagement.gateway.engagement.Draft;
import dev.engagement.gateway.engagement.Engagement;
import dev.engagement.gateway.engagement.Reason;
import dev.engagement.gateway.platform.PlatformCatalog;
import dev.engagement.gateway.engagement.TargetInfo;

/**
 * Scores a request: a base per action (a follow is a strategic act and waits for a reviewer by
 * default), minus configured penalties, each kept as a reason (rule, penalty, evidence):
 * <ul>
 * <li>sensitive content ({@link SensitiveContent}: lexicon, patterns and, for the actions that carry text, the
 * paraphrase model) in the content, the category's penalty (engagement.policy.penalty.&lt;category&gt;), with the
 * detector that fired and its score, the model's readings costing together at most
 * engagement.policy.model.max-penalty (a reading is a guess: it holds a text for a reviewer rather than refuse it
 * alone) and nothing for a category the rules find in the target's text, which counts it; and in the target's
 * text when replying to it, by the rules only (a small penalty per category: it is someone else's text, a
 * reviewer answers it);</li>
 * <li>sentiment (VADER): replying negatively, or replying to a negative or hostile target (crisis handling); where
 * the paraphrase model reads the text, only when it agrees (engagement.policy.sentiment.model-agrees-at) or beside
 * another finding: VADER is a word list that reads slang and other languages as negative;</li>
 * <li>persona-constraint violations ({@link PersonaRules}).</li>
 * </ul>
 * The effective confidence is the minimum of that score and the agent's own. Sensitive content and
 * negative sentiment mark the request "needs a human": its confidence is capped at the auto-execute
 * threshold, so it waits for a reviewer (or is refused when lower) whatever the agent says.
 */
public class ConfidencePolicy {

    private final Map<String, Reason> baseReasons = new HashMap<>();
    private final Map<String, Double> bases = new HashMap<>();
    private final SensitiveContent sensitive;
    private final Map<String, Double> categoryPenalties = new HashMap<>();
    private final Set<String> modelActions;
    private final double modelMaxPenalty;
    private final PersonaRules persona;
    private final Sentiment sentiment;
    private final PlatformCatalog catalog;
    private final double autoExecuteAbove;
    private final Set<String> targetSentimentActions;
    private final Set<String> sensitiveTargetActions;
    private final double sensitiveTargetPenalty;
    /** the post's categories a reply that warns against them does not take on */
    private final Set<String> warnedCategories;
    private final double contentNegative;
    private final double contentPenalty;
    private final double targetNegative;
    private final double targetHostile;
    private final double targetPenalty;
    private final double targetHostilePenalty;
    private final double modelAgreesAt;

    public ConfidencePolicy(Settings settings, SensitiveContent sensitive, PersonaRules persona, Sentiment sentiment,
                            PlatformCatalog catalog) {
        // read once: resolving a property costs more than scoring a like
        for (String action : catalog.vocabulary().actions()) {
            double base = settings.getDouble("engagement.policy.base." + action);
            bases.put(action, base);
            baseReasons.put(action, new Reason("base." + action, round(1.0 - base),
                    settings.require("engagement.policy.base-reason." + action)));
        }
        this.sensitive = sensitive;
        // every category a detector may report has its penalty in the configuration: a missing one fails here, by name
        for (String category : sensitive.categoryNames()) {
            categoryPenalties.put(category, settings.getDouble("engagement.policy.penalty." + category));
        }
        this.modelActions = Set.copyOf(settings.getList("engagement.policy.model.actions"));
        this.modelMaxPenalty = settings.getDouble("engagement.policy.model.max-penalty");
        this.persona = persona;
        this.sentiment = sentiment;
        this.catalog = catalog;
        this.autoExecuteAbove = settings.getDouble("engagement.policy.auto-execute-above");
        this.targetSentimentActions = Set.copyOf(settings.getList("engagement.policy.sentiment.target-actions"));
        this.sensitiveTargetActions = Set.copyOf(settings.getList("engagement.policy.sensitive-target-actions"));
        this.sensitiveTargetPenalty = settings.getDouble("engagement.policy.sensitive-target.penalty");
        this.warnedCategories = Set.copyOf(settings.getList("engagement.policy.sensitive-target.warned-categories"));
        this.contentNegative = settings.getDouble("engagement.policy.sentiment.content.negative-at-or-below");
        this.contentPenalty = settings.getDouble("engagement.policy.sentiment.content.penalty");
        this.targetNegative = settings.getDouble("engagement.policy.sentiment.target.negative-at-or-below");
        this.targetHostile = settings.getDouble("engagement.policy.sentiment.target.hostile-at-or-below");
        this.targetPenalty = settings.getDouble("engagement.policy.sentiment.target.penalty");
        this.targetHostilePenalty = settings.getDouble("engagement.policy.sentiment.target.hostile-penalty");
        this.modelAgreesAt = settings.getDouble("engagement.policy.sentiment.model-agrees-at");
    }

    /**
     * Scores the engagement (with its looked-up target, if any) and keeps the assessment on it. A text the language
     * model drafted is scored like an agent's, and its reasons say it was drafted (it waits for a reviewer).
     */
    public Engagement assess(Engagement engagement) {
        TargetInfo target = engagement.getTarget();
        Assessment scored = score(engagement.getRequest(), target == null ? null : target.text());
        Draft draft = engagement.getDraft();
        if (draft != null) {
            List<Reason> reasons = new ArrayList<>(draft.reasons());
            reasons.addAll(scored.reasons());
            scored = new Assessment(scored.confidence(), scored.policyScore(), scored.needsHuman(), List.copyOf(reasons));
        }
        engagement.setAssessment(scored);
        return engagement;
    }

    public Assessment score(EngagementRequest request) {
        return score(request, null);
    }

    /** Scores a request; {@code targetText} is the text of the post or comment it acts on, when known. */
    public Assessment score(EngagementRequest request, String targetText) {
        List<Reason> reasons = new ArrayList<>();
        double base = bases.get(request.action());
        if (base < 1.0) {
            reasons.add(baseReasons.get(request.action()));
        }
        boolean needsHuman = false;
        List<Reason> penalties = new ArrayList<>();

        boolean aboutTarget = targetText != null && !targetText.isBlank();
        List<SensitiveContent.Finding> inTarget = aboutTarget && sensitiveTargetActions.contains(request.action())
                ? sensitive.find(targetText, false) : List.of();
        double byModel = 0;
        SensitiveContent.Examined examined = sensitive.examine(request.content(), targetText, modelActions.contains(request.action()));
        for (SensitiveContent.Finding f : examined.findings()) {
            Reason reason = f.byModel() ? reading(f, inTarget, byModel)
                    : new Reason("sensitive." + f.category(), categoryPenalties.get(f.category()), describe(f));
            byModel += f.byModel() ? reason.penalty() : 0;
            penalties.add(reason);
            needsHuman = true;
        }
        // a reply that warns against a scam in the post ("That's not us, don't click it") does not spread it
        String warning = inTarget.stream().anyMatch(f -> warnedCategories.contains(f.category()))
                ? sensitive.warning(request.content()) : null;
        for (SensitiveContent.Finding f : inTarget) {
            String answers = "the " + request.action() + " answers a text where " + describe(f) + ": " + excerpt(targetText);
            boolean warned = warning != null && warnedCategories.contains(f.category());
            penalties.add(new Reason("sensitive_target." + f.category(), warned ? 0.0 : sensitiveTargetPenalty, warned ? answers
                    + "; not counted: the " + request.action() + " warns against it ('" + warning.strip() + "')" : answers));
            needsHuman |= !warned;
        }
        boolean found = needsHuman;
        for (Mood mood : sentimentReadings(request, targetText, aboutTarget)) {
            Reason r = mood.reason();
            // null when the model did not read the text (no model, not this action, no words): VADER alone decides
            Double agreement = examined.modelProbabilities().get(mood.modelCategory());
            if (found || agreement == null || modelAgreesAt <= 0) {
                penalties.add(r);
                needsHuman = true;
            } else if (agreement >= modelAgreesAt) {
                penalties.add(new Reason(r.rule(), r.penalty(), r.evidence() + "; the paraphrase model agrees ("
                        + mood.modelCategory() + " p=" + fmt(agreement) + ")"));
                needsHuman = true;
            } else {
                // VADER is a word list: it reads "he murdered that solo", "that beat is sick" and the German article
                // "die" as negative; the model, which read this text (and its post) for tone and harm, does not back it
                penalties.add(new Reason(r.rule(), 0.0, r.evidence() + "; not counted alone: the paraphrase model reads "
                        + mood.modelCategory() + " at p=" + fmt(agreement) + " (under " + fmt(modelAgreesAt)
                        + ") and nothing that needs a human"));
            }
        }
        penalties.addAll(persona.violations(request.constraints(), request.content(),
                text -> catalog.platform(request.platform()).counting().count(text)));

        double score = base;
        for (Reason r : penalties) {
            score -= r.penalty();
        }
        reasons.addAll(penalties);

        double policyScore = clamp(score);
        double effective = policyScore;
        if (request.confidence() != null && request.confidence() < effective) {
            reasons.add(new Reason("agent_confidence", round(effective - request.confidence()),
                    "the agent's own confidence is " + fmt(request.confidence())));
            effective = request.confidence();
        }
        if (needsHuman && effective > autoExecuteAbove) {
            reasons.add(new Reason("needs_human", round(effective - autoExecuteAbove),
                    "sensitive or negative: a human reviews it whatever the score"));
            effective = autoExecuteAbove;
        }
        return new Assessment(round(effective), round(policyScore), needsHuman, List.copyOf(reasons));
    }

    /** A reading of VADER's, and the paraphrase model's category that reads the same thing with the words' meaning. */
    private record Mood(Reason reason, String modelCategory) {
    }

    /**
     * What VADER reads: the content as negative (the model's negative_tone reads the same), the post it answers as
     * negative or hostile, crisis handling (the model's harmful_context reads the reply given that post).
     */
    private List<Mood> sentimentReadings(EngagementRequest request, String targetText, boolean aboutTarget) {
        List<Mood> out = new ArrayList<>();
        if (request.hasContent()) {
            Sentiment.Score s = sentiment.of(request.content());
            if (s.compound() <= contentNegative) {
                out.add(new Mood(new Reason("sentiment.content", contentPenalty, "the content reads negative (VADER compound "
                        + fmt(s.compound()) + ", negative at or below " + fmt(contentNegative) + ")"), ParaphraseClassifier.NEGATIVE_TONE));
            }
        }
        if (aboutTarget && targetSentimentActions.contains(request.action())) {
            Sentiment.Score s = sentiment.of(targetText);
            if (s.compound() <= targetNegative) {
                boolean hostile = s.compound() <= targetHostile;
                out.add(new Mood(new Reason(hostile ? "sentiment.target_hostile" : "sentiment.target_negative",
                        hostile ? targetHostilePenalty : targetPenalty,
                        "crisis handling: the target reads " + (hostile ? "hostile" : "negative") + " (VADER compound "
                                + fmt(s.compound()) + "): " + excerpt(targetText)), ParaphraseClassifier.HARMFUL_CONTEXT));
            }
        }
        return out;
    }

    /**
     * The reason for a reading of the paraphrase model, when its readings so far cost {@code spent}: a reading, not a
     * match, holds the text for a reviewer and refuses it only with other evidence (all readings together cost at
     * most engagement.policy.model.max-penalty); and a category the rules find in the post it answers is that
     * post's, counted once (sensitive_target).
     */
    private Reason reading(SensitiveContent.Finding f, List<SensitiveContent.Finding> inTarget, double spent) {
        double penalty = categoryPenalties.get(f.category());
        if (inTarget.stream().anyMatch(t -> t.category().equals(f.category()))) {
            return new Reason("sensitive." + f.category(), 0.0,
                    describe(f) + "; not counted again: the rules find " + f.category() + " in the post it answers");
        }
        double capped = round(Math.min(penalty, Math.max(0, modelMaxPenalty - spent)));
        return new Reason("sensitive." + f.category(), capped, describe(f)
                + (capped < penalty ? "; the model's readings cost at most " + fmt(modelMaxPenalty) + " together" : ""));
    }

    /** "pattern matched 'bit.ly/x'", "model p=0.93: ...": which detector fired, with its score. */
    private static String describe(SensitiveContent.Finding f) {
        return f.byModel() ? f.evidence() : "the " + f.detector() + " matched " + f.evidence();
    }

    private static String excerpt(String text) {
        String t = text.strip().replaceAll("\\s+", " ");
        return "\"" + (t.length() > 80 ? t.substring(0, 77) + "..." : t) + "\"";
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
