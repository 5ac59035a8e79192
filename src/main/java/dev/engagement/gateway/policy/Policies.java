package dev.engagement.gateway.policy;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

import org.apache.camel.CamelContext;
import org.apache.camel.support.ResourceHelper;

import dev.engagement.gateway.config.Settings;
import dev.engagement.gateway.platform.PlatformCatalog;

/** Builds the confidence policy from configuration: lexicon, patterns, paraphrase model, persona rules and word lists, sentiment. */
public final class Policies {

    private static final String RULE_PREFIX = "engagement.policy.persona.rule.";

    private Policies() {
    }

    public static ConfidencePolicy confidencePolicy(CamelContext context, Settings settings, PlatformCatalog catalog)
            throws IOException {
        return confidencePolicy(context, settings, catalog, sensitiveContent(context, settings));
    }

    /** The policy with the given detectors of sensitive content, the rest from configuration. */
    public static ConfidencePolicy confidencePolicy(CamelContext context, Settings settings, PlatformCatalog catalog,
                                                    SensitiveContent sensitive) throws IOException {
        Sentiment sentiment = read(context, settings.require("engagement.policy.sentiment.idioms"), Sentiment::withIdioms);
        return new ConfidencePolicy(settings, sensitive, personaRules(context, settings), sentiment, catalog);
    }

    /** The detectors of sensitive content: lexicon, patterns and (unless engagement.policy.model.enabled=false) the model. */
    public static SensitiveContent sensitiveContent(CamelContext context, Settings settings) throws IOException {
        SensitiveLexicon lexicon = lexicon(context, settings.require("engagement.policy.sensitive-lexicon"));
        SensitivePatterns patterns = read(context, settings.require("engagement.policy.sensitive-patterns"), SensitivePatterns::load);
        ParaphraseClassifier model = null;
        if (settings.getBoolean("engagement.policy.model.enabled")) {
            model = read(context, settings.require("engagement.policy.model.weights"),
                    (in, source) -> ParaphraseClassifier.load(in, source, new SentenceEmbeddings()));
            String neighbours = settings.get("engagement.policy.model.neighbours").orElse("");
            if (!neighbours.isBlank()) {
                model = model.withNeighbours(read(context, neighbours, ParaphraseNeighbours::load));
            }
            // the model loads at start (about a second), not on the first reply
            model.classify("warm up");
        }
        return new SensitiveContent(lexicon, patterns, model);
    }

    /** engagement.policy.persona.rule.* (one key per constraint), .known, .conflicts and the word lists. */
    public static PersonaRules personaRules(CamelContext context, Settings settings) throws IOException {
        Map<String, List<PersonaRules.Check>> rules = new LinkedHashMap<>();
        for (Object key : context.getPropertiesComponent().loadPropertiesAsMap().keySet()) {
            String k = String.valueOf(key);
            if (k.startsWith(RULE_PREFIX)) {
                String constraint = k.substring(RULE_PREFIX.length()).trim().toLowerCase(Locale.ROOT);
                settings.get(k).ifPresent(v -> rules.put(constraint, PersonaRules.parseChecks(constraint, v)));
            }
        }
        SensitiveLexicon words = lexicon(context, settings.require("engagement.policy.persona.word-lists"));
        return new PersonaRules(rules, new HashSet<>(settings.getList("engagement.policy.persona.known")),
                PersonaRules.parseConflicts(settings.get("engagement.policy.persona.conflicts").orElse("")), words);
    }

    public static SensitiveLexicon lexicon(CamelContext context, String location) throws IOException {
        return read(context, location, SensitiveLexicon::load);
    }

    /** Reads a policy file from its location (classpath:, file:, ...), naming it in any error. */
    private static <T> T read(CamelContext context, String location, BiFunction<InputStream, String, T> loader) throws IOException {
        try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(context, location)) {
            return loader.apply(in, location);
        }
    }
}
